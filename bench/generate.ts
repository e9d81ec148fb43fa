/**
 * npm run bench -- generate [--url postgres://…/gj_bench] [--units 2000] [--drafts 1000000] [--record]
 *
 * A province-scale history, made set-based in the database (generate_series, no row-by-row
 * inserts): units, officers, topics with targets and answers, five years of drafts ending on
 * 31 October 2026 (Asia/Shanghai), weekly bulletin issues with single and merged items, and
 * upper-level adoptions, endorsements and media recognitions; then the score ledger is priced from
 * nothing. Seeded, so every run builds the same history. The database is dropped and built anew.
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import postgres from 'postgres';
import { createDb } from '../db/client.js';
import { refreshScoreLedger } from '../domain/scoring/ledger.js';
import { DEFAULT_BENCH_URL, ms, openBenchDb } from './bench-db.js';
import { writeResultsSection } from './results.js';

const TZ = 'Asia/Shanghai';
const START = '2021-11-01 00:00:00+08';
const END = '2026-11-01 00:00:00+08';
/** The last 50 units join in June 2026 (their earlier drafts go to older units). */
const NEW_UNITS_AT = '2026-06-01 00:00:00+08';

export async function generateMain(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      url: { type: 'string', default: DEFAULT_BENCH_URL },
      units: { type: 'string', default: '2000' },
      drafts: { type: 'string', default: '1000000' },
      record: { type: 'boolean', default: false },
    },
  });
  const U = Number(values.units);
  const N = Number(values.drafts);
  if (!(U >= 100 && N >= U)) throw new Error('--units must be at least 100 and --drafts at least --units');
  const T = Math.max(10, Math.round(N / 2000)); // about two topics a week at full scale

  const t0 = process.hrtime.bigint();
  const handle = await openBenchDb(values.url!, { fresh: true });
  await handle.close();
  // One connection: the seed and the scratch tables belong to the session.
  const sql = postgres(values.url!, { max: 1, onnotice: () => {} });
  const log: string[] = [];
  try {
    for (const [label, text] of steps({ U, N, T })) {
      const t = process.hrtime.bigint();
      const result = await sql.unsafe(text);
      const line = `${label.padEnd(28)} ${String(result.count ?? '').padStart(9)} rows  ${(ms(t) / 1000).toFixed(1)} s`;
      console.log(line);
      log.push(line);
    }
    // The score ledger, priced from nothing: what the first read after the migration does on a
    // database with history. Vacuumed so the ranking's scans can be index-only.
    const t = process.hrtime.bigint();
    const db = await createDb({ kind: 'postgres', url: values.url! }, { maxConnections: 1, timeouts: { statementMs: 0 } });
    try {
      const built = await refreshScoreLedger(db.db, TZ);
      const line = `${'score ledger (full build)'.padEnd(28)} ${String(built.refreshed ? built.events : 0).padStart(9)} rows  ${(ms(t) / 1000).toFixed(1)} s  (${built.refreshed ? built.quarters : 0} quarters)`;
      console.log(line);
      log.push(line);
    } finally {
      await db.close();
    }
    const tv = process.hrtime.bigint();
    await sql.unsafe('vacuum analyze score_events');
    const vacuumLine = `${'vacuum analyze score_events'.padEnd(28)} ${''.padStart(9)}       ${(ms(tv) / 1000).toFixed(1)} s`;
    console.log(vacuumLine);
    log.push(vacuumLine);
  } finally {
    await sql.end();
  }
  const done = `done in ${(ms(t0) / 1000).toFixed(0)} s: ${U} units, ${N} drafts, ${T} topics`;
  console.log(`${done} (${values.url})`);
  if (values.record) {
    writeResultsSection(
      'generate',
      [
        '## Province-scale history (`npm run bench -- generate`)',
        '',
        `Built ${new Date().toISOString().slice(0, 10)} on the machine named in the ranking section, load average ${loadavg().map((x) => x.toFixed(1)).join(' / ')} at the end. Set-based SQL (generate_series), seeded: every run builds the same history.`,
        '',
        '```',
        ...log,
        done,
        '```',
      ].join('\n'),
    );
  }
}

