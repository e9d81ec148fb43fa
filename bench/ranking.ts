/**
 * npm run bench -- ranking [--url postgres://…/gj_bench] [--period 2026-10] [--runs 5] [--record]
 *
 * Times the monthly ranking (what `排行` and the 月通报 compute) on the database that
 * `npm run bench -- generate` filled, splits the time into its parts, and prints the plans of its
 * queries (EXPLAIN ANALYZE). --record writes the result into bench/RESULTS.md (its own section).
 */
import { execSync } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import postgres from 'postgres';
import { formatLocalDate } from '../bot/time.js';
import { rankingCard } from '../cards/ranking-card.js';
import { cardBytes } from '../cards/elements.js';
import { createDb } from '../db/client.js';
import { computeRanking, scoreEventsFrom } from '../domain/ranking/compute.js';
import { draftCountsQuery } from '../domain/ranking/draft-counts.js';
import { periodOfKey, periodRange } from '../domain/ranking/period.js';
import { DEFAULT_QUOTAS } from '../domain/ranking/quotas.js';
import { computeScoreEvents } from '../domain/scoring/score-events.js';
import { DEFAULT_BENCH_URL, ms } from './bench-db.js';
import { writeResultsSection } from './results.js';

const TZ = 'Asia/Shanghai';
/** The target of issue #6: a monthly ranking over the province-scale history. */
const TARGET_MS = 300;

