import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU seconds spent so far by the processes of a benchmark, read from /proc (Linux): a process by
 * pid, and PostgreSQL as the sum over its processes (the pools keep their backends for the whole
 * run, so differences between two readings are the work done in between). Elsewhere it reads 0.
 */
export type CpuReading = { server: number; postgres: number; load: number };

const TICKS = 100; // USER_HZ: /proc counts CPU time in 1/100 s on Linux

function procSeconds(pid: number | string): { comm: string; seconds: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may hold spaces: the fields after it are fixed.
    const close = stat.lastIndexOf(')');
    const comm = stat.slice(stat.indexOf('(') + 1, close);
    const fields = stat.slice(close + 2).split(' ');
    // utime and stime are fields 14 and 15 of stat, the 12th and 13th after the name.
    return { comm, seconds: (Number(fields[11]) + Number(fields[12])) / TICKS };
  } catch {
    return undefined;
  }
}

export function readCpu(serverPid: number | undefined): CpuReading {
  let postgres = 0;
  let pids: string[] = [];
  try {
    pids = readdirSync('/proc').filter((p) => /^\d+$/.test(p));
  } catch {
    // not Linux
  }
  for (const pid of pids) {
    const p = procSeconds(pid);
    if (p?.comm === 'postgres') postgres += p.seconds;
  }
  const own = process.cpuUsage();
  return { server: serverPid ? (procSeconds(serverPid)?.seconds ?? 0) : 0, postgres, load: (own.user + own.system) / 1e6 };
}

/** Milliseconds of CPU per event between two readings, per process. */
export function cpuPerEvent(a: CpuReading, b: CpuReading, events: number) {
  const ms = (x: number) => ((x * 1000) / events).toFixed(2);
  return { server: ms(b.server - a.server), postgres: ms(b.postgres - a.postgres), load: ms(b.load - a.load) };
}
