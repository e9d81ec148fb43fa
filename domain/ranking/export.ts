import type { DbOrTx } from '../../db/client.js';
import { storeBlob } from '../files/blob-store.js';
import { readScoreEvents } from '../scoring/score-events.js';
import { computeRanking, type RankingInput } from './compute.js';
import { exportDrafts } from './export-drafts.js';
import { periodKey, periodRange } from './period.js';
import { rankingWorkbook } from './workbook.js';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * Builds the ranking workbook for a period and stores its bytes in `blobs`, where the outbox's
 * send_file picks them up after the transaction commits.
 */
export async function buildRankingExport(db: DbOrTx, input: RankingInput): Promise<{ blobSha256: string; fileName: string; units: number; drafts: number; label: string }> {
  const range = periodRange(input.period, input.timezone);
  const report = await computeRanking(db, input);
  // The drafts' points follow them past the period's end (a draft of October adopted on 3 November),
  // and nothing scores before a draft is submitted.
  const events = await readScoreEvents(db, {
    from: range.start,
    to: new Date(Math.max(range.end.getTime(), input.now.getTime())),
    timezone: input.timezone,
  });
  const drafts = await exportDrafts(db, range, events);
  const bytes = await rankingWorkbook(report, drafts, input.timezone);
  const { sha256: blobSha256 } = await storeBlob(db, bytes, XLSX_TYPE);
  return { blobSha256, fileName: `信息工作排行_${periodKey(input.period)}.xlsx`, units: report.rows.length, drafts: drafts.length, label: report.label };
}
