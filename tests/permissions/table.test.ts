import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Harness } from '../helpers/harness.js';
import { lastAnswer, permissionRows, REFUSAL, registered, ROLE_PEOPLE, stateCounts } from './matrix.js';

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

/** Every card action refuses a person outside the roster (unless the table allows them), changing nothing. */
describe('card actions refuse people outside the roster', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start({ start: '2026-12-04T02:00:00Z' });
  });
  afterAll(async () => h.close());
  const stranger = ROLE_PEOPLE[ROLE_PEOPLE.length - 1]![1];

  for (const row of rows.filter((r) => r.kind === '卡片操作' && !r.allowed[ROLE_PEOPLE.length - 1])) {
    it(`${row.id}`, async () => {
      const state = await stateCounts(h);
      const value = { a: row.id, draftId: 1, rev: 1, id: 1, unitId: 1, issueId: 1, itemId: 1, topicId: 1, candidateId: 1, page: 2, openId: 'ou_officer1', role: 'officer', d: 'approve' };
      const res = await h.click(stranger, 'om_permission_probe', value, { formValue: { reason: '理由', to: 'ou_editor1', role: 'officer', person: 'ou_officer3' } });
      await h.settle();
      expect(res.toast?.type).toBe('error');
      expect(res.toast?.content).toMatch(/[\u4e00-\u9fff]/);
      expect(await stateCounts(h)).toEqual(state);
    }, 60_000);
  }
});