export async function rankingMain(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      url: { type: 'string', default: DEFAULT_BENCH_URL },
      period: { type: 'string', default: '2026-10' },
      runs: { type: 'string', default: '5' },
      record: { type: 'boolean', default: false },
    },
  });
  const url = values.url!;
  const period = periodOfKey(values.period!);
  const runs = Number(values.runs);
  const handle = await createDb({ kind: 'postgres', url }, { maxConnections: 4 });
  const raw = postgres(url, { max: 1, onnotice: () => {} });
  const lines: string[] = [];
  const say = (s = '') => {
    console.log(s);
    lines.push(s);
  };
  try {
    const [size] = await raw`select (select count(*) from units)::int as units, (select count(*) from drafts)::int as drafts,
      (select count(*) from bulletin_items)::int as items, (select count(*) from recognitions)::int as recognitions,
      (select count(*) from topics)::int as topics, (select count(*) from topic_targets)::int as targets,
      pg_size_pretty(pg_database_size(current_database())) as size`;
    if (!size || size.drafts === 0) throw new Error(`no drafts in ${url}: run npm run bench -- generate first`);

    const range = periodRange(period, TZ);
    const from = scoreEventsFrom(period, TZ);
    const input = { period, timezone: TZ, quotas: DEFAULT_QUOTAS, now: range.end };

    const once = async <T>(f: () => Promise<T>): Promise<[T, number]> => {
      const t = process.hrtime.bigint();
      const r = await f();
      return [r, ms(t)];
    };
    // The first call also warms the caches the way a running bot has them warm.
    const [events, scoringMs] = await once(() => computeScoreEvents(handle.db, { from, to: range.end, timezone: TZ }));
    const [, countsMs] = await once(async () => draftCountsQuery(handle.db, range));
    // The ranking's own work: everything but pricing the score events. Measured before the whole
    // runs, whose hundreds of thousands of facts leave the heap to the garbage collector.
    const own: number[] = [];
    for (let i = 0; i < Math.max(runs, 5); i++) own.push((await once(() => computeRanking(handle.db, input, events)))[1]);
    const total: number[] = [];
    let report;
    for (let i = 0; i < runs; i++) {
      const t = process.hrtime.bigint();
      report = await computeRanking(handle.db, input);
      total.push(ms(t));
    }
    const [card, cardMs] = await once(async () => rankingCard(report!, { timezone: TZ, bulletin: true }));

    const verdict = median(total) < TARGET_MS ? 'meets' : 'misses';
    say(`Monthly ranking for ${values.period} on ${size.units} units, ${size.drafts} drafts, ${size.items} bulletin items, ${size.recognitions} recognitions, ${size.topics} topics (${size.targets} targets); database ${size.size}.`);
    say();
    say(`| what | median | min | max |`);
    say(`| --- | ---: | ---: | ---: |`);
    say(`| computeRanking, whole (${runs} runs) | ${f(median(total))} | ${f(Math.min(...total))} | ${f(Math.max(...total))} |`);
    say(`| of which computeScoreEvents ${iso(from)} → ${iso(range.end)} (${events.length} events; 1 run) | ${f(scoringMs)} | | |`);
    say(`| computeRanking given those events: the ranking's own work (${own.length} runs) | ${f(median(own))} | ${f(Math.min(...own))} | ${f(Math.max(...own))} |`);
    say(`| of which draft counts of the month (SQL; 1 run) | ${f(countsMs)} | | |`);
    say(`| rankingCard (${report!.rows.length} rows, ${(cardBytes(card) / 1024).toFixed(1)} KB) | ${f(cardMs)} | | |`);
    say();
    say(`Target: under ${TARGET_MS} ms on PostgreSQL; this run ${verdict} it (median ${f(median(total))}).`);
    say();
    const [facts] = await raw`select (select count(*) from bulletin_items)::int + (select count(*) from recognitions where status = 'confirmed')::int
      + (select count(*) from topic_targets t join topics p on p.id = t.topic_id where t.outcome is not null and p.deadline < ${range.end})::int as n`;
    say(
      `Where the time goes: computeScoreEvents alone took ${f(scoringMs)} in its own run, against ${f(median(total))} for the whole ranking. Whatever \`from\` is, it reads every bulletin item, ` +
        `item source and confirmed recognition ever recorded, and topic outcomes from a year before \`from\` (here about ${facts?.n} facts), ` +
        `and prices each one in JavaScript (calendar conversions through Intl for every fact). The ranking's own work, given the events, ` +
        `is ${f(median(own))}; its own SQL is one index range scan over the month (plan below). Meeting the target needs the scoring to read only the history it ` +
        `needs (facts since the start of the quarter of \`from\`, plus the earlier facts of the pieces those touch) or to keep priced ` +
        `events in a table; both are changes to domain/scoring (issue #5).`,
    );
    say();

    const [countsSql] = [draftCountsQuery(handle.db, range).toSQL()];
    const plans: [string, string, unknown[]][] = [
      ['draft counts of the month (domain/ranking/draft-counts.ts)', countsSql.sql, countsSql.params],
      [
        'scoring: every bulletin item with its issue (domain/scoring/load-facts.ts)',
        'select i.id, i.title, i.category, i.kind, i.adopted_at, s.year, s.number from bulletin_items i join bulletin_issues s on s.id = i.issue_id',
        [],
      ],
      ['scoring: every item source (domain/scoring/load-facts.ts)', 'select * from bulletin_item_sources', []],
      [
        'scoring: confirmed recognitions before the end (domain/scoring/load-facts.ts)',
        `select * from recognitions where status = 'confirmed' and occurred_on < $1`,
        // The loader's bound: the local day after the one `to` falls on.
        [formatLocalDate(new Date(range.end.getTime() + 86_400_000), TZ)],
      ],
    ];
    for (const [label, text, params] of plans) {
      const rows = await raw.unsafe(`explain (analyze, buffers) ${text}`, params as never[]);
      say(`Plan: ${label}`);
      say('```');
      for (const r of rows) say(String(r['QUERY PLAN']));
      say('```');
      say();
    }

    if (values.record) {
      const machine = [
        `nproc ${sh('nproc') || cpus().length}`,
        `${cpus()[0]?.model ?? 'cpu'}`,
        `memory ${(totalmem() / 2 ** 30).toFixed(1)} GiB (free -h: ${sh("free -h | awk '/^Mem:/ {print $2\" total, \"$7\" available\"}'")})`,
        `PostgreSQL ${sh("psql -h 127.0.0.1 -U postgres -Atc 'show server_version' 2>/dev/null") || '?'} on 127.0.0.1:5432`,
        `Node ${process.version}`,
        // Other work on the machine inflates every number; say how busy it was.
        `load average ${loadavg().map((x) => x.toFixed(1)).join(' / ')} (1/5/15 min) at the end of the run`,
      ].join('; ');
      writeResultsSection('ranking', [`## Monthly ranking (issue #6)`, '', `Run \`npm run bench -- generate\` then \`npm run bench -- ranking --record\`. Measured ${new Date().toISOString().slice(0, 10)}; ${machine}.`, '', ...lines].join('\n'));
      console.log('\nrecorded in bench/RESULTS.md');
    }
  } finally {
    await raw.end();
    await handle.close();
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

const f = (x: number) => `${x.toFixed(x < 10 ? 1 : 0)} ms`;
const iso = (d: Date) => d.toISOString().slice(0, 10);

function sh(cmd: string): string {
  try {
    return execSync(cmd, { encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
}
