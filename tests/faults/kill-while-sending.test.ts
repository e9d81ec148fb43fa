import { describe, expect, it } from 'vitest';
import { builtWorld, deliver, larkEnv, metricValue, startBuiltBot, textEvent, waitFor } from '../deploy/helpers/built-bot.js';

const w = builtWorld('gj-kill-');

const SEND = '/open-apis/im/v1/messages';

/**
 * The bot killed with SIGKILL while the outbox is sending: some sends had reached Lark without the
 * bot hearing back, some rows were claimed, some not yet. After a restart every message is
 * delivered exactly once: a row left `sending` is taken over when its lease runs out (a killed
 * process hands nothing back) and sent again with the same uuid, which Lark (the fake checks it) answers with the message it already has.
 */
describe('fault: SIGKILL while the outbox is sending', () => {
  it('after a restart every answer is delivered exactly once', async () => {
    const N = 30;
    const people = Array.from({ length: N }, (_, i) => `ou_k${String(i).padStart(4, '0')}`);
    for (const openId of people) w.fake.addUser({ openId, name: `访客${openId.slice(-4)}` });
    const events = people.map((p, i) => textEvent(w.lark, w.fake, p, `om_kill_${i}`, `你好 ${i}`));
    const env = { ...larkEnv(w.lark), ...w.database.env };
    const answers = () => w.fake.messages.filter((m) => m.sender.senderType === 'app');

    // Some answers go out; then Lark takes a send but never answers it, and the bot is killed
    // waiting for that answer with the other answers still queued behind it.
    // Two sends a second (OUTBOX_APP_RATE), so answers are still queued when the kill comes.
    const first = await startBuiltBot({ ...env, OUTBOX_APP_RATE: '2' });
    for (let i = 0; i < N; i++) expect(await deliver(first.url, w.lark, events[i]!)).toBe(200);
    await waitFor('the first answers', () => answers().length >= 5);
    const stall = w.fake.stallNext({ method: 'POST', pathIncludes: SEND, times: 1 });
    await stall.reached(1);
    await waitFor('every event handled', async () => (await metricValue(first.url, 'gaojian_inbox_backlog')) === 0);
    const queued = (await metricValue(first.url, 'gaojian_outbox_backlog'))!;
    first.child.kill('SIGKILL');
    expect(await first.exited).toBe(null);
    const beforeKill = answers().length;
    const callsBeforeKill = w.fake.callsTo(SEND, 'POST').length;
    expect(queued).toBeGreaterThan(5);
    expect(beforeKill).toBeLessThan(N);

    const restartedAt = Date.now();
    const second = await startBuiltBot(env);
    try {
      await waitFor(`${N} answers`, () => answers().length >= N, 120_000);
      await waitFor('empty inbox and outbox', async () =>
        (await metricValue(second.url, 'gaojian_inbox_backlog')) === 0 && (await metricValue(second.url, 'gaojian_outbox_backlog')) === 0,
      120_000);
      const sent = answers();
      const calls = w.fake.callsTo(SEND, 'POST').length;
      console.log(
        `SIGKILL while sending: ${N} events acknowledged and handled, ${beforeKill} messages at Lark before the kill (${beforeKill - callsBeforeKill} of them unanswered), ` +
          `${queued} outbox rows not yet delivered; after the restart ${sent.length} messages, ${calls - callsBeforeKill} more send calls ` +
          `(sends repeated with their uuid included), all delivered ${((Date.now() - restartedAt) / 1000).toFixed(1)} s after the restart`,
      );
      expect(sent.length).toBe(N);
      expect(new Set(sent.map((m) => m.p2pUserOpenId)).size).toBe(N);
      expect(new Set(sent.map((m) => m.uuid)).size).toBe(N);
      // The send Lark never answered was repeated after the restart (once its lease ran out),
      // deduplicated by its uuid; the rest were sent once.
      expect(beforeKill - callsBeforeKill).toBe(1);
      expect(calls - callsBeforeKill).toBeGreaterThanOrEqual(N - beforeKill + 1);
    } finally {
      second.child.kill('SIGTERM');
      expect(await second.exited).toBe(0);
    }
  }, 300_000);
});
