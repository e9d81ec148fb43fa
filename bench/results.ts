import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const RESULTS = new URL('./RESULTS.md', import.meta.url);

/**
 * Replaces one benchmark's section of bench/RESULTS.md (between its own markers), leaving the other
 * benchmarks' sections as they are; a new section goes at the end.
 */
export function writeResultsSection(name: string, body: string): void {
  const start = `<!-- bench:${name}:start -->`;
  const end = `<!-- bench:${name}:end -->`;
  const section = `${start}\n${body.trim()}\n${end}`;
  const text = existsSync(RESULTS) ? readFileSync(RESULTS, 'utf8') : '# Benchmark results\n\nEach section is written by `npm run bench -- <name> --record` on the machine it names.\n';
  const a = text.indexOf(start);
  const b = text.indexOf(end);
  const next = a >= 0 && b > a ? text.slice(0, a) + section + text.slice(b + end.length) : `${text.trimEnd()}\n\n${section}\n`;
  writeFileSync(RESULTS, next);
}
