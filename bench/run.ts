/**
 * npm run bench -- <name> [options]
 * One entry point for every benchmark. A benchmark is a module loaded only when asked for, so one
 * that needs a big database or a server costs nothing to the others. Add yours to BENCHES.
 */
type Bench = { summary: string; run: (argv: string[]) => Promise<void> };

const BENCHES: Record<string, Bench> = {
  generate: {
    summary: 'fill a PostgreSQL database with a province-scale history (2,000 units, 1,000,000 drafts over 5 years)',
    run: async (argv) => (await import('./generate.js')).generateMain(argv),
  },
  ranking: {
    summary: 'time the monthly ranking on the generated database, with EXPLAIN ANALYZE of its queries',
    run: async (argv) => (await import('./ranking.js')).rankingMain(argv),
  },
  assessment: {
    summary: 'time the year assessment table (考核) and officers ranking (排行 个人) on the generated database',
    run: async (argv) => (await import('./assessment.js')).assessmentMain(argv),
  },
  checks: {
    summary: 'all pre-review checks on a 20,000-character draft against 50,000 archived drafts (PostgreSQL)',
    run: async (argv) => (await import('./checks.js')).checksMain(argv),
  },
  start: {
    summary: 'the compiled bot from spawn to a healthy /healthz on PostgreSQL (schema up to date)',
    run: async (argv) => (await import('./start.js')).startMain(argv),
  },
  webhook: {
    summary: 'webhook throughput and acknowledgement latency on PostgreSQL',
    run: async () => (await import('./webhook.js')).benchWebhook(),
  },
  all: {
    summary: 'the whole path in one run, against the floor (verify, decrypt, one transaction): webhook, end to end, card callbacks, ranking, checks',
    run: async (argv) => (await import('./all.js')).allMain(argv),
  },
};

async function main(argv: string[]) {
  const [name, ...rest] = argv;
  const bench = name ? BENCHES[name] : undefined;
  if (!bench) {
    console.error(`用法：npm run bench -- <名称> [选项]\n${Object.entries(BENCHES).map(([n, b]) => `  ${n.padEnd(10)} ${b.summary}`).join('\n')}`);
    process.exit(name ? 1 : 0);
  }
  await bench.run(rest);
}

main(process.argv.slice(2)).catch((err) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exit(1);
});
