import { desc } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { bulletinIssues, type BulletinIssue } from '../../db/schema/index.js';
import { getOrgSettings } from '../../db/queries/roster.js';
import type { Card } from '../../cards/elements.js';
import { issueCard, noOpenIssueCard } from '../../cards/desk-issue.js';
import { findOpenIssue, issueItems, issueLabel } from '../../domain/desk/issues.js';

export async function renderIssue(tx: Tx, issue: BulletinIssue, timezone: string): Promise<Card> {
  const settings = await getOrgSettings(tx);
  return issueCard({ bulletinName: settings?.bulletinName ?? '组工信息', issue, label: issueLabel(issue), items: await issueItems(tx, issue.id), timezone });
}

/** The open issue, or an offer to open the next one. */
export async function renderCurrentIssue(tx: Tx, timezone: string): Promise<Card> {
  const open = await findOpenIssue(tx);
  if (open) return renderIssue(tx, open, timezone);
  const settings = await getOrgSettings(tx);
  const [last] = await tx.select().from(bulletinIssues).orderBy(desc(bulletinIssues.year), desc(bulletinIssues.number)).limit(1);
  return noOpenIssueCard({ bulletinName: settings?.bulletinName ?? '组工信息', lastLabel: last ? issueLabel(last) : undefined });
}
