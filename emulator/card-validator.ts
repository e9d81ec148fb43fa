/**
 * Card JSON 2.0 validator: refuses what Feishu refuses, so a card that would
 * fail in a real tenant fails in tests and in the demo emulator too.
 *
 * Rules come from `card-v2-whitelist.json` (via card-whitelist.ts). Where the
 * whitelist notes say the docs contradict themselves (`_requiredConflicts`,
 * `_exampleOnlyProps`, `_mixed`, `_conditionalRequiredNote`) we take the
 * lenient side: never reject what official examples do.
 *
 * Error codes (Lark's send-message documentation, "230099 子错误码"):
 * - 230099 is the API code for every card build error; the sub-code says why.
 * - 200621 "parse card json err": unknown property, bad enum, missing required
 *   field, wrong JSON type. (The exact sub-code for a misplaced component or a
 *   bad element_id is undocumented; 200621 is our best guess.)
 * - 200861 a 1.0 tag 2.0 removed (`note`, `action`).
 * - 11310 more than 200 elements, or more than 5 tables.
 * - 200530 empty or duplicate `name` in a form. Feishu reports this on the
 *   client at submit time; the emulator refuses the card up front because the
 *   form could never be submitted.
 * - 200914 / 200915 malformed table rows / row keys that are not column names.
 *
 * The 30 KB size limit is checked by the server on the content string (230025),
 * not here.
 */
import {
  CARD_LIMITS,
  COMPONENT_TAGS,
  NESTING_CONTAINERS,
  REMOVED_TAGS,
  allowedParentsOf,
  entry,
  requireEntry,
  type EntryRule,
  type ShapeRule,
} from './card-whitelist.js';

/** Feishu's cap on the card content string for send, reply, PATCH and delayed update. */
export const CARD_MAX_BYTES = 30 * 1024;

/** API error code for "Failed to create card content". */
export const CARD_BUILD_ERROR = 230099;

export const CARD_SUB_CODES = {
  parse: 200621,
  removedTag: 200861,
  elementLimit: 11310,
  formName: 200530,
  tableRows: 200914,
  tableRowName: 200915,
} as const;

export type CardValidation =
  | { ok: true }
  | { ok: false; code: number; subCode?: number; msg: string; path: string };

type Json = Record<string, unknown>;

/** Text-object props by name. */
const TEXT_PROPS: ReadonlySet<string> = new Set([
  'title',
  'subtitle',
  'text',
  'placeholder',
  'label',
  'hover_tips',
  'disabled_tips',
  'alt',
]);

/** Shapes the whitelist describes only in `_note` prose. */
const MULTI_URL: ShapeRule = { props: ['url', 'pc_url', 'ios_url', 'android_url'] };
const SELECT_IMG_OPTION: ShapeRule = {
  props: ['img_key', 'value', 'disabled', 'disabled_tips', 'hover_tips'],
  required: ['img_key'],
};
const IMG_LIST_ITEM: ShapeRule = { props: ['img_key', 'transparent'], required: ['img_key'] };
const PERSON_ITEM: ShapeRule = { props: ['id'], required: ['id'] };

/** Which shared `option*` entry the `options` array of a component uses. */
const OPTION_ENTRY: Readonly<Record<string, string>> = {
  select_static: 'option',
  multi_select_static: 'option',
  select_person: 'option:person',
  multi_select_person: 'option:person',
  overflow: 'option:overflow',
};

/** Friendlier explanations for a few enum violations bots hit in practice. */
const ENUM_HINTS: Readonly<Record<string, string>> = {
  update_multi: 'Card JSON 2.0 cards are always shared; update_multi may only be true',
};

class CardRejection extends Error {
  constructor(
    readonly subCode: number,
    readonly at: readonly string[],
    readonly detail: string,
  ) {
    super(detail);
  }
}

interface FormScope {
  hasSubmit: boolean;
}

/** Where a component sits: its direct container, nesting depth, enclosing form. */
interface Scope {
  parent: string;
  depth: number;
  form?: FormScope;
}

