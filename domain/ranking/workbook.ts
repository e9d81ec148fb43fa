import ExcelJS from 'exceljs';
import { chineseDateTime, localParts } from '../../bot/time.js';
import { STATE_LABELS } from '../drafts/states.js';
import { LEVEL_LABELS } from '../scoring/types.js';
import type { ExportDraft } from './export-drafts.js';
import { periodNoun } from './period.js';
import { describeQuota } from './quotas.js';
import { formatRankChange } from './rank.js';
import type { RankingReport } from './types.js';

type Column = { header: string; width: number; numFmt?: string };

/** Sheet names, also what tests and people look for. */
export const SHEETS = { summary: '单位汇总', drafts: '稿件明细', quotas: '任务进度' } as const;

/**
 * The ranking as an .xlsx: the card's per-unit summary, every draft of the period, and quota
 * progress. Row 1 is a title, row 2 the Chinese headers, data from row 3; counts and points are
 * numbers, times are real dates in the bot's timezone, so the sheet sorts and sums in Excel.
 */
export async function rankingWorkbook(report: RankingReport, drafts: ExportDraft[], timezone: string): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '稿件助手';
  wb.created = report.generatedAt;
  const noun = periodNoun(report.period.kind);
  const title = `${report.label}信息工作排行（生成于 ${chineseDateTime(report.generatedAt, timezone)}）`;

  const unitQuotas = report.quotas.filter((q) => q.units);
  const summary = sheet(wb, SHEETS.summary, title, [
    { header: '名次', width: 6 },
    { header: '单位', width: 20 },
    { header: '专职信息员', width: 11 },
    { header: '送审', width: 7 },
    // glossary-ok: 报送 = passed to the research office (docs/glossary.md)
    { header: '报送', width: 7 },
    ...(['county', 'city', 'province', 'central'] as const).map((l) => ({ header: `${LEVEL_LABELS[l]}采用`, width: 9 })),
    { header: `${noun}得分`, width: 10 },
    { header: '全年累计', width: 10 },
    { header: '名次变化', width: 9 },
    ...unitQuotas.map((q) => ({ header: `${q.rule.name}（${q.windowLabel}）`, width: 18 })),
    { header: '备注', width: 10 },
  ]);
  for (const r of report.rows) {
    summary.addRow([
      r.rank,
      r.unitName,
      r.designatedOfficer ?? '',
      r.submitted,
      r.approved,
      r.adopted.county,
      r.adopted.city,
      r.adopted.province,
      r.adopted.central,
      r.points,
      r.ytdPoints,
      formatRankChange(r.change),
      ...unitQuotas.map((q) => q.units!.byUnit.get(r.unitId) ?? 0),
      r.approved === 0 ? '零报送' : '',
    ]);
  }
  const t = report.totals;
  const totalRow = summary.addRow([
    null,
    '全县合计',
    null,
    t.submitted,
    t.approved,
    t.adopted.county,
    t.adopted.city,
    t.adopted.province,
    t.adopted.central,
    t.points,
    t.ytdPoints,
    null,
    ...unitQuotas.map(() => null),
    `零报送 ${report.zeroSubmission.length} 个`,
  ]);
  totalRow.font = { bold: true };

  const detail = sheet(wb, SHEETS.drafts, `${report.label}送审稿件明细（共 ${drafts.length} 篇，状态与得分截至生成时）`, [
    { header: '编号', width: 11 },
    { header: '单位', width: 20 },
    { header: '作者', width: 10 },
    { header: '类别', width: 12 },
    { header: '标题', width: 40 },
    { header: '点题', width: 24 },
    { header: '状态', width: 8 },
    { header: '提交时间', width: 17, numFmt: 'yyyy-mm-dd hh:mm' },
    { header: '采用级别', width: 16 },
    { header: '得分', width: 8 },
  ]);
  for (const d of drafts) {
    detail.addRow([
      d.serial,
      d.unitName,
      d.author,
      d.category,
      d.title,
      d.topic ?? '',
      STATE_LABELS[d.state],
      wallClock(d.submittedAt, timezone),
      d.levels.map((l) => LEVEL_LABELS[l]).join('、'),
      d.points,
    ]);
  }

  const quotas = sheet(wb, SHEETS.quotas, `${report.label}任务进度`, [
    { header: '指标', width: 12 },
    { header: '要求', width: 36 },
    { header: '统计期间', width: 20 },
    { header: '完成', width: 8 },
    { header: '目标', width: 8 },
    { header: '完成率', width: 9, numFmt: '0%' },
  ]);
  for (const q of report.quotas) {
    // Unit quotas are read as "so many units reached the target": count and goal are numbers of units.
    const goal = q.units ? q.units.total : q.target;
    quotas.addRow([q.rule.name, describeQuota(q.rule) + (q.units ? '（完成、目标为单位数）' : ''), q.windowLabel, q.count, goal, goal > 0 ? q.count / goal : null]);
  }

  return Buffer.from(await wb.xlsx.writeBuffer());
}

export function sheet(wb: ExcelJS.Workbook, name: string, title: string, columns: Column[]): ExcelJS.Worksheet {
  const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 2 }] });
  ws.columns = columns.map((c) => ({ width: c.width, style: c.numFmt ? { numFmt: c.numFmt } : {} }));
  ws.addRow([title]).font = { bold: true, size: 13 };
  ws.mergeCells(1, 1, 1, columns.length);
  const header = ws.addRow(columns.map((c) => c.header));
  header.font = { bold: true };
  header.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
  return ws;
}

/**
 * Excel dates carry no timezone and exceljs writes a Date's UTC fields; shifting by the local
 * wall-clock makes the cell read 2026-10-12 14:05 as people in BOT_TIMEZONE saw it.
 */
export function wallClock(d: Date, timezone: string): Date {
  const p = localParts(d, timezone);
  return new Date(Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second));
}
