import { getOrgSettings, holdersOf } from '../../db/queries/roster.js';
import { formatLocalDate } from '../../bot/time.js';
import { publishedNoticeText } from '../../cards/desk-notices.js';
import type { DeskCtx } from './adopt.js';
import { issueLabel, publishIssue } from './issues.js';

/**
 * Publishes the issue and tells the officers and reviewers of every unit in it, one private message
 * per person listing their own units' pieces (titles only: draft text never goes further).
 */
export async function publishAndNotify(ctx: DeskCtx, o: { issueId: number; actor: string }) {
  const now = ctx.deps.clock.now();
  const { issue, items } = await publishIssue(ctx.tx, { issueId: o.issueId, actor: o.actor, now });
  const settings = await getOrgSettings(ctx.tx);
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
  const date = formatLocalDate(now, ctx.deps.config.timezone);
  for (const [openId, own] of [...unitsOf.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const lines = unitIds.filter((u) => own.has(u)).map((u) => titlesByUnit.get(u)!);
    await ctx.out.sendText({ openId }, publishedNoticeText({ bulletinName: settings?.bulletinName ?? '组工信息', issueLabel: issueLabel(issue), date, lines }));
  }
  ctx.deps.log.info({ issue: issueLabel(issue), items: items.length, notified: unitsOf.size }, 'issue published');
  return { issue, items, notified: unitsOf.size };
}
