import { and, eq, gt, inArray, min } from 'drizzle-orm';
import pino from 'pino';
import { createApp, type App } from '../bot/app.js';
import type { Clock } from '../bot/clock.js';
import type { Config, LarkConfig } from '../bot/config.js';
import { createLarkApi } from '../bot/lark-api.js';
import type { Logger } from '../bot/logger.js';
import { allFeatures } from '../commands/index.js';
import type { Db } from '../db/client.js';
import { inboxEvents, outbox } from '../db/schema/index.js';
import { allJobs } from '../jobs/index.js';
import { deliverCardAction, deliverFile, deliverText, type CardAnswer, type DeliveryTarget } from '../emulator/console/deliver.js';
import type { FakeLark, StoredMessage } from '../emulator/open-api/index.js';
import { buttonNear, buttonsOf, cardPlainText, type Button } from './card-read.js';
import { DueJobs } from './due-jobs.js';

/** The demo's own clock: history is written by moving it through the past month. */
export class DemoClock implements Clock {
  constructor(private t: number) {}
  now = () => new Date(this.t);
  ms = () => this.t;
  set(to: Date) {
    this.t = to.getTime();
  }
  advance(ms: number) {
    this.t += ms;
  }
}

/**
 * The bot, running on the demo clock against the built-in Lark, and the demo people using it the
 * way people do: typing, attaching files, tapping buttons. Everything enters through the signed
 * webhook, so the history is whatever the current features make of it.
 */
export class DemoWorld {
  private constructor(
    readonly app: App,
    readonly clock: DemoClock,
    readonly fake: FakeLark,
    private readonly target: DeliveryTarget,
    private readonly db: Db,
    readonly groupChatId: string,
    private readonly log: Logger,
    /** Tells the console about a callback's answer (it swaps cards only when Lark would). */
    private readonly onAnswer?: (messageId: string, answer: CardAnswer) => void,
    config?: Config,
  ) {
    this.dueJobs = new DueJobs(allJobs(), config?.timezone ?? 'Asia/Shanghai', config?.jobSchedules);
  }

  private readonly answered = new Map<string, { card: unknown; at: number }>();
  private readonly dueJobs: DueJobs;
  /** What the bot logged at warn or above while the history was written, with counts. */
  botWarnings = new Map<string, number>();

  static async start(o: {
    config: Config;
    db: Db;
    dbKind: 'pglite' | 'postgres';
    fake: FakeLark;
    lark: LarkConfig;
    log: Logger;
    clock: DemoClock;
    groupChatId: string;
    onAnswer?: (messageId: string, answer: CardAnswer) => void;
  }): Promise<DemoWorld> {
    const api = createLarkApi({ appId: o.lark.appId, appSecret: o.lark.appSecret, baseUrl: o.lark.baseUrl, timeoutMs: 10_000 });
    // The bot's own warnings while history is written (e.g. Lark refusing to patch a card older than
    // 14 days) are collected for the summary instead of filling the first start's console.
    const botWarnings = new Map<string, number>();
    const quiet = pino({ level: 'warn' }, {
      write: (line: string) => {
        const { msg, err } = JSON.parse(line) as { msg?: string; err?: { message?: string } };
        const key = [msg, err?.message].filter(Boolean).join('：');
        botWarnings.set(key, (botWarnings.get(key) ?? 0) + 1);
      },
    });
    const app = createApp({
      config: o.config,
      lark: o.lark,
      db: { db: o.db, kind: o.dbKind, close: async () => {} },
      api,
      clock: o.clock,
      log: quiet,
      features: allFeatures(),
      jobs: allJobs(),
    });
    // Workers off: the demo drives them step by step, so every reply lands at the right moment.
    const { port } = await app.start(0, { workers: false });
    const target: DeliveryTarget = { lark: o.lark, fake: o.fake, webhookUrl: `http://127.0.0.1:${port}/webhook/event` };
    const world = new DemoWorld(app, o.clock, o.fake, target, o.db, o.groupChatId, o.log, o.onAnswer, o.config);
    world.botWarnings = botWarnings;
    return world;
  }

  async stop() {
    await this.app.stop();
    await this.dueJobs.stop();
  }

  p2p(openId: string) {
    return { chatId: this.fake.p2pChatIdFor(openId), chatType: 'p2p' as const };
  }

  async say(openId: string, text: string) {
    await deliverText(this.target, openId, this.p2p(openId), text);
    await this.settle();
  }

  async sayInGroup(openId: string, text: string) {
    await deliverText(this.target, openId, { chatId: this.groupChatId, chatType: 'group' }, text, { mentionBot: true });
    await this.settle();
  }

  async sendFile(openId: string, fileName: string, bytes: Buffer) {
    await deliverFile(this.target, openId, this.p2p(openId), fileName, bytes);
    await this.settle();
  }

  /** The card as people see it now: the latest callback answer, or the content the fake holds. */
  content(message: StoredMessage): unknown {
    const answered = this.answered.get(message.messageId);
    // A later PATCH from the bot wins over an earlier callback answer.
    return answered && answered.at >= message.updateTime ? answered.card : message.content;
  }

