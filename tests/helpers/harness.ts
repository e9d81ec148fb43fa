import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { and, eq, gt, min, sql } from 'drizzle-orm';
import { createApp, type App } from '../../bot/app.js';
import { loadConfig, type LarkConfig } from '../../bot/config.js';
import { createLarkApi, type LarkApi } from '../../bot/lark-api.js';
import { createLogger } from '../../bot/logger.js';
import type { CardResponse, Feature } from '../../bot/handlers.js';
import { allFeatures } from '../../commands/index.js';
import { allJobs } from '../../jobs/index.js';
import { rowsOf, type DbHandle } from '../../db/client.js';
import { inboxEvents, outbox } from '../../db/schema/index.js';
import { importOrg } from '../../domain/roster/import-org.js';
import { parseOrgFile } from '../../domain/roster/org-file.js';
import { startFakeLark, type FakeLark } from '../../emulator/open-api/index.js';
import { CARD_MAX_BYTES, validateCard } from '../../emulator/card-validator.js';
import { botMenuEvent, buildSignedRequest, cardActionEvent, fileMessage, postMessage, textMessage, type PostNode } from '../../emulator/lark-events.js';
import type { Job } from '../../jobs/types.js';
import { TestClock } from './clock.js';
import { createTestDb } from './test-db.js';

export const ORG_YAML = readFileSync(new URL('../../org.example.yaml', import.meta.url), 'utf8');

/** The people of org.example.yaml. */
export const P = {
  editor: 'ou_editor1',
  leader: 'ou_leader1',
  reviewer1: 'ou_reviewer1',
  reviewer2: 'ou_reviewer2',
  reviewer3: 'ou_reviewer3',
  officer1: 'ou_officer1',
  officer2: 'ou_officer2',
  officer3: 'ou_officer3',
  stranger: 'ou_stranger9',
} as const;
export const GROUP = 'oc_example_group';

export type HarnessOptions = {
  /** Roster YAML to import (default org.example.yaml); null for none. */
  org?: string | null;
  jobs?: Job[];
  start?: string;
  /** Reuse an existing database (restart tests). */
  db?: DbHandle;
  encrypt?: boolean;
  /** Extra environment for loadConfig (e.g. BOT_TIMEZONE). */
  env?: Record<string, string>;
  /** Leave the workers' background loops off and drive them with settle() (default). */
  backgroundWorkers?: boolean;
  /** Keep the app credentials of an earlier harness (a restart of the same deployment). */
  sameAppAs?: Harness;
  /** Features to run instead of allFeatures() (e.g. with an extra test-only command). */
  features?: Feature[];
  /** How long a download may go without a byte (default: the config's, DOWNLOAD_IDLE_SECONDS). */
  downloadIdleMs?: number;
};

/**
 * The whole bot as it runs in production (koa app, real SDK client, dispatcher, workers) against
 * the fake Lark, with a test database and a clock the test moves. Events enter through the signed
 * webhook exactly as Lark sends them.
 */
export class Harness {
  private constructor(
    readonly fake: FakeLark,
    readonly app: App,
    readonly db: DbHandle,
    readonly clock: TestClock,
    readonly lark: LarkConfig,
    readonly url: string,
    readonly api: LarkApi,
    readonly logs: Record<string, unknown>[],
  ) {}

  static async start(o: HarnessOptions = {}): Promise<Harness> {
    const clock = new TestClock(o.start);
    const appId = `cli_${randomBytes(8).toString('hex')}`;
    const lark: LarkConfig = o.sameAppAs
      ? { ...o.sameAppAs.lark }
      : {
          appId,
          appSecret: 'test-secret',
          encryptKey: o.encrypt === false ? undefined : `ek-${randomBytes(6).toString('hex')}`,
          verificationToken: `vt-${randomBytes(6).toString('hex')}`,
          baseUrl: '',
          mode: 'webhook',
        };
    const fake = await startFakeLark({ appId: lark.appId, appSecret: lark.appSecret, botOpenId: 'ou_bot', botName: '稿件助手', now: clock.ms });
    lark.baseUrl = fake.url;
    for (const [openId, name] of Object.entries(NAMES)) fake.addUser({ openId, name });
    const db = o.db ?? (await createTestDb());
    if (o.org !== null) await importOrg(db.db, parseOrgFile(o.org ?? ORG_YAML), { actor: 'test', now: clock.now() });
    const config = loadConfig({ LOG_LEVEL: 'silent', ...o.env });
    const logs: Record<string, unknown>[] = [];
    // The production logger (its serializers and redaction), writing into `logs`.
    const log = createLogger('debug', { write: (line: string) => void logs.push(JSON.parse(line)) });
    const api = createLarkApi({
      appId: lark.appId,
      appSecret: lark.appSecret,
      baseUrl: fake.url,
      timeoutMs: 5000,
      downloadIdleMs: o.downloadIdleMs ?? config.downloadIdleMs,
      log,
    });
    const app = createApp({ config, lark, db, api, clock, log, features: o.features ?? allFeatures(), jobs: o.jobs ?? allJobs() });
    const { port } = await app.start(0, { workers: o.backgroundWorkers ?? false });
    return new Harness(fake, app, db, clock, lark, `http://127.0.0.1:${port}`, api, logs);
  }

