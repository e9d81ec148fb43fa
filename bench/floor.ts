/**
 * The floor of the webhook: the least any correct bot pays for an event, as a tiny koa endpoint. It
 * authenticates the raw bytes and decrypts (the bot's own verifyLarkRequest, which is that minimum),
 * then in ONE transaction inserts the dedupe key, a row for the message and an outbox row for the
 * answer, and acknowledges. No roster, no routing, no card: whatever the bot does beyond this is
 * what `npm run bench -- all` measures as a ratio to it.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import postgres from 'postgres';
import type { LarkConfig } from '../bot/config.js';
import { readRaw } from '../bot/receivers/raw-body.js';
import { verifyLarkRequest } from '../bot/receivers/verify.js';

/** Its own schema in the bot's bench database: the same server, the same disk, separate tables. */
const SCHEMA = `
  create schema if not exists bench_floor;
  create table if not exists bench_floor.seen (key text primary key, at timestamptz not null default now());
  create table if not exists bench_floor.messages (id bigint generated always as identity primary key, key text not null,
    sender text not null, chat text not null, payload jsonb not null, received_at timestamptz not null default now());
  create table if not exists bench_floor.outbox (id bigint generated always as identity primary key, receive_id text not null,
    content jsonb not null, status text not null default 'pending', created_at timestamptz not null default now());
  truncate bench_floor.seen, bench_floor.messages, bench_floor.outbox;`;

type Event = { header?: { event_id?: string }; event?: { sender?: { sender_id?: { open_id?: string } }; message?: { message_id?: string; chat_id?: string } } };

export type Floor = { port: number; close(): Promise<void> };

/** `maxConnections`: the bot's pool size, so both pay for the same number of sessions. */
export async function startFloor(url: string, lark: Pick<LarkConfig, 'encryptKey' | 'verificationToken'>, maxConnections: number): Promise<Floor> {
  const sql = postgres(url, { max: maxConnections, onnotice: () => {} });
  await sql.unsafe(SCHEMA);
  const app = new Koa();
  app.use(async (ctx) => {
    const raw = await readRaw(ctx, 1024 * 1024);
    if (!raw) {
      ctx.status = 413;
      return;
    }
    const verified = verifyLarkRequest(raw, ctx.headers, { ...lark, nowMs: Date.now() });
    if (!verified.ok) {
      ctx.status = 401;
      return;
    }
    const e = verified.payload as Event;
    const message = e.event?.message;
    const sender = e.event?.sender?.sender_id?.open_id;
    // The dedupe key of a message is its message_id (Lark re-delivers with a new event_id).
    const key = message?.message_id ?? e.header?.event_id;
    if (!key || !sender) {
      ctx.status = 400;
      return;
    }
    await sql.begin(async (tx) => {
      const [fresh] = await tx`insert into bench_floor.seen (key) values (${key}) on conflict do nothing returning key`;
      if (!fresh) return;
      await tx`insert into bench_floor.messages (key, sender, chat, payload) values (${key}, ${sender}, ${message?.chat_id ?? ''}, ${tx.json(verified.payload as never)})`;
      await tx`insert into bench_floor.outbox (receive_id, content) values (${sender}, ${tx.json({ text: '收到' })})`;
    });
    ctx.body = {};
  });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return {
    port: (server.address() as AddressInfo).port,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await sql.end();
    },
  };
}

/** Rows the floor committed: one message and one outbox row per distinct event, or it is not a floor. */
export async function floorCounts(url: string): Promise<{ messages: number; outbox: number }> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql<{ messages: number; outbox: number }[]>`
      select (select count(*) from bench_floor.messages)::int as messages, (select count(*) from bench_floor.outbox)::int as outbox`;
    return row!;
  } finally {
    await sql.end();
  }
}
