import { eq } from 'drizzle-orm';
import { UserError } from '../../bot/errors.js';
import { getOrgSettings, holdersOf } from '../../db/queries/roster.js';
import { bulletinIssues } from '../../db/schema/index.js';
import { nameOf } from '../drafts/views.js';
import { signStateOf } from './editorial.js';
import { exportIssue } from './export-issue.js';
import { lockDesk } from './lock.js';
import { chineseDate, formatLocalDate } from '../../bot/time.js';
import type { UnitOfWork } from '../../bot/unit-of-work.js';
import { issueLabel, publishIssue } from './issues.js';
import { publicationById } from './publications.js';

/**
 * Publishes the issue and tells the officers and reviewers of every unit in it, one private message
 * per person listing their own units' pieces (titles only: draft text never goes further).
 */
export async function publishAndNotify(ctx: UnitOfWork, o: { issueId: number; actor: string }) {
  const now = ctx.deps.clock.now();
  await lockDesk(ctx.tx);
  const [current] = await ctx.tx.select().from(bulletinIssues).where(eq(bulletinIssues.id, o.issueId)).for('update');
  if (!current) throw new UserError('找不到这一期。');
  if (current.status === 'open') {
    const state = await signStateOf(ctx.tx, current);
    if (state.kind !== 'signed') {
      throw new UserError(
        state.kind === 'stale' && state.signoff.status === 'signed'
          ? `${issueLabel(current)}签发后又有修改，签发已作废，请重新送审。`
          : `${issueLabel(current)}尚未签发，不能印发。请先送审，部领导签发后再印发。`,
        'user:conflict',
      );
    }
  }
  const { issue, items } = await publishIssue(ctx.tx, { issueId: o.issueId, actor: o.actor, now });
  const settings = await getOrgSettings(ctx.tx);
  const notify = ctx.deps.config.issuePublishNotify;
  const bulletinName = (await publicationById(ctx.tx, issue.publicationId)).name;
  const date = formatLocalDate(now, ctx.deps.config.timezone);
  if (notify.includes('leaders')) {
    const file = await exportIssue(ctx.tx, { issue, timezone: ctx.deps.config.timezone });
    const state = await signStateOf(ctx.tx, issue);
    const signer = state.kind === 'signed' ? await nameOf(ctx.tx, state.signoff.decidedBy!) : undefined;
    const seen = new Set<string>();
    for (const l of await holdersOf(ctx.tx, 'leader')) {
      if (seen.has(l.openId)) continue;
      seen.add(l.openId);
      await ctx.notify({ openId: l.openId }, { kind: 'issue.publishedToLeader', bulletinName, label: issueLabel(issue), date: chineseDate(date), items, signer });
      await ctx.out.sendFile({ openId: l.openId }, { blobSha256: file.blobSha256, fileName: file.fileName });
    }
  }
  if (notify.includes('group') && settings?.groupChatId) {
    // Titles and the number only: the pieces' text never goes to a group.
    const titles = items.map(({ position, title, unitNames }) => ({ position, title, unitNames }));
    await ctx.notify({ chatId: settings.groupChatId }, { kind: 'issue.publishedToGroup', bulletinName, label: issueLabel(issue), date: chineseDate(date), items: titles });
  }
  if (!notify.includes('units')) {
    ctx.deps.log.info({ issue: issueLabel(issue), items: items.length, notified: 0 }, 'issue published');
    return { issue, items, notified: 0 };
  }
  const titlesByUnit = new Map<number, { unitName: string; titles: string[] }>();
  for (const it of items) {
    for (const s of it.sources) {
      const entry = titlesByUnit.get(s.unitId) ?? { unitName: s.unitName, titles: [] };
      if (!entry.titles.includes(it.title)) entry.titles.push(it.title);
      titlesByUnit.set(s.unitId, entry);
    }
  }
  const unitIds = [...titlesByUnit.keys()];
  const people = [...(await holdersOf(ctx.tx, 'officer', unitIds)), ...(await holdersOf(ctx.tx, 'reviewer', unitIds))];
  const unitsOf = new Map<string, Set<number>>();
  for (const p of people) {
    if (p.unitId === null) continue;
    const set = unitsOf.get(p.openId) ?? new Set<number>();
    set.add(p.unitId);
    unitsOf.set(p.openId, set);
  }
  await ctx.notifyAll(
    [...unitsOf.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([openId, own]) => ({
        to: { openId },
        notice: { kind: 'issue.publishedToUnit', bulletinName, issueLabel: issueLabel(issue), date: chineseDate(date), lines: unitIds.filter((u) => own.has(u)).map((u) => titlesByUnit.get(u)!) },
      })),
  );
  ctx.deps.log.info({ issue: issueLabel(issue), items: items.length, notified: unitsOf.size }, 'issue published');
  return { issue, items, notified: unitsOf.size };
}
