import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createDb, rowsOf } from '../../db/client.js';
import { deliver, larkEnv, metricValue, startBuiltBot, textEvent, waitFor, type BuiltBot, builtWorld } from '../deploy/helpers/built-bot.js';

const onPostgres = Boolean(process.env.DATABASE_URL);
const w = builtWorld('gj-two-', { enabled: onPostgres });

/** Keys of the events a bot's log says it handled. */
function handledBy(bot: BuiltBot): Set<string> {
  const keys = new Set<string>();
  for (const line of bot.output().split('\n')) {
    if (!line.startsWith('{')) continue;
    const l = JSON.parse(line) as { msg?: string; eventKey?: string };
    if (l.msg === 'message handled' && l.eventKey) keys.add(l.eventKey);
  }
  return keys;
}

/** Two bot processes on one PostgreSQL database (a rolling upgrade, or two replicas). */
describe('fault: two bot processes on one database', () => {
  it.runIf(onPostgres)('events are shared between them, each handled and answered once, each job slot run once', async () => {
    const N = 40;
    const people = Array.from({ length: N }, (_, i) => `ou_t${String(i).padStart(4, '0')}`);
    for (const openId of people) w.fake.addUser({ openId, name: `访客${openId.slice(-4)}` });
    const env = { ...larkEnv(w.lark), ...w.database!.env };
    // The first migrates; the second starts at once and waits for the advisory lock.
    const [a, b] = await Promise.all([startBuiltBot(env), startBuiltBot(env)]);
    try {
      const events = people.map((p, i) => textEvent(w.lark, w.fake, p, `om_two_${i}`, `你好 ${i}`));
      // Lark pushes each event to whichever instance the load balancer picks; some twice.
      await Promise.all(events.map(async (e, i) => expect(await deliver((i % 2 ? a : b).url, w.lark, e)).toBe(200)));
      await Promise.all(events.slice(0, 10).map(async (e) => expect(await deliver(a.url, w.lark, e)).toBe(200)));
      const answers = () => w.fake.messages.filter((m) => m.sender.senderType === 'app');
      await waitFor(`${N} answers`, () => answers().length >= N, 90_000);
      await waitFor('empty queues', async () => (await metricValue(a.url, 'gaojian_inbox_backlog')) === 0 && (await metricValue(a.url, 'gaojian_outbox_backlog')) === 0);

      const byA = handledBy(a);
      const byB = handledBy(b);
      const both = [...byA].filter((k) => byB.has(k));
      console.log(`two processes: ${N} events, ${byA.size} handled by A, ${byB.size} by B, ${both.length} by both; ${answers().length} answers`);
      expect(both).toEqual([]);
      expect(byA.size + byB.size).toBe(N);
      expect(answers().length).toBe(N);
      expect(new Set(answers().map((m) => m.p2pUserOpenId)).size).toBe(N);

      const db = await createDb({ kind: 'postgres', url: w.database!.env.DATABASE_URL! }, { maxConnections: 1 });
      try {
        const dup = rowsOf<{ job: string }>(await db.db.execute(sql`select job, slot from job_runs group by job, slot having count(*) > 1`));
        const runs = rowsOf<{ n: number }>(await db.db.execute(sql`select count(*)::int as n from job_runs`))[0]!.n;
        console.log(`two processes: ${runs} job runs recorded at start-up catch-up, ${dup.length} duplicated`);
        expect(dup).toEqual([]);
        expect(runs).toBeGreaterThan(0);
      } finally {
        await db.close();
      }
    } finally {
      a.child.kill('SIGTERM');
      b.child.kill('SIGTERM');
      expect(await a.exited).toBe(0);
      expect(await b.exited).toBe(0);
    }
  }, 300_000);
});
