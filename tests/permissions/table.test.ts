import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Harness, P } from '../helpers/harness.js';
import { STALE_CARD } from '../../bot/declare.js';
import { PRIVATE_CHAT_ONLY } from '../../bot/dispatcher.js';
import { GENERIC_FAILURE } from '../../bot/errors.js';
import { cardWorld, lastAnswer, permissionRows, REFUSAL, registered, ROLE_PEOPLE, stateCounts, type Row } from './matrix.js';

const rows = permissionRows();

describe('docs/permissions.md covers every command and card action', () => {
  it('has exactly one row per registered command and card action', () => {
    const { commands, actions } = registered();
    const cmdRows = rows.filter((r) => r.kind === '命令').map((r) => r.id);
    const actRows = rows.filter((r) => r.kind === '卡片操作').map((r) => r.id);
    expect([...cmdRows].sort()).toEqual([...commands].sort());
    expect([...actRows].sort()).toEqual([...actions].sort());
    expect(rows.every((r) => r.allowed.length === ROLE_PEOPLE.length)).toBe(true);
  });
});

/**
 * Each command row, for each role: the allowed case gets past the permission check (an answer that
 * is not a refusal), the refused case gets a Chinese refusal and changes nothing.
 */
describe('commands, role by role, as the table says', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start({ start: '2026-12-04T02:00:00Z' });
  });
  afterAll(async () => h.close());

  for (const row of rows.filter((r) => r.kind === '命令')) {
    it(`${row.id}`, async () => {
      for (const [i, [role, who]] of ROLE_PEOPLE.entries()) {
        const before = h.sentTo(who).length;
        const state = row.allowed[i] ? undefined : await stateCounts(h);
        await h.sendText(who, row.example);
        await h.settle();
        const answer = lastAnswer(h, who, before);
        expect([role, answer === undefined]).toEqual([role, false]);
        if (row.allowed[i]) expect([role, REFUSAL.test(answer!)]).toEqual([role, false]);
        else {
          expect([role, answer]).toEqual([role, expect.stringMatching(REFUSAL)]);
          expect(await stateCounts(h)).toEqual(state);
        }
      }
    }, 120_000);
  }
});

/**
 * Each card action row, for each role, in one small world (cardWorld): first every refused case,
 * which must get a Chinese refusal and change nothing, so all of them meet the world as built; then
 * every allowed case, which must get past the permission checks (its answer is not a refusal; what
 * it does next depends on the world, e.g. 找不到这一期 where no issue exists).
 */
describe('card actions, role by role, as the table says', () => {
  let h: Harness;
  let world: Awaited<ReturnType<typeof cardWorld>>;
  beforeAll(async () => {
    h = await Harness.start({ start: '2026-12-04T02:00:00Z' });
    world = await cardWorld(h);
  }, 120_000);
  afterAll(async () => h.close());
  const actionRows = rows.filter((r) => r.kind === '卡片操作');

  async function tap(row: Row, who: string) {
    const value = world.values[row.id];
    expect(value, `a probe value for ${row.id} in cardWorld`).toBeDefined();
    // Clicked on a message the bot sent to the operator privately, as their own cards are.
    const res = await h.click(who, world.privateMessage.get(who)!, { a: row.id, ...value }, { formValue: PROBE_FORM });
    await h.settle();
    return res;
  }

  for (const row of actionRows) {
    it(`${row.id}: refused roles`, async () => {
      const state = await stateCounts(h);
      for (const [i, [role, who]] of ROLE_PEOPLE.entries()) {
        if (row.allowed[i]) continue;
        const res = await tap(row, who);
        expect([role, res.toast?.type, res.toast?.content]).toEqual([role, 'error', expect.stringMatching(REFUSAL)]);
      }
      expect(await stateCounts(h)).toEqual(state);
    }, 60_000);
  }
  // The research office may act on a review card only once the draft is handed to it: 张委员's 转交
  // (to 王研究, from PROBE_FORM) comes first, so the rows that allow it on that condition are tried so.
  const allowedOrder = [...actionRows].sort((a, b) => Number(b.id === 'draft.transfer') - Number(a.id === 'draft.transfer'));
  for (const row of allowedOrder) {
    it(`${row.id}: allowed roles`, async () => {
      for (const [i, [role, who]] of ROLE_PEOPLE.entries()) {
        if (!row.allowed[i]) continue;
        const res = await tap(row, who);
        const answer = res.toast?.content ?? '';
        expect([role, REFUSAL.test(answer) || answer === STALE_CARD || answer === GENERIC_FAILURE || answer === PRIVATE_CHAT_ONLY]).toEqual([role, false]);
        expect([role, Boolean(res.toast || res.card)]).toEqual([role, true]);
      }
    }, 60_000);
  }
});

/** Form fields some actions read; enough to get past "please fill in" where a form is expected. */
const PROBE_FORM = { reason: '理由', to: P.editor, role: 'officer', person: P.officer3, comment: '点评' };