  /** The newest card to a person or chat whose text includes `includes` (and that has `button`). */
  findCard(openIdOrChat: string, includes: string, button?: string): StoredMessage {
    for (const message of this.fake.cardsTo(openIdOrChat).slice().reverse()) {
      const content = this.content(message);
      if (!cardPlainText(content).includes(includes)) continue;
      if (button && !buttonsOf(content).some((b) => b.text === button)) continue;
      return message;
    }
    throw new DemoStepError(`${openIdOrChat} 没有收到含“${includes}”${button ? `和按钮“${button}”` : ''}的卡片`);
  }

  /** Taps a button (or submits a form) on a card; the answer's card replaces it, as in the client. */
  async tap(openId: string, message: StoredMessage, button: Button, o: { formValue?: Record<string, unknown> } = {}): Promise<unknown> {
    const answer = await deliverCardAction(this.target, openId, message.messageId, {
      value: button.value,
      tag: 'button',
      ...(button.name ? { name: button.name } : {}),
      ...(o.formValue ? { formValue: o.formValue } : {}),
    });
    if (answer.toast?.type === 'error') throw new DemoStepError(`“${button.text}”失败：${answer.toast.content ?? ''}`);
    // Lenient on the answer's shape, so the history still advances while the console flags a wrong one.
    const raw = answer.card as { type?: string; data?: unknown } | undefined;
    const card = raw && raw.type === 'raw' ? raw.data : raw;
    if (card) {
      this.answered.set(message.messageId, { card, at: this.fake.now() });
      this.onAnswer?.(message.messageId, answer);
    }
    await this.settle();
    return card ?? this.content(message);
  }

  /** Finds a card by its text and taps the named button on it (near a row's text, for lists). */
  async tapOn(
    openId: string,
    o: { to?: string; card: string; button: string; near?: string; formValue?: (card: unknown) => Record<string, unknown> },
  ): Promise<unknown> {
    const message = this.findCard(o.to ?? openId, o.card, o.near ? undefined : o.button);
    const content = this.content(message);
    const button = o.near ? buttonNear(content, o.button, o.near) : buttonsOf(content).find((b) => b.text === o.button);
    if (!button) throw new DemoStepError(`卡片上没有${o.near ? `“${o.near}”旁的` : ''}按钮“${o.button}”`);
    return this.tap(openId, message, button, o.formValue ? { formValue: o.formValue(content) } : {});
  }

  /**
   * Moves the clock forward (never back) to `t`, stopping at each minute a scheduled job would have
   * fired on the way (reminders, bulletins), as the heartbeat would have.
   */
  async advanceTo(t: Date) {
    for (const minute of this.dueJobs.minutesBetween(this.clock.now(), t)) {
      await this.setClock(minute);
      await this.app.scheduler.tick(minute);
      await this.settle();
    }
    await this.setClock(t);
  }

  /**
   * Days pass between steps, so the tenant token the SDK still trusts has expired on the emulator's
   * clock: a cheap read lets the bot's API wrapper renew it (file downloads do not retry on an
   * expired token by themselves).
   */
  private async setClock(t: Date) {
    if (t.getTime() <= this.clock.ms()) return;
    this.clock.set(t);
    await this.app.deps.lark.getBotOpenId().catch(() => undefined);
  }

  /** Runs inbox and outbox until idle, moving the clock over short backoffs as time would pass. */
  async settle() {
    let advanced = 0;
    for (let i = 0; i < 400; i++) {
      const a = await this.app.inbox.tick();
      await this.app.inbox.idle();
      const b = await this.app.outbox.tick();
      if (a + b > 0) continue;
      const next = await this.nextDelayed();
      if (!next) return;
      const wait = Math.max(next - this.clock.ms(), 1);
      if (advanced + wait > 10 * 60_000) {
        this.log.warn({ waitMs: wait }, 'demo: work left waiting; moving on');
        return;
      }
      this.clock.advance(wait);
      advanced += wait;
    }
  }

  private async nextDelayed(): Promise<number | undefined> {
    const now = this.clock.now();
    const [o] = await this.db
      .select({ at: min(outbox.nextAttemptAt) })
      .from(outbox)
      .where(and(inArray(outbox.status, ['pending']), gt(outbox.nextAttemptAt, now)));
    const [l] = await this.db
      .select({ at: min(outbox.lockedUntil) })
      .from(outbox)
      .where(and(eq(outbox.status, 'sending'), gt(outbox.lockedUntil, now)));
    const [i] = await this.db
      .select({ at: min(inboxEvents.lockedUntil) })
      .from(inboxEvents)
      .where(and(eq(inboxEvents.status, 'pending'), gt(inboxEvents.lockedUntil, now)));
    const times = [o?.at, l?.at, i?.at].filter((d) => d != null).map((d) => new Date(d as Date).getTime());
    return times.length ? Math.min(...times) : undefined;
  }
}

/** A step the current features do not offer (yet): the history skips it and goes on. */
export class DemoStepError extends Error {}
