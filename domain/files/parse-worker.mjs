// Worker thread entry for runIsolated (isolated.ts): imports the module, calls the named export with
// the arguments, posts the outcome. A worker does not inherit the parent's loader: when the bot runs
// from its TypeScript sources (tests, development) the module is .ts and tsx is registered here; the
// compiled bot (dist/, a production install without tsx) passes a .js module and needs no loader.
import { parentPort, workerData } from 'node:worker_threads';

const { module, fn, args } = workerData;
if (module.endsWith('.ts')) {
  const { register } = await import('tsx/esm/api');
  register();
}
try {
  const mod = await import(module);
  // The deadline is for the parse, not for loading the parser on a busy machine.
  parentPort.postMessage({ ready: true });
  const result = await mod[fn](...args);
  parentPort.postMessage({ ok: true, result });
} catch (err) {
  parentPort.postMessage({
    ok: false,
    error: { name: err?.name, message: String(err?.message ?? err), reason: err?.reason, userMessage: err?.userMessage, code: err?.code },
  });
}
