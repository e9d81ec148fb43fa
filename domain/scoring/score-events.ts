import type { DbOrTx } from '../../db/client.js';
import { priceFacts } from './engine.js';
import { loadOutletFacts } from './load-facts.js';
import { loadRuleVersions } from './rule-versions.js';
import { topicOutcomeFacts, type TopicOutcomeSource } from './topic-source.js';
import type { ScoreEvent } from './types.js';

export type ScoreEventOptions = {
  from: Date;
  to: Date;
  unitIds?: number[];
  /** Calendar for rule effective dates, recognition dates and quarters (default Asia/Shanghai). */
  timezone?: string;
};

const DEFAULT_TIMEZONE = 'Asia/Shanghai';

/**
 * Every score event in [from, to), oldest first, each priced by the rule version in force on its own
 * date. History before `from` is read too: "highest outlet only" and quarterly caps depend on it.
 */
export async function computeScoreEvents(db: DbOrTx, opts: ScoreEventOptions): Promise<ScoreEvent[]> {
  return computeScoreEventsWith(db, opts, { topics: topicOutcomeFacts });
}

/** The same, with the topic outcomes read from elsewhere (tests, or a feature not yet merged). */
export async function computeScoreEventsWith(db: DbOrTx, opts: ScoreEventOptions, sources: { topics: TopicOutcomeSource }): Promise<ScoreEvent[]> {
  const timezone = opts.timezone ?? DEFAULT_TIMEZONE;
  const [versions, outlets, topics] = await Promise.all([
    loadRuleVersions(db),
    loadOutletFacts(db, { to: opts.to, timezone }),
    // Caps look back to the start of the quarter; a year before `from` covers any quarter.
    sources.topics(db, { from: new Date(opts.from.getTime() - 366 * 86_400_000), to: opts.to }),
  ]);
  const units = opts.unitIds ? new Set(opts.unitIds) : undefined;
  return priceFacts([...outlets, ...topics.filter((t) => t.at < opts.to)], versions, timezone).filter(
    (e) => e.at >= opts.from && e.at < opts.to && (!units || units.has(e.unitId)),
  );
}
