// `npm start`, `npm run org:import` and the other commands: run the compiled JavaScript in dist/,
// compiling first when it is missing or older than the sources and TypeScript is installed. No tsx
// at run time, so a production install (`npm ci --omit=dev`) with a built dist/ starts too.
//   node scripts/run.mjs <entry without extension, e.g. bot/main> [arguments…]
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, ensureBuilt } from './build.mjs';

const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error('usage: node scripts/run.mjs <entry> [args…]');
  process.exit(2);
}
try {
  await ensureBuilt(ROOT);
} catch (err) {
  console.error(err.message);
  process.exit(1);
}
const file = join(ROOT, 'dist', `${entry}.js`);
if (!existsSync(file)) {
  console.error(`找不到 ${file}：请运行 npm run build。`);
  process.exit(1);
}
// The entry sees itself as the script being run (db/migrate.ts checks process.argv[1]).
process.argv = [process.argv[0], file, ...args];
await import(pathToFileURL(file).href);
