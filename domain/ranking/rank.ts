/**
 * Standard competition ranking ("1224"): equal points share a rank and the next rank skips, so a
 * unit's rank always says how many units did strictly better.
 */
export function competitionRanks<K>(points: ReadonlyMap<K, number>): Map<K, number> {
  const sorted = [...points.values()].sort((a, b) => b - a);
  const firstIndex = new Map<number, number>();
  sorted.forEach((p, i) => {
    if (!firstIndex.has(p)) firstIndex.set(p, i);
  });
  const ranks = new Map<K, number>();
  for (const [unitId, p] of points) ranks.set(unitId, firstIndex.get(p)! + 1);
  return ranks;
}

export type RankChange = { kind: 'new' } | { kind: 'same' } | { kind: 'up'; by: number } | { kind: 'down'; by: number };

/** Change against the previous period; a unit that was not ranked then is new. */
export function rankChange(rank: number, previous: number | undefined): RankChange {
  if (previous === undefined) return { kind: 'new' };
  if (previous === rank) return { kind: 'same' };
  return previous > rank ? { kind: 'up', by: previous - rank } : { kind: 'down', by: rank - previous };
}

/** ↑2, ↓1, 新, — */
export function formatRankChange(c: RankChange): string {
  switch (c.kind) {
    case 'new':
      return '新';
    case 'same':
      return '—';
    case 'up':
      return `↑${c.by}`;
    case 'down':
      return `↓${c.by}`;
  }
}