interface ObjectContext {
  /** Tag (or `tag.prop` for sub-objects) that owns the object; drives typed props. */
  owner: string;
  scope?: Scope;
  /** Dotted child-list paths still to resolve inside this object (e.g. `buttons`). */
  childProps?: ReadonlySet<string>;
}

/** Validate a parsed card; never throws for bad input. */
export function validateCard(card: unknown): CardValidation {
  try {
    new CardWalker().card(card);
    return { ok: true };
  } catch (err) {
    if (!(err instanceof CardRejection)) throw err;
    const path = err.at.join(' -> ');
    return {
      ok: false,
      code: CARD_BUILD_ERROR,
      subCode: err.subCode,
      msg: `${describe(err.subCode)}: ${err.detail}, path: ${path}`,
      path,
    };
  }
}

function describe(subCode: number): string {
  switch (subCode) {
    case CARD_SUB_CODES.removedTag:
      return 'cards of schema V2 no longer support this capability';
    case CARD_SUB_CODES.elementLimit:
      return 'element exceeds the limit';
    case CARD_SUB_CODES.formName:
      return 'form component name is invalid';
    case CARD_SUB_CODES.tableRows:
      return 'table rows is invalid';
    case CARD_SUB_CODES.tableRowName:
      return 'table rows name is invalid';
    default:
      return 'parse card json err';
  }
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

class CardWalker {
  private elements = 0;
  private tables = 0;
  private readonly elementIds = new Set<string>();
  private readonly formNames = new Set<string>();

  card(card: unknown): void {
    const root = ['ROOT'];
    if (!isObject(card)) this.fail(root, 'card must be a JSON object');
    if (card['schema'] !== '2.0') {
      this.fail([...root, 'schema'], 'schema must be "2.0" (the emulator only accepts Card JSON 2.0)');
    }
    const rule = requireEntry('card');
    for (const key of Object.keys(card)) {
      if (!rule.props.includes(key)) {
        const removed = rule._removedIn2?.includes(key) ? ' (removed in Card JSON 2.0)' : '';
        this.fail(root, `unknown property: ${key}${removed}`);
      }
    }
    if (card['config'] !== undefined) this.object(card['config'], requireEntry('config'), [...root, 'config'], { owner: 'config' });
    if (card['card_link'] !== undefined) {
      this.object(card['card_link'], requireEntry('card_link'), [...root, 'card_link'], { owner: 'card_link' });
    }
    if (card['header'] !== undefined) this.object(card['header'], requireEntry('header'), [...root, 'header'], { owner: 'header' });
    if (card['body'] !== undefined) {
      this.object(card['body'], requireEntry('body'), [...root, 'body'], {
        owner: 'body',
        scope: { parent: 'body', depth: 0 },
      });
    }
  }

  /** A component in a child list (`elements`, `columns`, checker buttons). */
  private component(node: unknown, path: string[], scope: Scope): void {
    if (!isObject(node)) this.fail(path, 'component must be a JSON object');
    const tag = node['tag'];
    if (typeof tag !== 'string') this.fail(path, 'missing required property: tag');
    if (REMOVED_TAGS.has(tag)) this.fail(path, `unsupported tag ${tag}`, CARD_SUB_CODES.removedTag);
    const rule = COMPONENT_TAGS.has(tag) ? entry(tag) : undefined;
    if (!rule) this.fail(path, `unknown tag: ${tag}`);

    this.countElement(path);
    if (!allowedParentsOf(rule).has(scope.parent)) this.fail(path, `tag ${tag} is not allowed inside ${scope.parent}`);
    if (rule._requiredAncestor === 'form' && !scope.form) this.fail(path, `tag ${tag} is only allowed inside a form`);
    if (tag === 'select_img' && node['multi_select'] === true && !scope.form) {
      this.fail(path, 'select_img with multi_select=true is only allowed inside a form');
    }
    if (tag === 'table' && ++this.tables > CARD_LIMITS.maxTables) {
      this.fail(path, `card table number over limit (max ${CARD_LIMITS.maxTables})`, CARD_SUB_CODES.elementLimit);
    }

    const depth = NESTING_CONTAINERS.has(tag) ? scope.depth + 1 : scope.depth;
    if (depth > CARD_LIMITS.maxNesting) this.fail(path, `containers nest deeper than ${CARD_LIMITS.maxNesting} levels`);

    const form = tag === 'form' ? { hasSubmit: false } : scope.form;
    this.checkOwn(node, rule, path);
    this.checkFormRules(node, tag, rule, path, form, tag === 'form');
    this.walkTyped(node, rule, path, { owner: tag, scope: { parent: tag, depth, form } });
    if (tag === 'form' && form && !form.hasSubmit) {
      this.fail(path, 'form needs a button with form_action_type "submit"');
    }
  }

  /** Names and submit buttons: what a form needs to be submittable. */
  private checkFormRules(
    node: Json,
    tag: string,
    rule: EntryRule,
    path: string[],
    form: FormScope | undefined,
    isForm: boolean,
  ): void {
    if (!form) return;
    const needs = isForm ? ['name'] : [...(rule._conditionalRequired?.['insideForm'] ?? [])];
    if (!isForm && rule.required?.includes('name')) needs.push('name');
    for (const prop of new Set(needs)) {
      if (prop === 'form_action_type') {
        // `_conditionalRequiredNote`: official demos use the historical action_type instead.
        if (node['form_action_type'] === undefined && node['action_type'] === undefined) {
          this.fail(path, `${tag} inside a form needs form_action_type`);
        }
        continue;
      }
      if (prop !== 'name') continue;
      const name = node['name'];
      if (typeof name !== 'string' || name.trim() === '') {
        this.fail([...path, 'name'], `${tag} needs a non-empty name`, CARD_SUB_CODES.formName);
      }
      if (this.formNames.has(name)) {
        this.fail([...path, 'name'], `duplicate name "${name}" (names must be unique in the card)`, CARD_SUB_CODES.formName);
      }
      this.formNames.add(name);
    }
    if (tag === 'button' && (node['form_action_type'] === 'submit' || node['action_type'] === 'form_submit')) {
      form.hasSubmit = true;
    }
  }

  /** Any object with a rule: own props first, then typed children. */
  private object(value: unknown, rule: ShapeRule, path: string[], ctx: ObjectContext): void {
    if (!isObject(value)) this.fail(path, 'expected a JSON object');
    this.checkOwn(value, rule, path);
    this.walkTyped(value, rule, path, ctx);
  }

  /** Unknown props, required props, enums, forbidden values, element_id. */
  private checkOwn(value: Json, rule: ShapeRule & Partial<EntryRule>, path: string[]): void {
    const allowed = new Set([...rule.props, ...(rule._exampleOnlyProps ?? [])]);
    for (const key of Object.keys(value)) {
      if (!allowed.has(key)) this.fail(path, `unknown property: ${key}`);
    }
    const conflicts = new Set(rule._requiredConflicts ?? []);
    for (const key of rule.required ?? []) {
      if (!conflicts.has(key) && value[key] === undefined) this.fail(path, `missing required property: ${key}`);
    }
    for (const [key, values] of Object.entries(rule.enums ?? {})) {
      const v = value[key];
      if (v !== undefined && !values.includes(v)) {
        const hint = ENUM_HINTS[key] ? ` (${ENUM_HINTS[key]})` : '';
        this.fail([...path, key], `invalid value ${JSON.stringify(v)} for ${key}; allowed: ${values.join('|')}${hint}`);
      }
    }
    for (const [key, mixed] of Object.entries(rule._mixed ?? {})) {
      const v = value[key];
      if (typeof v === 'string' && mixed.forbidden?.includes(v)) {
        this.fail([...path, key], `value ${JSON.stringify(v)} for ${key} was removed in Card JSON 2.0`);
      }
    }
    if (value['element_id'] !== undefined) this.checkElementId(value['element_id'], [...path, 'element_id']);
  }

  private checkElementId(id: unknown, path: string[]): void {
    if (typeof id !== 'string' || !CARD_LIMITS.elementIdPattern.test(id)) {
      this.fail(path, 'element_id must start with a letter, use only letters, digits and _, and be at most 20 chars');
    }
    if (this.elementIds.has(id)) this.fail(path, `duplicate element_id "${id}"`);
    this.elementIds.add(id);
  }

  /** Recurse into props whose shape we know; everything else is free-form. */
  private walkTyped(value: Json, rule: ShapeRule & Partial<EntryRule>, path: string[], ctx: ObjectContext): void {
    const childPaths = ctx.childProps ?? new Set(rule.children ?? []);
    for (const [key, v] of Object.entries(value)) {
      if (v === undefined) continue;
      const at = [...path, key];
      if (ctx.owner === 'header' && key === 'text_tag_list') this.textTags(v, at);
      else if (ctx.owner === 'header' && key === 'i18n_text_tag_list') this.i18nTextTags(v, at);
      else if (ctx.owner === 'table' && key === 'columns') this.tableColumns(v, rule, at);
      else if (ctx.owner === 'table' && key === 'rows') this.tableRows(v, value['columns'], at);
      else if (childPaths.has(key)) this.children(v, at, ctx);
      else if (rule._subObjects?.[key]) this.subObject(v, rule._subObjects[key], at, ctx, key, childPaths);
      else this.namedProp(v, key, at, ctx);
    }
  }

  private children(list: unknown, path: string[], ctx: ObjectContext): void {
    if (!Array.isArray(list)) this.fail(path, 'expected an array of components');
    if (!ctx.scope) throw new Error(`no scope for children of ${ctx.owner}`);
    list.forEach((child, i) => this.component(child, [...path, String(i)], ctx.scope as Scope));
  }

  private subObject(
    value: unknown,
    sub: ShapeRule,
    path: string[],
    ctx: ObjectContext,
    key: string,
    childPaths: ReadonlySet<string>,
  ): void {
    if (sub.ref === 'text') {
      this.text(value, path, sub.enums);
      return;
    }
    const rule = sub.ref ? { ...requireEntry(sub.ref), ...sub, enums: { ...requireEntry(sub.ref).enums, ...sub.enums } } : sub;
    // Dotted child lists (checker `button_area.buttons`) continue inside the sub-object.
    const nested = new Set(
      [...childPaths].filter((p) => p.startsWith(`${key}.`)).map((p) => p.slice(key.length + 1)),
    );
    this.object(value, rule, path, { owner: `${ctx.owner}.${key}`, scope: ctx.scope, childProps: nested });
  }

  /** Props typed by their name. */
  private namedProp(value: unknown, key: string, path: string[], ctx: ObjectContext): void {
    if (TEXT_PROPS.has(key)) {
      // collapsible_panel header titles allow `markdown` instead of `lark_md` (whitelist text._note).
      const tagEnum = ctx.owner === 'collapsible_panel.header' && key === 'title'
        ? { tag: ['plain_text', 'markdown'] }
        : undefined;
      this.text(value, path, tagEnum, `${ctx.owner}.${key}`);
    } else if (key === 'icon') {
      this.object(value, requireEntry('icon'), path, { owner: 'icon' });
    } else if (key === 'confirm') {
      this.object(value, requireEntry('confirm'), path, { owner: 'confirm' });
    } else if (key === 'behaviors') {
      this.behaviors(value, path, entry(ctx.owner)?._behaviorTypes ?? ['callback']);
    } else if (key === 'options') {
      this.options(value, path, ctx.owner);
    } else if (key === 'persons') {
      this.list(value, path, PERSON_ITEM, 'person');
    } else if (key === 'img_list') {
      this.list(value, path, IMG_LIST_ITEM, 'img');
    } else if (key === 'multi_url') {
      this.object(value, MULTI_URL, path, { owner: 'multi_url' });
    }
  }

  private text(value: unknown, path: string[], enums?: Record<string, readonly unknown[]>, context?: string): void {
    const base = requireEntry('text');
    const rule: ShapeRule = { ...base, enums: { ...base.enums, ...enums } };
    if (!isObject(value)) this.fail(path, 'expected a text object {tag, content}');
    this.countElement(path);
    this.checkOwn(value, rule, path);
    const extra = context ? base._conditionalRequired?.[context] : undefined;
    for (const key of extra ?? []) {
      if (value[key] === undefined) this.fail(path, `missing required property: ${key}`);
    }
  }

  private textTags(value: unknown, path: string[]): void {
    if (!Array.isArray(value)) this.fail(path, 'expected an array of text_tag objects');
    value.forEach((tag, i) => {
      const at = [...path, String(i)];
      this.countElement(at);
      this.object(tag, requireEntry('text_tag'), at, { owner: 'text_tag' });
    });
  }

  private i18nTextTags(value: unknown, path: string[]): void {
    if (!isObject(value)) this.fail(path, 'expected an object keyed by locale');
    for (const [locale, tags] of Object.entries(value)) this.textTags(tags, [...path, locale]);
  }

  private behaviors(value: unknown, path: string[], allowedTypes: readonly string[]): void {
    if (!Array.isArray(value)) this.fail(path, 'expected an array of behaviors');
    value.forEach((behavior, i) => {
      const at = [...path, String(i)];
      if (!isObject(behavior)) this.fail(at, 'expected a behavior object');
      const type = behavior['type'];
      if (typeof type !== 'string' || !allowedTypes.includes(type)) {
        this.fail([...at, 'type'], `behavior type ${JSON.stringify(type)} not supported here; allowed: ${allowedTypes.join('|')}`);
      }
      this.object(behavior, requireEntry(`behavior:${type}`), at, { owner: `behavior:${type}` });
    });
  }

  private options(value: unknown, path: string[], owner: string): void {
    const rule = owner === 'select_img' ? SELECT_IMG_OPTION : entry(OPTION_ENTRY[owner] ?? '');
    if (!rule) return;
    this.list(value, path, rule, 'option');
    if (owner === 'select_static' || owner === 'multi_select_static') {
      const seen = new Set<unknown>();
      (value as Json[]).forEach((opt, i) => {
        if (seen.has(opt['value'])) this.fail([...path, String(i), 'value'], `duplicate option value ${JSON.stringify(opt['value'])}`);
        seen.add(opt['value']);
      });
    }
  }

  private list(value: unknown, path: string[], rule: ShapeRule, owner: string): void {
    if (!Array.isArray(value)) this.fail(path, 'expected an array');
    value.forEach((item, i) => this.object(item, rule, [...path, String(i)], { owner }));
  }

  private tableColumns(value: unknown, tableRule: ShapeRule, path: string[]): void {
    const columnRule = tableRule._subObjects?.['column'];
    if (!columnRule) throw new Error('whitelist table entry lacks _subObjects.column');
    this.list(value, path, columnRule, 'table.column');
  }

  private tableRows(rows: unknown, columns: unknown, path: string[]): void {
    if (!Array.isArray(rows)) this.fail(path, 'rows must be an array of objects', CARD_SUB_CODES.tableRows);
    const names = new Set(Array.isArray(columns) ? columns.filter(isObject).map((c) => c['name']) : []);
    rows.forEach((row, i) => {
      if (!isObject(row)) this.fail([...path, String(i)], 'row must be an object', CARD_SUB_CODES.tableRows);
      for (const key of Object.keys(row)) {
        if (!names.has(key)) this.fail([...path, String(i)], `row key "${key}" is not a column name`, CARD_SUB_CODES.tableRowName);
      }
    });
  }

  private countElement(path: string[]): void {
    if (++this.elements > CARD_LIMITS.maxElements) {
      this.fail(path, `more than ${CARD_LIMITS.maxElements} elements (text elements count)`, CARD_SUB_CODES.elementLimit);
    }
  }

  private fail(path: readonly string[], detail: string, subCode: number = CARD_SUB_CODES.parse): never {
    throw new CardRejection(subCode, path, detail);
  }
}
