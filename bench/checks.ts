/**
 * npm run bench -- checks [--drafts 50000] [--chars 20000] [--runs 20] [--fresh] [--record] [--url postgres://…]
 *
 * Times every pre-review check (runChecks: dictionaries, punctuation, title/length, near-duplicates
 * with the lazy index catch-up) on one long draft against an archive of earlier drafts in
 * PostgreSQL. The archive is generated once into its own database (gj_bench_checks) and reused;
 * `--fresh` rebuilds it. `--record` writes the numbers into bench/RESULTS.md.
 */
import { cpus, totalmem } from 'node:os';
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { draftRevisions, drafts, people, revisionBands, revisionSignatures, units, type DraftState } from '../db/schema/index.js';
import { runChecks } from '../domain/checks/run-checks.js';
import { bandKeys, minhash, MIN_SHINGLES, shingleSet } from '../domain/checks/minhash.js';
import { ms, openBenchDb } from './bench-db.js';
import { seededRandom } from './seeded-random.js';
import { writeResultsSection } from './results.js';

const DEFAULT_URL = 'postgres://postgres@127.0.0.1:5432/gj_bench_checks';
/** The target for every check on one long draft against the archive. */
export const CHECKS_TARGET_MS = 1000;

type Options = { url: string; drafts: number; chars: number; runs: number; fresh: boolean; record: boolean };

function parseArgs(argv: string[]): Options {
  const o: Options = { url: DEFAULT_URL, drafts: 50_000, chars: 20_000, runs: 20, fresh: false, record: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const next = () => argv[++i] ?? '';
    if (a === '--url') o.url = next();
    else if (a === '--drafts') o.drafts = Number(next());
    else if (a === '--chars') o.chars = Number(next());
    else if (a === '--runs') o.runs = Number(next());
    else if (a === '--fresh') o.fresh = true;
    else if (a === '--record') o.record = true;
    else throw new Error(`unknown option ${a}`);
  }
  return o;
}

const PLACES = '城关 东街 西关 南岭 北山 新华 红旗 和平 长乐 青石 白沙 金川 石门 清水 柳河 杨庄 李集 王店 马坊 黄土 龙泉 桃园 杏林 梨花 松林 枣园 槐树 双河 三里 五里'.split(' ');
const TIMES = ['今年以来', '近年来', '近日', '去年以来', '今年上半年', '“十四五”以来', '今年一季度', '自开展主题教育以来'];
const SUBJECTS = ['党委', '党工委', '组织办', '党建办', '各村党支部', '社区党委', '机关党支部', '“两新”组织党委'];
const VERBS = ['坚持', '聚焦', '围绕', '紧扣', '立足', '突出', '强化', '深化', '创新', '探索', '推行', '建立', '完善', '实施', '开展', '推进'];
const OBJECTS = ['党员教育管理', '基层组织建设', '村级集体经济', '干部队伍建设', '人才振兴', '党建引领基层治理', '软弱涣散党组织整顿', '党员先锋模范作用', '网格化管理', '便民服务', '乡村振兴', '“三会一课”制度', '主题党日活动', '党员积分管理', '村“两委”换届', '年轻干部培养', '驻村第一书记管理', '党群服务中心建设', '流动党员管理', '发展党员工作'];
const ACTIONS = ['建立台账', '召开专题会议', '开展集中培训', '组织实地观摩', '实行清单管理', '推行积分考评', '开展结对帮扶', '设立服务窗口', '组建志愿服务队', '开展谈心谈话', '举办擂台比武', '实施项目化管理'];
const MEASURES = ['场次', '人次', '个', '名', '件', '项', '万元', '户'];
const EFFECTS = ['取得明显成效', '群众满意度持续提升', '基层战斗堡垒作用不断增强', '党员队伍活力进一步激发', '有力推动了中心工作', '形成了可复制可推广的经验', '为高质量发展提供了坚强组织保证', '打通了服务群众“最后一公里”'];
const COMMON = '的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处理世车';

function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)]!;
}

/** A name-like run of common characters: what makes each unit's text its own. */
function phrase(r: () => number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += COMMON[Math.floor(r() * COMMON.length)];
  return s;
}

function sentence(r: () => number, place: string): string {
  const num = 1 + Math.floor(r() * 400);
  return `${pick(r, TIMES)}，${place}${pick(r, SUBJECTS)}${pick(r, VERBS)}${pick(r, OBJECTS)}，${phrase(r, 4 + Math.floor(r() * 6))}${pick(r, ACTIONS)}${num}${pick(r, MEASURES)}，${phrase(r, 3 + Math.floor(r() * 5))}${pick(r, EFFECTS)}。`;
}

