import { createHash } from 'node:crypto';
import { execSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';

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

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

export const formatMs = (x: number) => `${x.toFixed(x < 10 ? 1 : 0)} ms`;

/** `median | min | max` cells of a results table. */
export const timingCells = (xs: number[]) => `${formatMs(median(xs))} | ${formatMs(Math.min(...xs))} | ${formatMs(Math.max(...xs))}`;

function sh(cmd: string): string {
  try {
    return execSync(cmd, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '';
  }
}

/** The machine a result was measured on, for the line above its table. */
export function machineDescription(): string {
  return [
    `nproc ${sh('nproc') || cpus().length}`,
    `${cpus()[0]?.model ?? 'cpu'}`,
    `memory ${(totalmem() / 2 ** 30).toFixed(1)} GiB (free -h: ${sh("free -h | awk '/^Mem:/ {print $2\" total, \"$7\" available\"}'")})`,
    `PostgreSQL ${sh("psql -h 127.0.0.1 -U postgres -Atc 'show server_version'") || '?'} on 127.0.0.1:5432`,
    `Node ${process.version}`,
    // Other work on the machine inflates every number; say how busy it was.
    `load average ${loadavg().map((x) => x.toFixed(1)).join(' / ')} (1/5/15 min) at the end of the run`,
    // The shared virtual machines run at different speeds from hour to hour (a run's every number
    // doubled from one day to the next with the code unchanged): a fixed workload to compare runs by.
    `a fixed CPU workload (SHA-256 of 64 MiB, then 20,000 JSON round trips of a 3 KB card) took ${speedProbeMs().toFixed(0)} ms`,
  ].join('; ');
}

/** Milliseconds of one thread's fixed work: the same on the same machine at the same speed. */
export function speedProbeMs(): number {
  const t0 = performance.now();
  createHash('sha256').update(Buffer.alloc(64 * 2 ** 20, 7)).digest();
  const card = { schema: '2.0', body: { elements: Array.from({ length: 24 }, (_, i) => ({ tag: 'markdown', content: `第${i}段：为深入贯彻落实全县组织工作会议精神，我镇扎实推进基层党建各项工作。` })) } };
  for (let i = 0; i < 20_000; i++) JSON.parse(JSON.stringify(card));
  return performance.now() - t0;
}

/** What a benchmark prints, kept to be written as its section of bench/RESULTS.md with --record. */
export class Report {
  readonly lines: string[] = [];
  say = (s = '') => {
    console.log(s);
    this.lines.push(s);
  };
  /** `after`: the benchmark that must have run first (the one that builds its data). */
  record(name: string, heading: string, o: { after?: string } = {}): void {
    const how = `${o.after ? `\`npm run bench -- ${o.after}\` then ` : ''}\`npm run bench -- ${name} --record\``;
    writeResultsSection(
      name,
      [`## ${heading}`, '', `Run ${how}. Measured ${new Date().toISOString().slice(0, 10)}; ${machineDescription()}.`, '', ...this.lines].join('\n'),
    );
    console.log('\nrecorded in bench/RESULTS.md');
  }
}
