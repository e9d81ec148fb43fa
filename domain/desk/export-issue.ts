import { UserError } from '../../bot/errors.js';
import { formatLocalDate } from '../../bot/time.js';
import type { DbOrTx } from '../../db/client.js';
import { getOrgSettings } from '../../db/queries/roster.js';
import type { BulletinIssue, Distribution } from '../../db/schema/index.js';
import { nameOf } from '../drafts/views.js';
import { storeBlob } from './blobs.js';
import { signStateOf } from './editorial.js';
import { issueSettingsOf } from './signoff.js';
import { buildBulletinDocx } from './export-docx.js';
import { issueItems, issueLabel } from './issues.js';
import { publicationById } from './publications.js';

export const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** Builds the issue's .docx and stores it; the caller sends it with ctx.out.sendFile. */
export async function exportIssue(db: DbOrTx, o: { issue: BulletinIssue; timezone: string }): Promise<{ blobSha256: string; fileName: string; label: string }> {
  const { issue } = o;
  const items = await issueItems(db, issue.id);
  if (!items.length) throw new UserError(`${issueLabel(issue)}还没有稿件，无法导出。`);
  const settings = await getOrgSettings(db);
  const state = await signStateOf(db, issue);
  const bulletinName = (await publicationById(db, issue.publicationId)).name;
  const bytes = await buildBulletinDocx({
    bulletinName,
    department: settings?.department ?? '',
    year: issue.year,
    number: issue.number,
    publishedOn: issue.publishedAt ? formatLocalDate(issue.publishedAt, o.timezone) : undefined,
    items: items.map((it) => ({ title: it.title, unitNames: it.unitNames, body: it.body, note: it.editorNote })),
    issueNote: issue.editorNote,
    distribution: distributionLines((await issueSettingsOf(db)).distribution),
    signer: state.kind === 'signed' ? await nameOf(db, state.signoff.decidedBy!) : undefined,
  });
  const blobSha256 = await storeBlob(db, bytes, DOCX_TYPE);
  const draftMark = issue.status === 'open' ? '（未发布）' : '';
  return { blobSha256, fileName: `${bulletinName}${issueLabel(issue)}${draftMark}.docx`, label: issueLabel(issue) };
}

/** The configured 报/送/发 lines, in that order, without the empty ones. */
export function distributionLines(d: Distribution): { label: string; text: string }[] {
  return (['报', '送', '发'] as const).flatMap((label) => (d[label] ? [{ label, text: d[label]! }] : []));
}