/** A 组工信息-like body: paragraphs of sentences until about `chars` characters. */
function body(r: () => number, place: string, chars: number): string[] {
  const paragraphs: string[] = [];
  let total = 0;
  while (total < chars) {
    let p = '';
    const n = 3 + Math.floor(r() * 4);
    for (let i = 0; i < n; i++) p += sentence(r, place);
    paragraphs.push(p);
    total += p.length;
  }
  return paragraphs;
}

const STATES: DraftState[] = ['adopted', 'archived', 'approved', 'pending_review', 'returned', 'withdrawn'];

async function buildArchive(db: Db, o: Options): Promise<void> {
  const r = seededRandom(20260510);
  const unitRows = await db
    .insert(units)
    .values(PLACES.map((p, i) => ({ name: `${p}${i % 3 === 0 ? '街道' : '镇'}`, sortOrder: i })))
    .returning({ id: units.id, name: units.name });
  await db.insert(people).values(unitRows.map((_, i) => ({ openId: `ou_bench_officer_${i}`, name: `信息员${i}` })));
  const perYear = new Map<number, number>();
  const started = process.hrtime.bigint();
  const BATCH = 1000;
  for (let from = 0; from < o.drafts; from += BATCH) {
    const rows = [];
    const bodies: string[][] = [];
    for (let i = from; i < Math.min(o.drafts, from + BATCH); i++) {
      const u = Math.floor(r() * unitRows.length);
      const year = 2021 + Math.floor((i / o.drafts) * 5);
      const seq = (perYear.get(year) ?? 0) + 1;
      perYear.set(year, seq);
      const at = new Date(Date.UTC(year, Math.floor(r() * 12), 1 + Math.floor(r() * 28), 2));
      const paragraphs = body(r, PLACES[u]!, 300 + Math.floor(r() * 1500));
      bodies.push(paragraphs);
      rows.push({
        serial: `${year}-${String(seq).padStart(5, '0')}`,
        year,
        seq,
        unitId: unitRows[u]!.id,
        authorOpenId: `ou_bench_officer_${u}`,
        category: '组工信息' as const,
        state: pick(r, STATES),
        title: `${unitRows[u]!.name}${pick(r, VERBS)}${pick(r, OBJECTS)}`,
        submittedAt: at,
        updatedAt: at,
      });
    }
    const inserted = await db.insert(drafts).values(rows).returning({ id: drafts.id, title: drafts.title, submittedAt: drafts.submittedAt });
    const revs = await db
      .insert(draftRevisions)
      .values(
        inserted.map((d, k) => ({
          draftId: d.id,
          revision: 1,
          title: d.title,
          body: bodies[k]!.join('\n'),
          charCount: bodies[k]!.join('').length,
          sourceType: 'text' as const,
          createdAt: d.submittedAt,
        })),
      )
      .returning({ id: draftRevisions.id, draftId: draftRevisions.draftId, body: draftRevisions.body });
    await bulkIndex(db, revs);
    if ((from / BATCH) % 10 === 0) console.log(`  ${from + rows.length} drafts (${(ms(started) / 1000).toFixed(0)} s)`);
  }
  await db.execute(sql`analyze`);
}

/** The same signatures indexRevision writes, inserted in bulk (one row at a time would take an hour). */
async function bulkIndex(db: Db, revs: { id: number; draftId: number; body: string }[]) {
  const now = new Date();
  const sigs = [];
  const bands = [];
  for (const r of revs) {
    const shingles = shingleSet(r.body);
    sigs.push({ revisionId: r.id, draftId: r.draftId, shingles: shingles.size, indexedAt: now });
    if (shingles.size < MIN_SHINGLES) continue;
    for (const bandKey of new Set(bandKeys(minhash(shingles)))) bands.push({ bandKey, revisionId: r.id, draftId: r.draftId });
  }
  await db.insert(revisionSignatures).values(sigs);
  for (let i = 0; i < bands.length; i += 5000) await db.insert(revisionBands).values(bands.slice(i, i + 5000));
}

/**
 * The draft under test: `chars` characters, with a few planted errors, and with one archived
 * draft from another unit copied into it, so the duplicate check has a real hit to verify.
 */
async function probe(db: Db, chars: number): Promise<{ title: string; paragraphs: string[]; unitId: number; copiedSerial: string }> {
  const r = seededRandom(7);
  const paragraphs = body(r, '新华', chars);
  paragraphs[3] = `村里新按装了路灯,十八大以来群众满意度持续提升。${paragraphs[3]}`;
  const [copied] = await db.execute(sql`select d.serial, r.body from drafts d join draft_revisions r on r.draft_id = d.id where d.state = 'adopted' order by d.id limit 1`).then(rowsOf);
  paragraphs.splice(10, 0, ...String(copied!.body).split('\n'));
  const [unit] = await db.select({ id: units.id }).from(units).where(sql`${units.name} like '新华%'`);
  return { title: '新华镇党建引领基层治理工作情况', paragraphs, unitId: unit!.id, copiedSerial: String(copied!.serial) };
}

