import { and, asc, eq, gte, lt } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { scoreAdjustments } from '../../db/schema/index.js';
import { formatLocalDate } from '../../bot/time.js';
import type { AdjustmentFact } from './facts.js';
import { centsToPoints } from './ledger.js';
import { startOfLocalDate } from './load-facts.js';

/** Active manual adjustments dated in [from, to) (local midnights), as scoring facts. */
export async function adjustmentFacts(db: DbOrTx, o: { from: Date; to: Date; timezone: string }): Promise<AdjustmentFact[]> {
  const rows = await db
    .select()
    .from(scoreAdjustments)
    .where(
      and(
        eq(scoreAdjustments.status, 'active'),
        gte(scoreAdjustments.occurredOn, formatLocalDate(o.from, o.timezone)),
        lt(scoreAdjustments.occurredOn, formatLocalDate(o.to, o.timezone)),
      ),
    )
    .orderBy(asc(scoreAdjustments.id));
  return rows.map((r) => ({
    kind: 'adjustment',
    adjustmentId: r.id,
    unitId: r.unitId,
    section: r.section,
    points: centsToPoints(r.cents),
    reason: r.reason,
    at: startOfLocalDate(r.occurredOn, o.timezone),
    ...(r.officerOpenId !== null ? { officerOpenId: r.officerOpenId } : {}),
    ...(r.itemId !== null ? { itemId: r.itemId } : {}),
    ...(r.draftId !== null ? { draftId: r.draftId } : {}),
    order: `adj:${String(r.id).padStart(10, '0')}`,
  }));
}
