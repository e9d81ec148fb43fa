import { sql } from 'drizzle-orm';
import { formatLocal } from '../bot/time.js';
import { rowsOf } from '../db/client.js';
import type { Job } from './types.js';
import { blankedInboxPayload, blankedOutboxPayload } from '../db/queries/retention.js';

const DAY = 86_400_000;

/**
 * Retention: the inbox and the outbox keep copies of what people wrote and what the bot answered
 * (review cards carry a draft's text) only as long as they are useful for redelivery and
 * diagnosis. Each night, for rows finished more than RETENTION_DAYS ago, the text is blanked and
 * the addressing kept (who, which chat, what kind), so counts and the 投递状态 list still work.
 * Messages from people outside the roster are never a record of anything: blanked as soon as handled.
 * Drafts, their revisions and files (blobs), and the audit log are records and are never touched;
 * rows not yet handled or delivered are never touched.
 */
export const retentionJob: Job = {
  name: 'retention',
  description: '清理过期的消息正文副本',
  cron: '30 3 * * *',
  slotOf: (firedAt, timezone) => formatLocal(firedAt, timezone).slice(0, 10),
  catchUpWindowMs: 2 * DAY,
  async run(ctx, { tx }) {
    const now = ctx.deps.clock.now();
    const cutoff = new Date(now.getTime() - ctx.deps.config.retentionDays * DAY).toISOString();
    const count = (r: unknown) => rowsOf<{ n: number }>(r)[0]?.n ?? 0;
    const count$ = (q: ReturnType<typeof sql>) => sql`with changed as (${q} returning 1) select count(*)::int as n from changed`;
    const old = count(
      await tx.execute(count$(sql`
        update inbox_events set payload = ${blankedInboxPayload()}
        where status in ('done', 'failed') and payload ? 'content'
          and coalesce(done_at, received_at) < ${cutoff}::timestamptz`)),
    );
    const strangers = count(
      await tx.execute(count$(sql`
        update inbox_events set payload = ${blankedInboxPayload()}
        where status in ('done', 'failed') and payload ? 'content'
          and not exists (
            select 1 from role_assignments r where r.open_id = inbox_events.payload->>'senderOpenId' and r.active)`)),
    );
    const sent = count(
      await tx.execute(count$(sql`
        update outbox set payload = ${blankedOutboxPayload}
        where status = 'sent' and payload ? 'content' and sent_at < ${cutoff}::timestamptz`)),
    );
    return { summary: `清空正文副本：已处理消息 ${old} 条、名册外人员消息 ${strangers} 条、已发出消息 ${sent} 条（保留 ${ctx.deps.config.retentionDays} 天）` };
  },
};