  /** POSTs a payload to the webhook exactly as Lark would (encrypted and signed when a key is set). */
  async post(payload: object, opts: { path?: string; timestamp?: number; tamper?: (r: { body: string; headers: Record<string, string> }) => void; token?: string } = {}) {
    this.fake.registerEvent(payload);
    const req = buildSignedRequest(payload, {
      encryptKey: this.lark.encryptKey,
      verificationToken: opts.token ?? this.lark.verificationToken,
      timestamp: opts.timestamp ?? Math.floor(this.clock.ms() / 1000),
    });
    opts.tamper?.(req);
    const res = await fetch(this.url + (opts.path ?? '/webhook/event'), { method: 'POST', headers: req.headers, body: req.body });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
  }

  private p2pChat(openId: string) {
    return this.fake.p2pChatIdFor(openId);
  }

  /**
   * The sender, chat and app fields of a message `from` sends (p2p unless `group`): the same for
   * every message type; the event builders add the content.
   */
  envelope(from: string, messageId: string, o: { group?: boolean } = {}) {
    return {
      senderOpenId: from,
      chatId: o.group ? GROUP : this.p2pChat(from),
      chatType: o.group ? ('group' as const) : ('p2p' as const),
      messageId,
      appId: this.lark.appId,
      token: this.lark.verificationToken,
      createTime: this.clock.ms(),
    };
  }

  /** A user sends a text message to the bot (p2p by default). */
  async sendText(from: string, text: string, o: { group?: boolean; mentionBot?: boolean; messageId?: string } = {}) {
    const messageId = o.messageId ?? `om_${randomBytes(12).toString('hex')}`;
    const mentions = o.group && o.mentionBot !== false ? [{ openId: 'ou_bot', name: '稿件助手', key: '@_user_1' }] : [];
    const event = textMessage({ ...this.envelope(from, messageId, o), text: (mentions.length ? '@_user_1 ' : '') + text, mentions });
    const res = await this.post(event);
    return { ...res, messageId, event };
  }

  async sendPost(from: string, title: string, paragraphs: string[]) {
    const messageId = `om_${randomBytes(12).toString('hex')}`;
    const nodes: PostNode[][] = paragraphs.map((p) => [{ tag: 'text', text: p }]);
    const event = postMessage({ ...this.envelope(from, messageId), title, paragraphs: nodes });
    return { ...(await this.post(event)), messageId };
  }

  /** A user sends a file; the bytes are registered as the message's resource in the fake. */
  async sendFile(from: string, fileName: string, bytes: Buffer) {
    const messageId = `om_${randomBytes(12).toString('hex')}`;
    const fileKey = `file_v3_${randomBytes(8).toString('hex')}`;
    this.fake.addMessageResource({ messageId, fileKey, bytes, fileName, type: 'file' } as never);
    const event = fileMessage({ ...this.envelope(from, messageId), fileKey, fileName });
    return { ...(await this.post(event)), messageId };
  }

  /**
   * Taps a button (or submits a form) on a card the bot sent, through the webhook, and returns
   * Lark's view of the answer. `value` is the button's callback value, found with findButton.
   */
  async click(operator: string, messageId: string, value: Record<string, unknown>, extra: { formValue?: Record<string, unknown>; option?: string; name?: string } = {}): Promise<CardResponse & { status: number }> {
    const stored = this.fake.messages.find((m) => m.messageId === messageId);
    const event = cardActionEvent({
      operatorOpenId: operator,
      value,
      openMessageId: messageId,
      openChatId: stored?.chatId ?? this.p2pChat(operator),
      appId: this.lark.appId,
      token: this.lark.verificationToken,
      createTime: this.clock.ms() * 1000,
      ...extra,
    } as Parameters<typeof cardActionEvent>[0]);
    const res = await this.post(event);
    return { status: res.status, ...fromCallbackBody(res.body) };
  }

