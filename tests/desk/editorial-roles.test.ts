import { afterEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { bulletinItems } from '../../db/schema/index.js';
import { OrgFileError, parseOrgFile } from '../../domain/roster/org-file.js';
import { cardText, findButton, Harness, ORG_YAML, P } from '../helpers/harness.js';
import { adoptAll, approvedDraft, ask, BODY, openDesk, rowButton, signIssue, tap } from './flow.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** The example roster with a second editor and a second leader who is not a signer. */
const ORG = ORG_YAML.replace('  - {id: ou_editor1, name: 王研究}\n', '  - {id: ou_editor1, name: 王研究}\n  - {id: ou_editor2, name: 马研究}\n').replace(
  '  - {id: ou_leader1, name: 李部长}\n',
  '  - {id: ou_leader1, name: 李部长}\n  - {id: ou_leader2, name: 陈副部长}\n',
);

describe('编审 and 签发 between several editors and leaders', { timeout: 120_000 }, () => {
  it('the second of two editors editing one piece is told it changed and sees the new text; only the named signer signs', async () => {
    h = await Harness.start({ start: '2026-11-20T01:00:00Z', org: ORG });
    const d = await approvedDraft(h, P.officer1, '城关镇网格化治理见成效');
    await adoptAll(h, ['城关镇网格化治理见成效']);
    const mine = await ask(h, P.editor, `编审 ${d.serial}`);
    const theirs = await ask(h, 'ou_editor2', `编审 ${d.serial}`);
    // Both are typing on version 1 at once (the second's card is refreshed only later).
    const theirSave = findButton(theirs.content, '保存修改');

    const first = await tap(h, P.editor, mine, findButton(mine.content, '保存修改'), { formValue: { title: '城关镇网格化治理见实效', body: BODY.join('\n'), note: '' }, name: 'edit_submit' });
    expect(first.res.toast?.type).toBe('success');
    const second = await h.click('ou_editor2', theirs.messageId, theirSave, { formValue: { title: '另拟标题', body: BODY.join('\n'), note: '' }, name: 'edit_submit' });
    expect(second.toast).toEqual({ type: 'error', content: '这一条已被 王研究 修改（现为第2版），您的修改未保存。请在最新内容上重新修改。' });
    expect(cardText(second.card)).toContain('《城关镇网格化治理见实效》');
    await h.settle();
    // The first editor's save also refreshed the other editor's copy of the card.
    expect(cardText(h.cardsTo('ou_editor2').find((m) => m.messageId === theirs.messageId)!.content)).toContain('第2版');
    const [item] = await h.db.db.select().from(bulletinItems).where(eq(bulletinItems.title, '城关镇网格化治理见实效'));
    expect(item!.version).toBe(2);

    // 送审 goes to the named signer only; another leader is refused.
    const issue = await ask(h, 'ou_editor2', '期刊');
    await tap(h, 'ou_editor2', issue, findButton(issue.content, '送审'));
    expect(h.cardsTo('ou_leader2')).toHaveLength(0);
    const preview = h.lastCardTo(P.leader);
    const other = await h.click('ou_leader2', await h.ownMessage('ou_leader2'), findButton(preview.content, '签发'));
    expect(other.toast).toEqual({ type: 'error', content: '本期信息由 李部长 签发，您不在签发人之列。' });
    const signed = await h.click(P.leader, preview.messageId, findButton(preview.content, '签发'));
    expect(signed.toast?.type).toBe('success');
  });

  it('org.yaml refuses a signer who is not a leader, with its line', () => {
    let error: unknown;
    try {
      parseOrgFile(ORG_YAML.replace('signers: [ou_leader1]', 'signers: [ou_editor1]'));
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(OrgFileError);
    expect((error as Error).message).toContain('签发人必须是 leaders（部领导）中的一员');
  });
});

describe('changes to a signed issue say that they void the signature', { timeout: 120_000 }, () => {
  it('moving an item or adopting another into a signed issue tells the editor, and 印发 then needs a new 签发', async () => {
    h = await Harness.start({ start: '2026-11-20T01:00:00Z' });
    await approvedDraft(h, P.officer1, '城关镇网格化治理见成效');
    await approvedDraft(h, P.officer3, '东街街道党建引领物业管理');
    await approvedDraft(h, P.officer2, '城关镇开展党员冬训');
    await adoptAll(h, ['城关镇网格化治理见成效', '东街街道党建引领物业管理']);
    const VOIDED = '本期已签发，此次修改使签发作废，印发前需重新送审。';

    let issue = await signIssue(h);
    const moved = await tap(h, P.editor, issue, findButton(issue.content, '下移'));
    expect(moved.res.toast).toEqual({ type: 'warning', content: VOIDED });
    expect(cardText(moved.card)).not.toContain('可以印发');

    // Signed again, then a draft adopted from the desk into it.
    issue = await signIssue(h);
    expect(cardText(issue.content)).toContain('可以印发');
    const desk = await openDesk(h);
    const adopted = await tap(h, P.editor, desk, rowButton(desk.content, '城关镇开展党员冬训', '采用'));
    expect(adopted.res.toast).toEqual({ type: 'success', content: `已采用，编入2026年第1期第 3 条。${VOIDED}` });
    issue = await ask(h, P.editor, '期刊');
    expect(cardText(issue.content)).not.toContain('可以印发');

    // Before a 签发 a move says nothing of signatures.
    const plain = await tap(h, P.editor, issue, findButton(issue.content, '下移'));
    expect(plain.res.toast).toBeUndefined();
  });
});
