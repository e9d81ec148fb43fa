import { z } from 'zod';
import { UserError } from './errors.js';
import type { ActionContext, Audience, CardAction, CardResponse, Command, MessageContext } from './handlers.js';
import { PermissionError } from './errors.js';
import type { Who } from '../db/queries/roster.js';
import { hasRole, requireRoles, type Role } from '../domain/roster/permissions.js';

/**
 * How features declare commands and card actions. A declaration names who may use it and the shape
 * of its arguments; the dispatcher parses the arguments and checks the roles before `run` is called,
 * so a refused or malformed call is answered in Chinese and changes nothing, and every handler gets
 * typed arguments. docs/permissions.md is checked against these declarations.
 */

/**
 * Who may use a command or action, checked against the roster in the handler's transaction:
 * - `anyone`: also people outside the roster (help, join requests);
 * - `roster`: anyone with a role; finer checks over the loaded entity happen in `run`;
 * - a list of roles, any one of which is enough.
 * `what` completes the refusal: 只有研究室可以{what}。 `refusal` replaces that sentence where the
 * rule needs more saying (only a unit's own …, or how to join the roster).
 */
export type Allow = { anyone: true } | { roster: true; what: string; refusal?: string } | { roles: Role[]; what: string; refusal?: string };

export const anyone: Allow = { anyone: true };
export const roster = (what: string, refusal?: string): Allow => ({ roster: true, what, refusal });
export const roles = (list: Role[], what: string, refusal?: string): Allow => ({ roles: list, what, refusal });

/** Throws the refusal for `allow` unless `who` may. */
export function checkAllowed(who: Who, allow: Allow): void {
  if ('roles' in allow) {
    if (allow.refusal && !allow.roles.some((r) => hasRole(who, r))) throw new PermissionError(allow.refusal);
    requireRoles(who, allow.roles, allow.what);
  }
  else if ('roster' in allow && !who.known) throw new PermissionError(allow.refusal ?? `只有名册中的人员可以${allow.what}。`);
}

/** A stale, forged or mistyped callback value: the same answer whatever was wrong with it. */
export const STALE_CARD = '这张卡片已失效，请重新发起操作。';

/** Positive integer ids as callback values carry them (JSON numbers; some older cards wrote strings). */
export const id = () => z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

/**
 * The id and callback value of a card action: what a card writes into a button and what the handler
 * reads back. Cards build values only through `value`, so a button and its handler cannot disagree.
 */
export type ActionSpec<S extends z.ZodType<Record<string, unknown>>> = {
  id: string;
  args: S;
  value(args: z.input<S>): Record<string, unknown>;
};

export function actionSpec<S extends z.ZodType<Record<string, unknown>>>(id: string, args: S): ActionSpec<S> {
  return { id, args, value: (a) => ({ a: id, ...(a as Record<string, unknown>) }) };
}

/** An action without arguments (a form's submit whose fields come in `form_value`, a refresh). */
export const noArgs = z.object({});

export function cardAction<S extends z.ZodType<Record<string, unknown>>>(
  spec: ActionSpec<S>,
  o: {
    allow: Allow;
    /** The answer shows a draft's text, title or excerpt: answered only on the operator's private cards. */
    privateChat?: boolean;
    run(ctx: ActionContext, args: z.output<S>): Promise<CardResponse>;
  },
): CardAction {
  return {
    id: spec.id,
    allow: o.allow,
    privateChat: o.privateChat,
    parse(raw) {
      const r = spec.args.safeParse(raw);
      if (!r.success) throw new UserError(STALE_CARD, 'user:stale_card');
      return r.data;
    },
    run: (ctx, args) => o.run(ctx, args as z.output<S>),
  };
}

type CommandSpec<A> = Omit<Command, 'run' | 'parse' | 'audience'> & {
  /** Who sees it in help; defaults to the roles of `allow`. */
  audience?: Audience[];
  /**
   * Turns the text after the command's name into typed arguments. A zod schema over the text; its
   * first issue's message is the answer to a malformed call, so write it as a Chinese usage line.
   */
  args?: z.ZodType<A, string>;
  run(ctx: MessageContext, args: A): Promise<void>;
};

export function command<A = string>(spec: CommandSpec<A>): Command {
  const { args: schema, run, audience, ...rest } = spec;
  return {
    ...rest,
    audience: audience ?? audienceOf(spec.allow),
    parse(text) {
      if (!schema) return text;
      const r = schema.safeParse(text);
      if (!r.success) throw new UserError(r.error.issues[0]?.message ?? STALE_CARD);
      return r.data;
    },
    run: (ctx, args) => run(ctx, args as A),
  };
}

function audienceOf(allow: Allow): Audience[] {
  return 'roles' in allow ? [...allow.roles] : ['anyone'];
}
