import ExcelJS from 'exceljs';
import { chineseDateTime, zonedTime } from '../../bot/time.js';
import type { DbOrTx } from '../../db/client.js';
import { units as unitsTable } from '../../db/schema/index.js';
import { storeBlob } from '../files/blob-store.js';
import { registerStats, type RateRow } from '../register/upward.js';
import { readScoreEvents } from '../scoring/score-events.js';
import { LEVEL_LABELS, type ScoreEventKind } from '../scoring/types.js';
import { computeAssessment } from './assessment.js';
import { computeRanking } from './compute.js';
import { XLSX_TYPE } from './export.js';
import { officerStats } from './officer-stats.js';
import type { QuotaRule } from './quotas.js';
import { evaluateQuotas } from './quota-progress.js';
import { quotasInForce } from './quotas-in-force.js';
import { draftCounts } from './draft-counts.js';
import { periodLabel, periodRange, type Period } from './period.js';
import { sheet, wallClock } from './workbook.js';

/** Sheet names, also what tests and people look for. */
export const ANNUAL_SHEETS = { units: '单位考核', officers: '个人统计', quotas: '任务完成', periods: '按月完成', events: '记分明细', register: '报送统计' } as const;

const KIND_LABELS: Record<ScoreEventKind, string> = {
  adoption: '采用',
  endorsement: '领导批示',
  media: '媒体刊发',
  topic_on_time: '点题按时',
  topic_late: '点题逾期',
  topic_missing: '点题未报',
  cap: '季度上限核减',
  adjustment: '加分扣分',
};

/**
 * The year's 评比 workbook for the 部务会: the assessment table by unit, the officers (candidates for
 * 优秀信息员), the unit quotas met or missed, every scored event with its reason, and the upward
 * register's 采用率. Stored in `blobs` for the outbox to send.
 */
