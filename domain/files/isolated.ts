import { Worker } from 'node:worker_threads';

export type IsolationLimits = {
  /** Wall time of the call itself, from the moment the worker has loaded the module. */
  timeoutMs: number;
  /** V8 old-generation heap of the worker; exceeding it ends the worker, not the bot. */
  memoryMb: number;
};

/** The parser was stopped: it ran out of time or memory (the worker is gone when this is thrown). */
export class IsolationLimitError extends Error {
  constructor(readonly limit: 'timeout' | 'memory' | 'crash', message: string) {
    super(message);
    this.name = 'IsolationLimitError';
  }
}

/** An error the parser threw, carried across the thread boundary (a UserError keeps its message). */
export type IsolatedFailure = { name?: string; message: string; reason?: string; userMessage?: string; code?: string };

export class IsolatedError extends Error {
  constructor(readonly failure: IsolatedFailure) {
    super(failure.message);
    this.name = 'IsolatedError';
  }
}

const ENTRY = new URL('./parse-worker.mjs', import.meta.url);
/** Loading the parser's modules (tsx, mammoth, PDF.js) in a fresh thread; slow only on a loaded machine. */
const LOAD_TIMEOUT_MS = 120_000;

/**
 * Runs `fn` exported by `module` in a worker thread with a memory limit and a deadline: untrusted
 * files (a zip bomb, a PDF of 20,000 pages) are parsed where exhausting memory or looping forever
 * costs one worker, never the bot's event loop or its process. Arguments and result are copied
 * (structured clone: a Buffer arrives as a Uint8Array).
 */
export function runIsolated<T>(module: URL, fn: string, args: unknown[], limits: IsolationLimits): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const worker = new Worker(ENTRY, {
      workerData: { module: module.href, fn, args },
      resourceLimits: { maxOldGenerationSizeMb: limits.memoryMb, maxYoungGenerationSizeMb: Math.min(64, Math.ceil(limits.memoryMb / 8)) },
      stdout: false,
      stderr: false,
    });
    let outcome: { ok: true; result: T } | { ok: false; error: Error } | undefined;
    let timer: NodeJS.Timeout;
    const finish = (o: NonNullable<typeof outcome>) => {
      if (outcome) return;
      outcome = o;
      clearTimeout(timer);
      // Settled when the thread is gone: a stopped parser never outlives its answer.
      void worker.terminate();
    };
    const timeout = (ms: number, what: string) =>
      setTimeout(() => finish({ ok: false, error: new IsolationLimitError('timeout', `${what} exceeded ${ms} ms`) }), ms);
    timer = timeout(LOAD_TIMEOUT_MS, 'loading the parser');
    worker.on('message', (m: { ready: true } | { ok: true; result: T } | { ok: false; error: IsolatedFailure }) => {
      if ('ready' in m) {
        clearTimeout(timer);
        timer = timeout(limits.timeoutMs, 'parser');
        return;
      }
      finish(m.ok ? m : { ok: false, error: new IsolatedError(m.error) });
    });
    worker.on('error', (err: Error & { code?: string }) =>
      finish({
        ok: false,
        error:
          err.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? new IsolationLimitError('memory', `parser exceeded ${limits.memoryMb} MB`)
            : new IsolationLimitError('crash', `parser crashed: ${err.message}`),
      }),
    );
    worker.on('exit', (code) => {
      finish({ ok: false, error: new IsolationLimitError('crash', `parser exited with code ${code}`) });
      const o = outcome!;
      if (o.ok) resolve(o.result);
      else reject(o.error);
    });
  });
}
