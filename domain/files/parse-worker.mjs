// Worker thread entry for runIsolated (isolated.ts): loads TypeScript through tsx (the worker does
// not inherit the parent's loader), calls the named export with the arguments, posts the outcome.
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { module, fn, args } = workerData;
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
