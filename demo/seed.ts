import { readFileSync } from 'node:fs';
import type { Config, LarkConfig } from '../bot/config.js';
import type { Logger } from '../bot/logger.js';
import type { Db } from '../db/client.js';
import { units } from '../db/schema/index.js';
import { importOrg } from '../domain/roster/import-org.js';
import { parseOrgFile } from '../domain/roster/org-file.js';
import { readDirectory, registerDirectory } from '../emulator/console/directory.js';
import type { CardAnswer } from '../emulator/console/deliver.js';
import type { FakeLark } from '../emulator/open-api/index.js';
import { writeHistory, type HistorySummary } from './history.js';
import { historyStart } from './timeline.js';
import { DemoClock, DemoWorld } from './world.js';

export const DEMO_ORG_FILE = new URL('./org.yaml', import.meta.url);

/**
 * Writes the demo organization and about a month of history into an empty database, by playing
 * the demo people against the bot on a clock that walks from a month ago to now. The fake Lark's
 * clock follows the demo clock meanwhile, so chats carry the dates they happened on.
 */
export async function seedDemo(o: {
  config: Config;
  db: Db;
  fake: FakeLark;
  lark: LarkConfig;
  log: Logger;
  /** The fake's clock, pointed at the demo clock while history is written. */
  clock: { set(fn: (() => number) | undefined): void };
  /** "Now" for the history's end (tests pass a fixed moment). */
  now?: Date;
  /** False: the roster only. */
  history?: boolean;
  /** A card callback's answer, for the console to show as the Lark client would. */
  onAnswer?: (messageId: string, answer: CardAnswer) => void;
}): Promise<HistorySummary> {
  const org = parseOrgFile(readFileSync(DEMO_ORG_FILE, 'utf8'));
  const end = o.now ?? new Date();
  const clock = new DemoClock(historyStart(end, o.config.timezone).getTime());
  o.clock.set(clock.ms);
  try {
    await importOrg(o.db, org, { actor: 'demo', now: clock.now() });
    // importOrg leaves units.created_at to the database's own clock; the ranking counts a unit from
    // its creation on, so date the demo units to the start of their history.
    await o.db.update(units).set({ createdAt: clock.now() });
    registerDirectory(o.fake, await readDirectory(o.db));
    if (o.history === false) return { steps: 0, skipped: [], botWarnings: [] };
    const world = await DemoWorld.start({
      config: o.config,
      db: o.db,
      dbKind: o.config.database.kind,
      fake: o.fake,
      lark: o.lark,
      log: o.log,
      clock,
      groupChatId: org.group_chat_id,
      ...(o.onAnswer ? { onAnswer: o.onAnswer } : {}),
    });
    try {
      return await writeHistory(world, { end, timezone: o.config.timezone, log: o.log });
    } finally {
      await world.stop();
    }
  } finally {
    o.clock.set(undefined);
  }
}
