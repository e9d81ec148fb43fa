import { desc, eq } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { bulletinIssues, type BulletinIssue, type Publication } from '../../db/schema/index.js';
import { publicationById } from '../../domain/desk/publications.js';
import type { Card } from '../../cards/elements.js';
import { issueCard, noOpenIssueCard, type IssueSignLine } from '../../cards/desk-issue.js';
import { chineseDateTime } from '../../bot/time.js';
import { signStateOf } from '../../domain/desk/editorial.js';
import { nameOf } from '../../domain/drafts/views.js';
import { findOpenIssue, issueItems, issueLabel } from '../../domain/desk/issues.js';

export async function renderIssue(tx: Tx, issue: BulletinIssue, timezone: string): Promise<Card> {
  const items = await issueItems(tx, issue.id);
  return issueCard({ bulletinName: (await publicationById(tx, issue.publicationId)).name, issue, label: issueLabel(issue), items, timezone, sign: await signLine(tx, issue, items.length, timezone) });
}

async function signLine(tx: Tx, issue: BulletinIssue, items: number, timezone: string): Promise<IssueSignLine> {
  const state = await signStateOf(tx, issue);
  const at = (d: Date | null) => (d ? chineseDateTime(d, timezone) : '');
  switch (state.kind) {
    case 'none':
      return { text: items ? '未送审。编审完成后点“送审”，由部领导签发。' : '未送审。', canSubmit: items > 0, canPublish: false };
    case 'pending':
      return { text: `已于 ${at(state.signoff.submittedAt)} 送审，等待签发。`, canSubmit: false, canPublish: false };
    case 'returned':
      return { text: `${await nameOf(tx, state.signoff.decidedBy!)} 退回修改：${state.signoff.comment ?? ''}`, canSubmit: true, canPublish: false };
    case 'signed':
      return { text: issue.status === 'open' ? `${await nameOf(tx, state.signoff.decidedBy!)} 已于 ${at(state.signoff.decidedAt)} 签发，可以印发。` : `签发人：${await nameOf(tx, state.signoff.decidedBy!)}`, canSubmit: false, canPublish: true };
    case 'stale':
      return { text: state.signoff.status === 'signed' ? '签发后本期有修改，签发已作废，请重新送审。' : '送审后本期有修改，请重新送审。', canSubmit: true, canPublish: false };
  }
}

/** The publication's open issue, or an offer to open its next one. */
export async function renderCurrentIssue(tx: Tx, publication: Publication, timezone: string): Promise<Card> {
  const open = await findOpenIssue(tx, publication.id);
  if (open) return renderIssue(tx, open, timezone);
  const [last] = await tx
    .select()
    .from(bulletinIssues)
    .where(eq(bulletinIssues.publicationId, publication.id))
    .orderBy(desc(bulletinIssues.year), desc(bulletinIssues.number))
    .limit(1);
  return noOpenIssueCard({ bulletinName: publication.name, publicationId: publication.id, lastLabel: last ? issueLabel(last) : undefined });
}
