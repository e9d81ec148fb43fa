import { eq, or, isNull } from 'drizzle-orm';
import { formatLocalDate } from '../bot/time.js';
import { LarkApiError } from '../bot/lark-api.js';
import { people } from '../db/schema/index.js';
import { contactFailureText } from '../domain/roster/resolve-people.js';
import type { Job } from './types.js';

/**
 * Names from the contact API, refreshed once a day for everyone whose name did not come from the
 * roster (a name typed in org.yaml or given in chat wins and is never overwritten). Someone Lark no
 * longer shows keeps the last known name. A missing permission stops the run and says which.
 */
export const rosterNamesJob: Job = {
  name: 'roster-names',
  description: '从飞书通讯录刷新人员姓名',
  cron: '20 3 * * *',
  slotOf: (firedAt, timezone) => formatLocalDate(firedAt, timezone),
  async run(ctx, { tx }) {
    const now = ctx.deps.clock.now();
    const rows = await tx
      .select()
      .from(people)
      .where(or(isNull(people.nameSource), eq(people.nameSource, 'contact')))
      .orderBy(people.openId);
    let changed = 0;
    const preview: { openId: string; from: string | null; to: string }[] = [];
    for (const p of rows) {
      if (p.nameSource === null && p.name) continue; // named before names had a source: typed by hand
      let name: string | undefined;
      try {
        name = await ctx.deps.lark.fetchUserName(p.openId);
      } catch (err) {
        if (err instanceof LarkApiError && err.missingScopes) {
          return { summary: `姓名刷新中止：${contactFailureText(err, 'contact:user.base:readonly')}已更新 ${changed} 人。` };
        }
        throw err;
      }
      if (!name) continue;
      if (name !== p.name) {
        changed++;
        preview.push({ openId: p.openId, from: p.name, to: name });
      }
      if (!ctx.dryRun) {
        await tx
          .update(people)
          .set({ name, nameSource: 'contact', nameRefreshedAt: now, ...(name !== p.name ? { updatedAt: now } : {}) })
          .where(eq(people.openId, p.openId));
      }
    }
    return { summary: `已从飞书通讯录刷新 ${rows.length} 人的姓名，其中 ${changed} 人有变化。`, preview };
  },
};
