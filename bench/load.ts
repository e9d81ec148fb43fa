import http from 'node:http';

export type LoadResult = {
  count: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
  max: number;
  errors: number;
  /** Every request's time to response, sorted. */
  latencies: number[];
};

/** Several runs as one: their requests and times added up, percentiles over all requests. */
export function mergeLoads(results: LoadResult[]): LoadResult {
  const count = results.reduce((n, r) => n + r.count, 0);
  const seconds = results.reduce((n, r) => n + r.seconds, 0);
  return summarize(count, seconds, results.flatMap((r) => r.latencies), results.reduce((n, r) => n + r.errors, 0));
}

function summarize(count: number, seconds: number, latencies: number[], errors: number): LoadResult {
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? NaN;
  return { count, seconds, perSecond: count / seconds, p50: pct(50), p99: pct(99), max: latencies.at(-1) ?? NaN, errors, latencies };
}

/**
 * Sends prepared requests with a fixed number in flight over keep-alive connections and records
 * each request's time to response (the acknowledgement latency Lark sees).
 */
export async function runLoad(
  port: number,
  path: string,
  requests: { body: string; headers: Record<string, string> }[],
  concurrency: number,
): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const start = process.hrtime.bigint();
  const one = (r: { body: string; headers: Record<string, string> }) =>
    new Promise<void>((resolve) => {
      const t0 = process.hrtime.bigint();
      const req = http.request(
        { host: '127.0.0.1', port, path, method: 'POST', agent, headers: { ...r.headers, 'content-length': Buffer.byteLength(r.body) } },
        (res) => {
          res.resume();
          res.on('end', () => {
            if (res.statusCode !== 200) errors++;
            latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
            resolve();
          });
        },
      );
      req.on('error', () => {
        errors++;
        resolve();
      });
      req.end(r.body);
    });
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < requests.length) await one(requests[next++]!);
    }),
  );
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  agent.destroy();
  return summarize(requests.length, seconds, latencies, errors);
}