  /** A tap on the bot's custom menu in the private chat (application.bot.menu_v6). */
  async clickMenu(operator: string, eventKey: string) {
    const event = botMenuEvent({ operatorOpenId: operator, eventKey, appId: this.lark.appId, token: this.lark.verificationToken, createTime: this.clock.ms() });
    return { ...(await this.post(event)), event };
  }

  /**
   * Runs the inbox and outbox until nothing is left to do now; when only delayed rows remain
   * (backoff, rate limit), moves the clock to the next one, up to `maxAdvanceMs` in total.
   */
  async settle(maxAdvanceMs = 30 * 60_000) {
    let advanced = 0;
    for (let i = 0; i < 500; i++) {
      const a = await this.app.inbox.tick();
      await this.app.inbox.idle();
      const b = await this.app.outbox.tick();
      if (a + b > 0) continue;
      // Rows due now but not claimed: the app-wide send budget for this second is spent.
      const next = (await this.dueButWaiting()) ? new Date(this.clock.ms() + 1000) : await this.nextDelayed();
      if (!next) return;
      const wait = Math.max(next.getTime() - this.clock.ms(), 1);
      if (advanced + wait > maxAdvanceMs) return;
      this.clock.advance(wait);
      advanced += wait;
    }
    throw new Error('settle: still busy after 500 rounds');
  }

