import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createDb, rowsOf, type DbHandle } from '../../db/client.js';
import { pdfDraft } from '../files/fixtures.js';
import { REPO, runNpm } from '../local/helpers/bot-process.js';
import { deliver, fileEvent, larkEnv, metricValue, startBuiltBot, textEvent, waitFor, builtWorld } from './helpers/built-bot.js';

const w = builtWorld('gj-shutdown-');

function openChildDb(): Promise<DbHandle> {
  const e = w.database.env;
  return createDb(e.DATABASE_URL ? { kind: 'postgres', url: e.DATABASE_URL } : { kind: 'pglite', dir: e.PGLITE_DIR! }, { maxConnections: 1 });
}

/**
 * SIGTERM in the middle of a burst: the bot stops taking events (503, or the connection is refused
 * once the port closes), finishes what it accepted, and exits 0. Lark re-delivers everything not
 * acknowledged; after a restart every event is handled exactly once and every answer sent exactly
 * once. People outside the roster each send one message: the bot answers each with one reply on how to join.
 */
describe('graceful shutdown of the built bot', () => {
  it('SIGTERM mid-burst: exit 0, then after a restart every event handled once and every answer sent once', async () => {
    const N = 60;
    const people = Array.from({ length: N }, (_, i) => `ou_s${String(i).padStart(4, '0')}`);
    for (const openId of people) w.fake.addUser({ openId, name: `路人${openId.slice(-4)}` });
    const events = people.map((p, i) => textEvent(w.lark, w.fake, p, `om_burst_${i}`, `你好 ${i}`));
    const env = { ...larkEnv(w.lark), ...w.database.env, SHUTDOWN_TIMEOUT_SECONDS: '20' };

    const first = await startBuiltBot(env);
    const statuses = new Map<number, number>();
    let next = 0;
    let stopSent = false;
    // 6 senders at once, like Lark's pushes; SIGTERM once 20 events are acknowledged.
    await Promise.all(
      Array.from({ length: 6 }, async () => {
        while (next < N) {
          const i = next++;
          statuses.set(i, await deliver(first.url, w.lark, events[i]!));
          if (!stopSent && [...statuses.values()].filter((s) => s === 200).length >= 20) {
            stopSent = true;
            first.child.kill('SIGTERM');
          }
        }
      }),
    );
    const code = await first.exited;
    const acked = [...statuses.values()].filter((s) => s === 200).length;
    const refused = [...statuses.values()].filter((s) => s !== 200);
    console.log(`burst: ${N} events, ${acked} acknowledged before the stop, ${refused.length} refused (${[...new Set(refused)].join('/')}), exit ${code}`);
    expect(code).toBe(0);
    expect(first.output()).toContain('已停止');
    expect(acked).toBeGreaterThanOrEqual(20);
    expect(acked).toBeLessThan(N);
    // Whatever was refused was refused politely (503) or by a closed port, never 500.
    expect(refused.every((s) => s === 503 || s === 0)).toBe(true);

    // Restart; Lark re-delivers what was not acknowledged, and (at least once) the rest too.
    const second = await startBuiltBot(env);
    try {
      for (let i = 0; i < N; i++) expect(await deliver(second.url, w.lark, events[i]!)).toBe(200);
      const answers = () => w.fake.messages.filter((m) => m.sender.senderType === 'app');
      await waitFor(`${N} answers`, () => answers().length >= N, 90_000);
      await waitFor('empty inbox and outbox', async () =>
        (await metricValue(second.url, 'gaojian_inbox_backlog')) === 0 && (await metricValue(second.url, 'gaojian_outbox_backlog')) === 0,
      );
      const sent = answers();
      const byPerson = new Map<string, number>();
      for (const m of sent) byPerson.set(m.p2pUserOpenId ?? m.receiveId, (byPerson.get(m.p2pUserOpenId ?? m.receiveId) ?? 0) + 1);
      const sendCalls = w.fake.callsTo('/open-apis/im/v1/messages', 'POST').length;
      console.log(`after restart: ${sent.length} answers to ${byPerson.size} people, ${sendCalls} send calls`);
      expect(sent.length).toBe(N);
      expect(people.every((p) => byPerson.get(p) === 1)).toBe(true);
      expect(new Set(sent.map((m) => m.uuid)).size).toBe(N);
      // Sent once, not sent twice and deduplicated by Lark: a graceful stop leaves nothing half-sent.
      expect(sendCalls).toBe(N);
      // Each stranger is told how to join (the 申请加入 card, or that there is no unit to join yet).
      expect(sent.every((m) => JSON.stringify(m.content).includes('申请加入'))).toBe(true);
    } finally {
      second.child.kill('SIGTERM');
      expect(await second.exited).toBe(0);
    }
  }, 300_000);
});