export async function buildAnnualReview(
  db: DbOrTx,
  o: { year: number; timezone: string; configuredQuotas: QuotaRule[] | undefined; now: Date },
): Promise<{ blobSha256: string; fileName: string; units: number; officers: number; events: number; version: number }> {
  const start = zonedTime(o.year, 1, 1, 0, 0, o.timezone);
  const end = zonedTime(o.year + 1, 1, 1, 0, 0, o.timezone);
  const assessment = await computeAssessment(db, { year: o.year, timezone: o.timezone, now: o.now });
  const ranking = await computeRanking(db, { period: { kind: 'year', year: o.year }, timezone: o.timezone, configuredQuotas: o.configuredQuotas, now: o.now });
  const officers = await officerStats(db, { range: { start, end }, timezone: o.timezone });
  const events = await readScoreEvents(db, { from: start, to: end, timezone: o.timezone });
  const register = await registerStats(db, o.year);
  const unitNames = new Map((await db.select({ id: unitsTable.id, name: unitsTable.name }).from(unitsTable)).map((u) => [u.id, u.name]));

  const wb = new ExcelJS.Workbook();
  wb.creator = '稿件助手';
  wb.created = o.now;
  const made = `生成于 ${chineseDateTime(o.now, o.timezone)}`;

  const ut = sheet(wb, ANNUAL_SHEETS.units, `${o.year}年度信息工作考核（满分 ${assessment.max} 分，第${assessment.version.version}版规则“${assessment.version.rules.name}”，统计至 ${assessment.asOf}，${made}）`, [
    { header: '名次', width: 6 },
    { header: '单位', width: 20 },
    ...assessment.sections.flatMap((s) => [
      { header: `${s.name}得分`, width: 10, numFmt: '0.##' },
      { header: `${s.name}计分（上限 ${s.cap}）`, width: 12, numFmt: '0.##' },
      { header: `${s.name}折算（权重 ${s.weight}）`, width: 12, numFmt: '0.##' },
    ]),
    { header: '总分', width: 9, numFmt: '0.##' },
  ]);
  for (const r of assessment.rows) {
    ut.addRow([r.rank, r.unitName, ...assessment.sections.flatMap((s) => [r.sections[s.name]!.raw, r.sections[s.name]!.capped, r.sections[s.name]!.weighted]), r.total]);
  }

  const ot = sheet(wb, ANNUAL_SHEETS.officers, `${o.year}年度信息员个人统计（优秀信息员候选）`, [
    { header: '名次', width: 6 },
    { header: '姓名', width: 10 },
    { header: '单位', width: 20 },
    { header: '报送', width: 7 },
    { header: '通过', width: 7 },
    ...(['county', 'city', 'province', 'central'] as const).map((l) => ({ header: `${LEVEL_LABELS[l]}采用`, width: 9 })),
    { header: '得分', width: 9, numFmt: '0.##' },
  ]);
  for (const r of officers) {
    ot.addRow([r.rank, r.name, r.unitNames.join('、'), r.submitted, r.approved, r.adopted.county, r.adopted.city, r.adopted.province, r.adopted.central, r.points]);
  }

  // Monthly and quarterly unit quotas are judged period by period, not only as a year's total, each
  // against the quotas in force for that period; the year's columns are matched to them by name.
  const unitIds = ranking.rows.map((r) => r.unitId);
  const perPeriod = await periodQuotas(db, { year: o.year, timezone: o.timezone, now: o.now, configured: o.configuredQuotas, unitIds });
  const unitQuotas = ranking.quotas.filter((q) => q.units);
  const qt = sheet(wb, ANNUAL_SHEETS.quotas, `${o.year}年度各单位任务完成情况（按月、按季度的任务另计达标期数，明细见“${ANNUAL_SHEETS.periods}”）`, [
    { header: '单位', width: 20 },
    ...unitQuotas.flatMap((q) => [
      { header: `${q.rule.name}完成`, width: 10 },
      { header: `${q.rule.name}目标`, width: 10 },
      { header: `${q.rule.name}是否达标`, width: 12 },
      ...(q.rule.per !== 'year' ? [{ header: `${q.rule.name}达标期数`, width: 12 }, { header: `${q.rule.name}考核期数`, width: 12 }] : []),
    ]),
  ]);
  for (const r of ranking.rows) {
    qt.addRow([
      r.unitName,
      ...unitQuotas.flatMap((q) => {
        const count = q.units!.byUnit.get(r.unitId) ?? 0;
        const judged = q.rule.per !== 'year' ? perPeriod.filter((p) => p.rule.name === q.rule.name && p.rule.per === q.rule.per && p.unitId === r.unitId && p.state !== '进行中') : undefined;
        return [count, q.target, count >= q.target ? '达标' : '未达标', ...(judged ? [judged.filter((p) => p.state === '达标').length, judged.length] : [])];
      }),
    ]);
  }

  const pt = sheet(wb, ANNUAL_SHEETS.periods, `${o.year}年度各单位按月、按季度任务完成明细（未结束的期间记“进行中”，不计入考核期数）`, [
    { header: '单位', width: 20 },
    { header: '任务', width: 12 },
    { header: '期间', width: 16 },
    { header: '完成', width: 8 },
    { header: '目标', width: 8 },
    { header: '是否达标', width: 10 },
  ]);
  for (const r of ranking.rows) {
    for (const p of perPeriod.filter((x) => x.unitId === r.unitId)) pt.addRow([r.unitName, p.rule.name, p.label, p.count, p.target, p.state]);
  }

  const et = sheet(wb, ANNUAL_SHEETS.events, `${o.year}年度记分明细（共 ${events.length} 条）`, [
    { header: '日期', width: 12, numFmt: 'yyyy-mm-dd' },
    { header: '单位', width: 20 },
    { header: '考核项', width: 12 },
    { header: '类型', width: 12 },
    { header: '分值', width: 8, numFmt: '0.##' },
    { header: '规则版本', width: 9 },
    { header: '说明', width: 80 },
  ]);
  for (const e of events) {
    et.addRow([wallClock(e.at, o.timezone), unitNames.get(e.unitId) ?? `单位${e.unitId}`, e.section ?? '', KIND_LABELS[e.kind], e.points, e.ruleVersion, e.description]);
  }

  const rt = sheet(wb, ANNUAL_SHEETS.register, `${o.year}年度向上报送及采用情况`, [
    { header: '分组', width: 10 },
    { header: '项目', width: 24 },
    { header: '报送', width: 8 },
    { header: '采用', width: 8 },
    { header: '采用率', width: 9, numFmt: '0.0%' },
  ]);
  const add = (group: string, r: RateRow) => rt.addRow([group, r.key, r.sent, r.adopted, r.sent ? r.adopted / r.sent : null]);
  add('合计', register.total);
  for (const r of register.byLevel) add('级别', r);
  if (register.byWhat[1]!.sent > 0) for (const r of register.byWhat) add('报送内容', r);
  for (const r of register.byRecipient) add('报送对象', r);
  for (const r of register.byMonth) add('月份', r);

  const bytes = Buffer.from(await wb.xlsx.writeBuffer());
  const { sha256: blobSha256 } = await storeBlob(db, bytes, XLSX_TYPE);
  return { blobSha256, fileName: `年度评比_${o.year}.xlsx`, units: assessment.rows.length, officers: officers.length, events: events.length, version: assessment.version.version };
}

type PeriodQuota = { rule: QuotaRule; unitId: number; label: string; count: number; target: number; state: '达标' | '未达标' | '进行中' };

/**
 * Each unit's count against every monthly and quarterly unit quota, one period at a time, for the
 * periods of the year that have begun by `now`. A period not yet over is 进行中 unless already met.
 */
async function periodQuotas(
  db: DbOrTx,
  o: { year: number; timezone: string; now: Date; configured: QuotaRule[] | undefined; unitIds: number[] },
): Promise<PeriodQuota[]> {
  const out: PeriodQuota[] = [];
  for (const per of ['month', 'quarter'] as const) {
    const periods: Period[] =
      per === 'month'
        ? Array.from({ length: 12 }, (_, i) => ({ kind: 'month', year: o.year, month: i + 1 }))
        : Array.from({ length: 4 }, (_, i) => ({ kind: 'quarter', year: o.year, quarter: i + 1 }));
    for (const period of periods) {
      const range = periodRange(period, o.timezone);
      if (range.start >= o.now) break;
      const inForce = await quotasInForce(db, { period, timezone: o.timezone, now: o.now, configured: o.configured });
      const rules = inForce.filter((q) => q.scope === 'unit' && q.per === per);
      if (!rules.length) continue;
      const progress = await evaluateQuotas(db, { rules, period, timezone: o.timezone, unitIds: o.unitIds, periodCounts: await draftCounts(db, range) });
      for (const q of progress) {
        for (const [unitId, count] of q.units!.byUnit) {
          const state = count >= q.target ? '达标' : range.end > o.now ? '进行中' : '未达标';
          out.push({ rule: q.rule, unitId, label: periodLabel(period), count, target: q.target, state });
        }
      }
    }
  }
  return out;
}
