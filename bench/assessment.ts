/**
 * npm run bench -- assessment [--url postgres://…/gj_bench] [--year 2026] [--runs 5] [--record]
 *
 * Times the year's assessment table (`考核 2026`) and the officers' ranking (`排行 个人 2026`) on the
 * database that `npm run bench -- generate` filled, with the score ledger up to date. Before timing it
 * records one manual 扣分 per hundred units (once; kept), so the adjustments' join is exercised too,
 * and prints the plans of both queries. --record writes the result into bench/RESULTS.md.
 */
import { parseArgs } from 'node:util';
import postgres from 'postgres';
import { sql } from 'drizzle-orm';
import { zonedTime } from '../bot/time.js';
import { assessmentCard } from '../cards/assessment.js';
import { officerRankingCard } from '../cards/officer-stats.js';
import { cardBytes } from '../cards/elements.js';
import { computeAssessment } from '../domain/ranking/assessment.js';
import { officerCreditsSql, officerStats } from '../domain/ranking/officer-stats.js';
import { refreshScoreLedger } from '../domain/scoring/ledger.js';
import { DEFAULT_BENCH_URL, ms, openBenchDb } from './bench-db.js';
import { formatMs as f, median, Report, timingCells as stats } from './results.js';

const TZ = 'Asia/Shanghai';
/** The target for a year's 考核 and 排行 个人 on the province-scale history. */
const TARGET_MS = 300;

export async function assessmentMain(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      url: { type: 'string', default: DEFAULT_BENCH_URL },
      year: { type: 'string', default: '2026' },
      runs: { type: 'string', default: '5' },
      record: { type: 'boolean', default: false },
    },
  });
  const url = values.url!;
  const year = Number(values.year);
  const runs = Math.max(3, Number(values.runs));
  // Brings the schema up to date (a history generated before the credits table gets it, and a re-pricing).
  const handle = await openBenchDb(url);
  const raw = postgres(url, { max: 1, onnotice: () => {} });
  const report = new Report();
  const say = report.say;
  try {
    const [size] = await raw`select (select count(*) from units)::int as units, (select count(*) from drafts)::int as drafts, (select count(*) from score_events)::int as events`;
    if (!size || size.drafts === 0) throw new Error(`no drafts in ${url}: run npm run bench -- generate first`);
    const [adj] = await raw`select count(*)::int as n from score_adjustments`;
    if (!adj?.n) {
      // One 扣分 per hundred units, on a piece and its author, spread over the year.
      await raw`
        insert into score_adjustments (unit_id, draft_id, officer_open_id, section, cents, reason, occurred_on, created_by, created_at)
        select d.unit_id, d.id, d.author_open_id, '组工信息', -200, '信息失实', (${`${year}-01-05`}::date + (u.n * 7 % 290)::int), 'ou_bench_editor', now()
        from (select id, row_number() over (order by id) as n from units) u
        join lateral (select id, unit_id, author_open_id from drafts where unit_id = u.id order by id desc limit 1) d on true
        where u.n % 100 = 0`;
    }
    const t0 = process.hrtime.bigint();
    const startRefresh = await refreshScoreLedger(handle.db, TZ);
    const startRefreshMs = ms(t0);
    await raw.unsafe('vacuum analyze score_events');

    const start = zonedTime(year, 1, 1, 0, 0, TZ);
    const end = zonedTime(year + 1, 1, 1, 0, 0, TZ);
    const now = new Date(Math.min(Date.now(), end.getTime() - 1));
    const time = async (f: () => Promise<unknown>) => {
      await f(); // warm, as a running bot has its caches
      const out: number[] = [];
      for (let i = 0; i < runs; i++) {
        const t = process.hrtime.bigint();
        await f();
        out.push(ms(t));
      }
      return out;
    };
    let assessment!: Awaited<ReturnType<typeof computeAssessment>>;
    let officers!: Awaited<ReturnType<typeof officerStats>>;
    const assessmentMs = await time(async () => (assessment = await computeAssessment(handle.db, { year, timezone: TZ, now })));
    const officersMs = await time(async () => (officers = await officerStats(handle.db, { range: { start, end }, timezone: TZ })));
    const t1 = process.hrtime.bigint();
    const cards = [assessmentCard(assessment), officerRankingCard({ periodLabel: `${year}年`, rows: officers })];
    const cardsMs = ms(t1);

    const plans: [string, string][] = [
      [
        'points per unit and section for the year (domain/ranking/assessment.ts)',
        `select unit_id, section, sum(cents) from score_events where at >= '${start.toISOString()}' and at < '${end.toISOString()}' group by unit_id, section`,
      ],
    ];
    const planLines: string[] = [];
    for (const [label, text] of plans) {
      const rows = await raw.unsafe(`explain (analyze, buffers) ${text}`);
      planLines.push(`Plan: ${label}`, '```', ...rows.map((r) => String(r['QUERY PLAN'])), '```', '');
    }
    const officerSql = await officerPlan(handle.db, { start, end });
    planLines.push('Plan: officer credits for the year (domain/ranking/officer-stats.ts)', '```', ...officerSql, '```', '');

    const [events] = await raw`select count(*)::int as n from score_events where at >= ${start} and at < ${end}`;
    say(`Assessment and officers' ranking for ${year} on ${size.units} units, ${size.drafts} drafts; ${events?.n} score events in the year (${size.events} in the ledger).`);
    say();
    say('| what | median | min | max |');
    say('| --- | ---: | ---: | ---: |');
    say(`| computeAssessment (考核 ${year}), ledger up to date (${runs} runs) | ${stats(assessmentMs)} |`);
    say(`| officerStats (排行 个人 ${year}; ${officers.length} officers) | ${stats(officersMs)} |`);
    say(`| both cards (${cards.map((c) => `${(cardBytes(c) / 1024).toFixed(1)} KB`).join(', ')}; 1 run) | ${f(cardsMs)} | | |`);
    say();
    const verdict = (xs: number[]) => (median(xs) < TARGET_MS ? 'meets' : 'misses');
    say(`Target: under ${TARGET_MS} ms on PostgreSQL; 考核 ${verdict(assessmentMs)} it (median ${f(median(assessmentMs))}), 排行 个人 ${verdict(officersMs)} it (median ${f(median(officersMs))}).${startRefresh.refreshed ? ` (The ledger was stale at the start — the adjustments or the new section column — and took ${f(startRefreshMs)} to refresh.)` : ''}`);
    say();
    for (const l of planLines) say(l);

    if (values.record) report.record('assessment', "Assessment table and officers' ranking", { after: 'generate' });
  } finally {
    await raw.end();
    await handle.close();
  }
}

async function officerPlan(db: Parameters<typeof officerStats>[0], range: { start: Date; end: Date }): Promise<string[]> {
  const result = await db.execute(sql`explain (analyze, buffers) ${officerCreditsSql(range)}`);
  const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as Record<string, unknown>[];
  return rows.map((r) => String(r['QUERY PLAN']));
}