/**
 * Work that cannot finish before the deadline (a file download that stopped sending bytes, a send
 * Lark does not answer) is handed back at the deadline: the process exits 0 at once, and the rows
 * it held are free in the database, so the next process takes them without waiting for the leases
 * (2 min for the inbox, 1 min for the outbox).
 */
describe('graceful shutdown past its deadline', () => {
  it('hands back the leases it holds: the next process handles and sends them at once, each once', async () => {
    const env = { ...larkEnv(w.lark), ...w.database.env };
    const imported = await runNpm(['run', '--silent', 'org:import', '--', join(REPO, 'org.example.yaml')], { ...env, LOG_LEVEL: 'silent' }, 120_000);
    expect(imported.code, imported.output).toBe(0);
    w.fake.reset();
    const stranger = 'ou_late_visitor';
    w.fake.addUser({ openId: stranger, name: '访客' });
    const officer = 'ou_officer1';
    const download = w.fake.stallNext({ method: 'GET', pathIncludes: '/resources/' });
    const send = w.fake.stallNext({ method: 'POST', pathIncludes: '/open-apis/im/v1/messages' });

    // The download stays quiet far longer than the deadline: only the hand-back frees the message.
    const first = await startBuiltBot({ ...env, SHUTDOWN_TIMEOUT_SECONDS: '2', DOWNLOAD_IDLE_SECONDS: '600' });
    expect(await deliver(first.url, w.lark, fileEvent(w.lark, w.fake, officer, 'om_late_file', '城关镇稿件.pdf', pdfDraft()))).toBe(200);
    expect(await deliver(first.url, w.lark, textEvent(w.lark, w.fake, stranger, 'om_late_text', '你好'))).toBe(200);
    await Promise.all([download.reached(), send.reached()]);
    const stoppedAt = Date.now();
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    const stopMs = Date.now() - stoppedAt;
    const handBack = first.output().split('\n').find((l) => l.includes('"released"'));
    console.log(`past the deadline: exit 0 after ${stopMs} ms; ${handBack ? JSON.stringify(JSON.parse(handBack).released) : 'nothing'} handed back`);
    // The download would stay quiet for ten minutes: exiting within a minute means the deadline ended it.
    expect(stopMs).toBeLessThan(60_000);
    expect(JSON.parse(handBack!).released).toEqual({ inbox: 1, outbox: 1 });

    // In the database nothing is leased any more; the interrupted try is not counted.
    const db = await openChildDb();
    try {
      const inbox = rowsOf<{ key: string; status: string; locked: boolean; attempts: number }>(
        await db.db.execute(sql`select key, status, locked_until is not null as locked, attempts from inbox_events where key = 'msg:om_late_file'`),
      );
      expect(inbox).toEqual([{ key: 'msg:om_late_file', status: 'pending', locked: false, attempts: 0 }]);
      const out = rowsOf<{ status: string; locked: boolean }>(await db.db.execute(sql`select status, locked_until is not null as locked from outbox where status <> 'sent'`));
      expect(out).toEqual([{ status: 'pending', locked: false }]);
    } finally {
      await db.close();
    }

    const startedAt = Date.now();
    const second = await startBuiltBot(env);
    try {
      const to = (openId: string) => w.fake.messages.filter((m) => m.sender.senderType === 'app' && m.p2pUserOpenId === openId);
      await waitFor('both answers', () => to(officer).length > 0 && to(stranger).length > 0, 30_000);
      await waitFor('empty queues', async () =>
        (await metricValue(second.url, 'gaojian_inbox_backlog')) === 0 && (await metricValue(second.url, 'gaojian_outbox_backlog')) === 0,
      );
      const tookMs = Date.now() - startedAt;
      const handledFile = (bot: typeof first) => bot.output().split('\n').filter((l) => l.includes('"message handled"') && l.includes('msg:om_late_file')).length;
      const handled = handledFile(second);
      console.log(`next process: file handled ${handled}×, ${to(officer).length} answer to the officer, ${to(stranger).length} to the visitor, ${tookMs} ms after its start`);
      // Well inside the one-minute outbox lease: nobody waited for a lease to run out.
      expect(tookMs).toBeLessThan(30_000);
      expect(handled).toBe(1);
      expect(handledFile(first)).toBe(0);
      expect(to(officer)).toHaveLength(1);
      // The stalled send had reached Lark; sent again with the same uuid, Lark keeps one.
      expect(to(stranger)).toHaveLength(1);
    } finally {
      second.child.kill('SIGTERM');
      expect(await second.exited).toBe(0);
    }
  }, 300_000);
});