function rowsOf(result: unknown): Record<string, unknown>[] {
  return (Array.isArray(result) ? result : (result as { rows: Record<string, unknown>[] }).rows) as Record<string, unknown>[];
}

function thousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+$)/g, ',');
}

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
}

export type ChecksResult = Awaited<ReturnType<typeof measureChecks>>;

/**
 * Builds the archive if the database has none, then times runChecks on the probe. Also used by
 * `npm run bench -- all`.
 */
export async function measureChecks(options: Partial<Options> = {}) {
  const o = { ...parseArgs([]), ...options };
  const handle = await openBenchDb(o.url, { fresh: o.fresh });
  const db = handle.db;
  try {
    const [{ n }] = (await db.execute(sql`select count(*)::int as n from drafts`).then(rowsOf)) as [{ n: number }];
    if (n !== o.drafts) {
      if (n > 0) throw new Error(`the bench database has ${n} drafts, not ${o.drafts}: pass --fresh to rebuild it`);
      console.log(`building an archive of ${o.drafts} drafts in ${o.url} …`);
      const t = process.hrtime.bigint();
      await buildArchive(db, o);
      console.log(`  built in ${(ms(t) / 1000).toFixed(0)} s`);
    }
    const p = await probe(db, o.chars);
    const chars = p.paragraphs.join('').length;
    const input = { title: p.title, paragraphs: p.paragraphs, category: '组工信息' as const, unitId: p.unitId, now: new Date() };

    const findings = await runChecks(db, input); // warm-up: JIT, dictionary files, plan cache
    const dup = findings.find((f) => f.kind === 'duplicate' && f.other?.serial === p.copiedSerial);
    if (!dup) throw new Error(`the copied archive draft ${p.copiedSerial} was not found: ${JSON.stringify(findings.filter((f) => f.kind === 'duplicate'))}`);
    const times: number[] = [];
    for (let i = 0; i < o.runs; i++) {
      const t = process.hrtime.bigint();
      await runChecks(db, input);
      times.push(ms(t));
    }
    const counts = Object.entries(findings.reduce<Record<string, number>>((m, f) => ((m[f.kind] = (m[f.kind] ?? 0) + 1), m), {}))
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
    const [bandRows] = (await db.execute(sql`select count(*)::int as n from revision_bands`).then(rowsOf)) as [{ n: number }];
    const [version] = (await db.execute(sql`select current_setting('server_version') as v`).then(rowsOf)) as [{ v: string }];
    const stats = { min: Math.min(...times), median: quantile(times, 0.5), p95: quantile(times, 0.95), max: Math.max(...times) };
    return { o, chars, paragraphs: p.paragraphs.length, copiedSerial: p.copiedSerial, similarity: dup.other!.similarity, counts, bandRows: bandRows.n, version: version.v, stats };
  } finally {
    await handle.close();
  }
}

export async function checksMain(argv: string[]): Promise<void> {
  const { o, chars, paragraphs, copiedSerial, similarity, counts, bandRows, version, stats } = await measureChecks(parseArgs(argv));
  const line = (k: keyof typeof stats) => `${stats[k].toFixed(0)} ms`;
  console.log(`runChecks on ${chars} characters against ${o.drafts} drafts: min ${line('min')}, median ${line('median')}, p95 ${line('p95')}, max ${line('max')}`);
  console.log(`findings: ${counts}; duplicate found: ${copiedSerial} (${similarity})`);

  if (o.record) {
    const cpu = cpus();
    writeResultsSection(
      'checks',
      [
        '## Pre-review checks (`npm run bench -- checks`)',
        '',
        `Measured ${new Date().toISOString().slice(0, 10)} on ${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version}, PostgreSQL ${version} on the same machine (a shared 2-core development box; other work was running).`,
        '',
        `Every check of \`runChecks\` (title, length, near-duplicates with the index catch-up, sensitive words, official wording, typos, punctuation) on one draft of ${chars} characters (${paragraphs} paragraphs) against an archive of ${thousands(o.drafts)} drafts (${thousands(bandRows)} LSH band rows), ${o.runs} runs after one warm-up:`,
        '',
        '| min | median | p95 | max | target |',
        '|---|---|---|---|---|',
        `| ${line('min')} | ${line('median')} | ${line('p95')} | ${line('max')} | < ${CHECKS_TARGET_MS} ms |`,
        '',
        `Findings per run: ${counts}. The archive draft ${copiedSerial} copied into the probe was found (similarity ${similarity}).`,
        'The archive is generated from templates (unit names, stock phrases of 组工信息, random character runs), so drafts share phrasing the way real ones do; bodies are 300–1,800 characters.',
      ].join('\n'),
    );
    console.log('written to bench/RESULTS.md');
  }
}
