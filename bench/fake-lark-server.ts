/**
 * The fake Lark for benchmarks, in its own process: in production Lark's servers do their own
 * work (validating cards, storing messages), so it must not share the bot's two cores.
 */
import { startFakeLark } from '../emulator/open-api/index.js';

const [appId, appSecret] = process.argv.slice(2);
const fake = await startFakeLark({ appId: appId!, appSecret: appSecret!, botOpenId: 'ou_bot' });
process.stdout.write(JSON.stringify({ url: fake.url }) + '\n');
process.on('SIGTERM', async () => {
  await fake.close();
  process.exit(0);
});
