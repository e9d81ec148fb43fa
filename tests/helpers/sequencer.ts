import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Files that start other processes (the built bot, the commands, Chromium, a full demo history)
 * take the longest: they go first, so that the two workers finish together instead of one running
 * the longest file alone at the end. vitest's own order puts slow files first only when its cache
 * holds the last run's durations, which a fresh CI checkout does not have.
 */
const LONG = [
  /^tests\/local\/console\.browser\./,
  /^tests\/local\/demo-/,
  /^tests\/deploy\//,
  /^tests\/faults\//,
  /^tests\/ranking\/cli\./,
  /^tests\/domain\/org-import\./,
  /^tests\/db\//,
];

export default class LongFilesFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (f: TestSpecification) => {
      const path = relative(this.ctx.config.root, f.moduleId).replaceAll('\\', '/');
      const i = LONG.findIndex((re) => re.test(path));
      return i < 0 ? LONG.length : i;
    };
    return sorted.map((f, i) => ({ f, i, r: rank(f) })).sort((a, b) => a.r - b.r || a.i - b.i).map((x) => x.f);
  }
}
