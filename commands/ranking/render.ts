import type { Deps } from '../../bot/handlers.js';
import { rankingCard } from '../../cards/ranking-card.js';
import type { Card } from '../../cards/elements.js';
import type { DbOrTx } from '../../db/client.js';
import { getOrgSettings } from '../../db/queries/roster.js';
import { computeRanking } from '../../domain/ranking/compute.js';
import type { Period } from '../../domain/ranking/period.js';
import { DEFAULT_QUOTAS } from '../../domain/ranking/quotas.js';
import type { RankingReport } from '../../domain/ranking/types.js';

/**
 * The ranking of a period as of now, as a card: what `排行`, its page buttons and the scheduled
 * bulletins all send, so they always agree.
 */
export async function renderRanking(
  db: DbOrTx,
  deps: Pick<Deps, 'config' | 'clock'>,
  period: Period,
  o: { bulletin?: boolean; page?: number } = {},
): Promise<{ report: RankingReport; card: Card; groupChatId: string | undefined }> {
  const { timezone } = deps.config;
  const [report, settings] = await Promise.all([
    computeRanking(db, { period, timezone, quotas: deps.config.rankingQuotas ?? DEFAULT_QUOTAS, now: deps.clock.now() }),
    getOrgSettings(db),
  ]);
  const card = rankingCard(report, { timezone, department: settings?.department, ...o });
  return { report, card, groupChatId: settings?.groupChatId };
}