  /** Rows in each table of the schema, but those named in `except` ("changes nothing" compares these). */
  async rowCounts(except: readonly string[] = []): Promise<Record<string, number>> {
    const tables = rowsOf<{ table_name: string }>(
      await this.db.db.execute(sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`),
    );
    const out: Record<string, number> = {};
    for (const { table_name: t } of tables) {
      if (t.startsWith('__drizzle') || except.includes(t)) continue;
      const [r] = rowsOf<{ n: number }>(await this.db.db.execute(sql.raw(`select count(*)::int as n from "${t}"`)));
      out[t] = Number(r!.n);
    }
    return out;
  }

  /** A chat's next row is due but was not taken: the app-wide send budget for this second is spent. */
  private async dueButWaiting(): Promise<boolean> {
    const res = await this.db.db.execute(sql`
      select 1 from outbox o
      where o.status = 'pending' and o.next_attempt_at <= ${this.clock.now().toISOString()}::timestamptz
        and not exists (select 1 from outbox p where p.order_key = o.order_key and p.id < o.id and p.status in ('pending', 'sending'))
      limit 1`);
    return rowsOf(res).length > 0;
  }

  /** The earliest future moment a worker has something to do (a backoff ending, a lease running out). */
  private async nextDelayed(): Promise<Date | undefined> {
    const now = this.clock.now();
    const [pending] = await this.db.db
      .select({ at: min(outbox.nextAttemptAt) })
      .from(outbox)
      .where(and(eq(outbox.status, 'pending'), gt(outbox.nextAttemptAt, now)));
    const [leased] = await this.db.db
      .select({ at: min(outbox.lockedUntil) })
      .from(outbox)
      .where(and(eq(outbox.status, 'sending'), gt(outbox.lockedUntil, now)));
    const [inbox] = await this.db.db
      .select({ at: min(inboxEvents.lockedUntil) })
      .from(inboxEvents)
      .where(and(eq(inboxEvents.status, 'pending'), gt(inboxEvents.lockedUntil, now)));
    const times = [pending?.at, leased?.at, inbox?.at].filter((d) => d != null).map((d) => new Date(d as Date).getTime());
    return times.length ? new Date(Math.min(...times)) : undefined;
  }

  /**
   * A message the bot sent to `openId` in their private chat (asking for help first if there is
   * none): where someone replays another card's callback value, since a card in another person's
   * chat or in the group is refused before any role check (actions marked privateChat).
   */
  async ownMessage(openId: string): Promise<string> {
    // A card: files and texts carry no buttons to tap.
    const cards = () => this.sentTo(openId).filter((m) => m.chatType === 'p2p' && m.msgType === 'interactive');
    if (!cards().length) {
      await this.sendText(openId, '帮助');
      await this.settle();
    }
    const own = cards();
    if (!own.length) throw new Error(`the bot sent nothing to ${openId}`);
    return own[own.length - 1]!.messageId;
  }

  /** Messages the bot sent to a user (p2p) or chat, oldest first. */
  sentTo(openIdOrChat: string) {
    return this.fake.messages.filter(
      (m) => !m.inbound && (m.receiveId === openIdOrChat || m.p2pUserOpenId === openIdOrChat || m.chatId === openIdOrChat),
    );
  }

  /** Cards (current content) the bot sent to a user or chat, oldest first. */
  cardsTo(openIdOrChat: string) {
    return this.sentTo(openIdOrChat).filter((m) => m.msgType === 'interactive');
  }

  lastCardTo(openIdOrChat: string) {
    const cards = this.cardsTo(openIdOrChat);
    if (!cards.length) throw new Error(`no card sent to ${openIdOrChat}`);
    return cards[cards.length - 1]!;
  }

  textsTo(openIdOrChat: string): string[] {
    return this.sentTo(openIdOrChat)
      .filter((m) => m.msgType === 'text')
      .map((m) => String((m.content as { text?: string }).text ?? ''));
  }

  /** Log lines at or above a level, for asserting what was (not) logged. */
  logLines(minLevel = 30) {
    return this.logs.filter((l) => Number(l.level) >= minLevel);
  }

  async close(o: { keepDb?: boolean } = {}) {
    await this.app.stop();
    await this.fake.close();
    if (!o.keepDb) await this.db.close();
  }
}

/**
 * Reads a callback answer the way Lark does: a replacement card must be `{type:'raw', data}` holding
 * a valid 2.0 card (Lark refuses a 1.0 answer to a 2.0 card with 200830, and an invalid card fails).
 */
function fromCallbackBody(body: Record<string, unknown> | undefined): CardResponse {
  const out: CardResponse = {};
  if (!body) return out;
  if (body.toast) out.toast = body.toast as CardResponse['toast'];
  if (body.card !== undefined) {
    const c = body.card as { type?: string; data?: unknown };
    if (c.type !== 'raw' || !c.data) throw new Error(`callback answered with a card Lark cannot use: ${JSON.stringify(body.card).slice(0, 200)}`);
    const check = validateCard(c.data);
    if (!check.ok) throw new Error(`callback answered with an invalid card: ${check.msg}`);
    if (Buffer.byteLength(JSON.stringify(c.data)) > CARD_MAX_BYTES) throw new Error('callback card over 30 KB');
    out.card = c.data as CardResponse['card'];
  }
  return out;
}

const NAMES: Record<string, string> = {
  ou_editor1: '王研究',
  ou_leader1: '李部长',
  ou_reviewer1: '张委员',
  ou_reviewer2: '孙委员',
  ou_reviewer3: '周委员',
  ou_officer1: '赵信息',
  ou_officer2: '钱信息',
  ou_officer3: '吴信息',
};

/** Plain text of every markdown/plain_text node in a card: what a person reads on it. */
export function cardText(card: unknown): string {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if ((o.tag === 'markdown' || o.tag === 'plain_text' || o.tag === 'lark_md') && typeof o.content === 'string') out.push(o.content);
      for (const [k, val] of Object.entries(o)) if (k !== 'behaviors') walk(val);
    }
  };
  walk(card);
  return out.join('\n');
}

/** The first element of the card (depth first) that `match` accepts. */
function findElement(card: unknown, match: (o: Record<string, unknown>) => boolean): Record<string, unknown> | undefined {
  let found: Record<string, unknown> | undefined;
  const walk = (v: unknown) => {
    if (found) return;
    if (Array.isArray(v)) return v.forEach(walk);
    if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (match(o)) found = o;
      else Object.values(o).forEach(walk);
    }
  };
  walk(card);
  return found;
}

function callbackOf(o: Record<string, unknown>): Record<string, unknown> | undefined {
  return (o.behaviors as { type: string; value: Record<string, unknown> }[] | undefined)?.find((b) => b.type === 'callback')?.value;
}

/** Finds a button (or form submit) by its text and returns its callback value. */
export function findButton(card: unknown, text: string): Record<string, unknown> {
  const found = findElement(card, (o) => o.tag === 'button' && (o.text as { content?: string })?.content === text && callbackOf(o) !== undefined);
  if (!found) throw new Error(`no button "${text}" on card:\n${cardText(card)}`);
  return callbackOf(found)!;
}

/** A select that calls back on its own (outside a form), by name: its callback value, options and initial choice. */
export function findSelect(card: unknown, name: string): { value: Record<string, unknown>; options: { text: string; value: string }[]; initial: string | undefined } {
  const found = findElement(card, (o) => o.tag === 'select_static' && o.name === name);
  if (!found) throw new Error(`no select "${name}" on card:\n${cardText(card)}`);
  const value = callbackOf(found);
  if (!value) throw new Error(`select "${name}" has no callback`);
  const options = (found.options as { text: { content: string }; value: string }[]).map((o) => ({ text: o.text.content, value: o.value }));
  return { value, options, initial: found.initial_option as string | undefined };
}

export function hasButton(card: unknown, text: string): boolean {
  try {
    findButton(card, text);
    return true;
  } catch {
    return false;
  }
}