function steps({ U, N, T }: { U: number; N: number; T: number }): [string, string][] {
  const span = `(timestamptz '${END}' - timestamptz '${START}')`;
  const local = (col: string) => `(${col} at time zone '${TZ}')`;
  return [
    ['seed', `select setseed(0.2026)`],
    [
      'units',
      `insert into units (id, name, active, sort_order, created_at) overriding system value
       select u, format('第%s单位', lpad(u::text, 4, '0')), u not between ${U - 69} and ${U - 50}, u,
              case when u > ${U - 50} then timestamptz '${NEW_UNITS_AT}' else timestamptz '2021-01-01 00:00:00+08' end
       from generate_series(1, ${U}) u`,
    ],
    [
      'people',
      `insert into people (open_id, name)
       select 'ou_b' || u, '信息员' || u from generate_series(1, ${U}) u
       union all select 'ou_bench_editor', '研究室'`,
    ],
    [
      'roles',
      `insert into role_assignments (open_id, role, unit_id, designated)
       select 'ou_b' || u, 'officer', u, true from generate_series(1, ${U}) u
       union all select 'ou_bench_editor', 'editor', null, false`,
    ],
    [
      'topics',
      `insert into topics (id, title, brief, category, deadline, deadline_set_at, all_units, status, created_by, created_at, settled_at, closed_at, closed_by)
       overriding system value
       select t, '点题' || t, '', (array['组工信息', '调研文稿', '网评文章'])[1 + t % 3], d, d - interval '14 days', t % 10 = 0,
              case when d < timestamptz '${END}' then 'closed' else 'open' end, 'ou_bench_editor', d - interval '14 days',
              case when d < timestamptz '${END}' then d end, case when d < timestamptz '${END}' then d end,
              case when d < timestamptz '${END}' then 'ou_bench_editor' end
       from (select t, timestamptz '${START}' + (t - 0.5) * ${span} / ${T} as d from generate_series(1, ${T}) t) x`,
    ],
    [
      'topic targets',
      `insert into topic_targets (topic_id, unit_id, outcome, outcome_at)
       select t.id, u.u,
              case when t.deadline < timestamptz '${END}' then (case when r < 0.6 then 'on_time' when r < 0.75 then 'late' else 'missing' end) end,
              case when t.deadline < timestamptz '${END}' then t.deadline end
       from topics t
       join lateral (select u, random() as r from generate_series(1, ${U}) u where t.all_units or u % 20 = t.id % 20) u on true`,
    ],
    [
      'scratch drafts',
      `create temp table bench_d as
       select g as id,
              timestamptz '${START}' + (g - 1 + random()) * (${span} / ${N}) as submitted_at,
              1 + floor(power(random(), 1.6) * ${U})::int as unit_pick,
              random() as r_cat, random() as r_state, random() as r_topic, random() as r_days
       from generate_series(1, ${N}) g`,
    ],
    [
      'drafts',
      `insert into drafts (id, serial, year, seq, unit_id, author_open_id, category, state, topic_id, title, submitted_at, updated_at, decided_at, decided_by)
       overriding system value
       select id, y || '-' || lpad(seq::text, greatest(4, length(seq::text)), '0'), y, seq, unit_id, 'ou_b' || unit_id, category, state, topic_id, '稿件' || id,
              submitted_at, submitted_at + interval '2 days',
              case when state not in ('pending_review', 'withdrawn') then submitted_at + interval '1 day' end,
              case when state not in ('pending_review', 'withdrawn') then 'ou_bench_reviewer' end
       from (
         select d.*, extract(year from ${local('submitted_at')})::int as y,
                row_number() over (partition by extract(year from ${local('submitted_at')}) order by id) as seq,
                case when unit_pick > ${U - 50} and submitted_at < timestamptz '${NEW_UNITS_AT}' then 1 + unit_pick % ${U - 50} else unit_pick end as unit_id,
                case when r_cat < 0.6 then '组工信息' when r_cat < 0.8 then '调研文稿' when r_cat < 0.95 then '网评文章' else '上级媒体稿件' end as category,
                case when r_state < 0.05 then 'withdrawn' when r_state < 0.10 then 'returned' when r_state < 0.12 then 'pending_review'
                     when r_state < 0.42 then 'adopted' when r_state < 0.60 then 'archived' else 'approved' end as state,
                case when r_topic < 0.2 then least(${T}, 1 + floor(extract(epoch from submitted_at - timestamptz '${START}') / extract(epoch from ${span}) * ${T}))::int end as topic_id
         from bench_d d
       ) x`,
    ],
    [
      'topic answers',
      `insert into topic_answers (topic_id, draft_id, unit_id, linked_at, linked_by)
       select topic_id, id, unit_id, submitted_at, author_open_id from drafts where topic_id is not null`,
    ],
    [
      'scratch adoptions',
      // One draft in twenty is merged with the next such draft into a 综合 item.
      `create temp table bench_a as
       select d.id as draft_id, d.unit_id, d.category, d.submitted_at + (3 + b.r_days * 17) * interval '1 day' as adopted_at,
              case when d.id % 20 = 0 then (row_number() over (partition by d.id % 20 = 0 order by d.id) + 1) / 2 end as pair
       from drafts d join bench_d b on b.id = d.id
       where d.state = 'adopted'`,
    ],
    [
      'scratch items',
      `create temp table bench_i as
       select row_number() over (order by adopted_at, key) as item_id, t.*,
              extract(year from ${local('adopted_at')})::int as y, floor((extract(doy from ${local('adopted_at')}) - 1) / 7)::int as w,
              random() as r1, random() as r2, random() as r3
       from (
         select 's' || draft_id as key, 'single' as kind, category, adopted_at, draft_id as single_draft, null::bigint as pair from bench_a where pair is null
         union all
         select 'm' || pair, 'merged', min(category), max(adopted_at), null, pair from bench_a where pair is not null group by pair
       ) t`,
    ],
    [
      'scratch issues',
      // One issue a week.
      `create temp table bench_s as
       select row_number() over (order by y, w) as issue_id, y, w, row_number() over (partition by y order by w) as number,
              min(adopted_at) as opened_at, max(adopted_at) as published_at
       from bench_i group by y, w`,
    ],
    // Every issue belongs to a publication (migration 0007); the history has the one main bulletin.
    ['publication', `insert into publications (name, sort_order) select '组工信息', 0 where not exists (select 1 from publications)`],
    [
      'bulletin issues',
      `insert into bulletin_issues (id, publication_id, year, number, status, opened_at, opened_by, published_at, published_by) overriding system value
       select issue_id, (select min(id) from publications), y, number, 'published', opened_at, 'ou_bench_editor', published_at, 'ou_bench_editor' from bench_s`,
    ],
    [
      'bulletin items',
      `insert into bulletin_items (id, issue_id, position, kind, category, title, body, adopted_at, adopted_by) overriding system value
       select i.item_id, s.issue_id, row_number() over (partition by s.issue_id order by i.item_id), i.kind, i.category, '条目' || i.item_id, '正文', i.adopted_at, 'ou_bench_editor'
       from bench_i i join bench_s s on s.y = i.y and s.w = i.w`,
    ],
    [
      'item sources',
      `insert into bulletin_item_sources (item_id, draft_id, unit_id)
       select i.item_id, a.draft_id, a.unit_id from bench_i i join bench_a a on a.draft_id = i.single_draft
       union all
       select i.item_id, a.draft_id, a.unit_id from bench_i i join bench_a a on a.pair = i.pair`,
    ],
    [
      'recognitions',
      // One item in ten goes up a level; one in a hundred is endorsed; two in a hundred reach the media.
      `insert into recognitions (item_id, kind, level, occurred_on, status, reported_by, reported_at, decided_by, decided_at)
       select item_id, kind, level, occurred_on, status, 'ou_bench_editor', occurred_on::timestamptz, 'ou_bench_editor', occurred_on::timestamptz
       from (
         select item_id,
                case when r1 < 0.10 then 'upper_adoption' when r1 < 0.11 then 'endorsement' else 'media' end as kind,
                case when r1 < 0.10 then (case when r2 < 0.7 then 'city' when r2 < 0.95 then 'province' else 'central' end)
                     else (case when r2 < 0.8 then 'city' else 'province' end) end as level,
                (${local('adopted_at')} + (10 + r3 * 30) * interval '1 day')::date as occurred_on,
                case when r3 < 0.03 then 'reported' when r3 > 0.98 then 'rejected' else 'confirmed' end as status
         from bench_i where r1 < 0.13
       ) x
       where occurred_on <= date '2026-11-20'`,
    ],
    [
      'serial counters',
      `insert into serial_counters (year, last) select year, max(seq) from drafts group by year`,
    ],
    ...['units', 'topics', 'drafts', 'publications', 'bulletin_issues', 'bulletin_items', 'bulletin_item_sources', 'recognitions', 'topic_answers', 'role_assignments'].map(
      (t): [string, string] => [`  sequence ${t}`, `select setval(pg_get_serial_sequence('${t}', 'id'), (select coalesce(max(id), 0) + 1 from ${t}), false)`],
    ),
    ['analyze', `analyze`],
  ];
}
