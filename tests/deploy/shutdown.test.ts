import { describe, expect, it } from 'vitest';
import { deliver, larkEnv, metricValue, startBuiltBot, textEvent, waitFor, builtWorld } from './helpers/built-bot.js';

const w = builtWorld('gj-shutdown-');

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
