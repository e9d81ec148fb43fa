import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { eq } from 'drizzle-orm';
import { people, roleAssignments } from '../../db/schema/index.js';
import { loadWho } from '../../db/queries/roster.js';
import { OrgFileError } from '../../domain/roster/org-file.js';
import { ContactLookupError } from '../../domain/roster/resolve-people.js';
import { runOrgImport } from '../../domain/roster/run-import.js';
import { allJobs } from '../../jobs/index.js';
import { runJobSlot } from '../../jobs/run-once.js';
import { Harness } from '../helpers/harness.js';

/** End-to-end tests share two cores with other work; give them room on a loaded machine. */
vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

const head = `department: XX县委组织部
bulletin: XX组工信息
group_chat_id: oc_example_group
editors:
  - {id: ou_editor1, name: 王研究}
`;

/** 60 officers by mobile: more than one batch_get_id call (50 per call). */
function bigOrg(): string {
  const officers = Array.from({ length: 60 }, (_, i) => `      - ${13900000000 + i}`).join('\n');
  return `${head}units:
  - name: 城关镇
    reviewers:
      - {email: zhang@example.cn, name: 张委员}
    officers:
${officers}
    designated_officer: 13900000000
`;
}

describe('org:import by mobile and email against the contact API', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.start({ org: null });
    h.fake.addUser({ openId: 'ou_zhang', name: '张通讯录', email: 'zhang@example.cn' });
    for (let i = 0; i < 60; i++) h.fake.addUser({ openId: `ou_m${i}`, name: `信息员${i}`, mobile: String(13900000000 + i) });
  });
  afterEach(async () => h.close());

  const run = (text: string) => runOrgImport(h.db.db, text, { contact: h.api, actor: 'test', now: h.clock.now() });

  it('resolves in batches of 50, takes names from the contact API unless typed, and re-running changes nothing', async () => {
    const s = await run(bigOrg());
    expect(s).toMatchObject({ unitsAdded: 1, peopleAdded: 62, rolesAdded: 62 });
    const calls = h.fake.callsTo('/contact/v3/users/batch_get_id', 'POST');
    expect(calls.map((c) => (c.body as { mobiles: string[] }).mobiles.length)).toEqual([50, 10]);
    expect(calls.map((c) => (c.body as { emails: string[] }).emails)).toEqual([['zhang@example.cn'], []]);
    const reviewer = await loadWho(h.db.db, 'ou_zhang');
    expect(reviewer.reviewerUnits.map((u) => u.name)).toEqual(['城关镇']);
    expect(reviewer.name).toBe('张委员'); // typed in the file: wins over 张通讯录
    const o5 = await loadWho(h.db.db, 'ou_m5');
    expect(o5.name).toBe('信息员5');
    expect((await loadWho(h.db.db, 'ou_m0')).designatedUnits.map((u) => u.name)).toEqual(['城关镇']);
    const [row] = await h.db.db.select().from(people).where(eq(people.openId, 'ou_m5'));
    expect(row!.nameSource).toBe('contact');

    const userGets = h.fake.callsTo('/contact/v3/users/ou_').length;
    expect(userGets).toBe(60);
    const again = await run(bigOrg());
    expect(again.changed).toBe(false);
    // Names already known are not asked again.
    expect(h.fake.callsTo('/contact/v3/users/ou_').length).toBe(60);
  });

  it('lists people it cannot resolve with their lines and changes nothing', async () => {
    const text = `${head}units:
  - name: 城关镇
    reviewers:
      - {email: nobody@example.cn}
    officers:
      - 13900000001
      - {mobile: "13811112222", name: 无此人}
`;
    const err = await run(text).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OrgFileError);
    expect((err as Error).message).toBe(
      [
        '第 9 行：找不到邮箱 nobody@example.cn 对应的飞书用户（请核对，并确认此人在应用的可用范围内；企业邮箱别名无法查找，须用本人邮箱）',
        '第 12 行：找不到手机号 13811112222 对应的飞书用户（请核对，并确认此人在应用的可用范围内）',
      ].join('\n'),
    );
    expect(await h.db.db.select().from(roleAssignments)).toEqual([]);
    expect(await h.db.db.select().from(people)).toEqual([]);
  });

  it('names a mobile in a wrong format with its line', async () => {
    const text = `${head}units:
  - name: 城关镇
    reviewers:
      - ou_reviewer1
    officers:
      - 1390000000
`;
    const err = await run(text).catch((e: unknown) => e);
    expect((err as Error).message).toContain('第 11 行');
    expect((err as Error).message).toContain('手机号格式不正确：1390000000');
    expect(h.fake.callsTo('batch_get_id')).toHaveLength(0);
  });

  it('refuses one person as both officer and reviewer of a unit', async () => {
    const text = `${head}units:
  - name: 城关镇
    reviewers:
      - 13900000001
    officers:
      - 13900000001
`;
    const err = await run(text).catch((e: unknown) => e);
    expect((err as Error).message).toContain('第 11 行');
    expect((err as Error).message).toContain('同一人不能既是本单位的信息员又是组织委员');
  });

  it('aborts naming the missing permission (99991672) and changes nothing', async () => {
    h.fake.setScope('contact:user.id:readonly', false);
    const err = await run(bigOrg()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ContactLookupError);
    expect((err as Error).message).toContain('contact:user.id:readonly（通过手机号或邮箱获取用户 ID）');
    expect((err as Error).message).toContain('99991672');
    const call = h.fake.callsTo('batch_get_id')[0]!;
    expect(call.status).toBe(400);
    expect((call.response as { code: number }).code).toBe(99991672);
    expect(await h.db.db.select().from(people)).toEqual([]);

    h.fake.setScope('contact:user.id:readonly', true);
    for (const s of ['contact:user.base:readonly', 'contact:contact.base:readonly', 'contact:contact:readonly_as_app']) h.fake.setScope(s, false);
    const names = await run(bigOrg()).catch((e: unknown) => e);
    expect(names).toBeInstanceOf(ContactLookupError);
    expect((names as Error).message).toContain('contact:user.base:readonly（获取用户基本信息）');
    expect(await h.db.db.select().from(people)).toEqual([]);
  });

  it('the daily job refreshes contact names and leaves typed names alone', async () => {
    await run(bigOrg());
    h.fake.addUser({ openId: 'ou_m5', name: '信息员五改名', mobile: '13900000005' });
    h.fake.addUser({ openId: 'ou_zhang', name: '张改名', email: 'zhang@example.cn' });
    const job = allJobs().find((j) => j.name === 'roster-names')!;
    const out = await runJobSlot(h.app.deps, job, '2026-12-05', { firedAt: h.clock.now(), dryRun: false, force: false, options: {} });
    expect(out.ran && out.result.summary).toBe('已从飞书通讯录刷新 60 人的姓名，其中 1 人有变化。');
    expect((await loadWho(h.db.db, 'ou_m5')).name).toBe('信息员五改名');
    expect((await loadWho(h.db.db, 'ou_zhang')).name).toBe('张委员');
  });
});
