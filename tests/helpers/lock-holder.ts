/**
 * A separate process for the directory-lock tests: waits for "go" on stdin, tries to take the lock
 * on argv[2], prints "got" or "refused: <message>", and holds what it got until stdin closes.
 */
import { createInterface } from 'node:readline';
import { acquireDirLock, DirLockedError } from '../../db/dir-lock.js';

const dir = process.argv[2]!;
const lines = createInterface({ input: process.stdin });
console.log('ready');
lines.once('line', () => {
  try {
    acquireDirLock(dir, `holder ${process.pid}`);
    console.log('got');
  } catch (err) {
    if (!(err instanceof DirLockedError)) throw err;
    console.log(`refused: ${err.message}`);
  }
});
lines.once('close', () => process.exit(0));
