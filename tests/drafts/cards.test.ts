import { pageOf } from '../../domain/drafts/lists.js';
import { describe, expect, it } from 'vitest';
import { validateCard } from '../../emulator/card-validator.js';
import { cardBytes, CARD_BUDGET_BYTES } from '../../cards/elements.js';
import { draftConfirmCard, draftConfirmClosedCard } from '../../cards/draft-confirm.js';
import { myDraftsCard, pendingReviewsCard } from '../../cards/draft-lists.js';
import { deliveryStatusCard } from '../../cards/draft-delivery-status.js';
import { reviewCard } from '../../cards/review-card.js';
import { draftReceiptCard } from '../../cards/draft-receipt.js';
import { approvedNoticeCard, handOnNoticeCard, returnedNoticeCard } from '../../cards/draft-notices.js';
import type { DraftView } from '../../domain/drafts/views.js';
import { cardText } from '../helpers/harness.js';

const tz = 'Asia/Shanghai';
const at = new Date('2026-11-02T02:00:00Z');

function view(over: Partial<DraftView> = {}, body = '第一段。\n第二段。'): DraftView {
  return {
    draft: {
      id: 7, serial: '2026-0007', year: 2026, seq: 7, unitId: 1, authorOpenId: 'ou_a', category: '组工信息', state: 'pending_review',
      topicId: null, currentRevision: 1, title: '标题', submittedAt: at, updatedAt: at, decidedAt: null, decidedBy: null,
    },
    revision: {
      id: 9, draftId: 7, revision: 1, title: '标题 *星号* <b>', body, charCount: 8, sourceType: 'text', fileName: null, blobSha256: null,
      checks: [{ kind: 'typo', paragraph: 2, excerpt: '坚持不懈', message: '“不懈”易误写' }, { bogus: true }], createdAt: at,
    },
    previous: undefined,
    unitName: '城关镇',
    authorName: '赵信息',
    reviewers: [{ openId: 'ou_r', name: '张委员' }],
    outcome: undefined,
    ...over,
  };
}

const ok = (c: unknown) => expect(validateCard(c)).toEqual({ ok: true });

describe('draft cards are valid Card JSON 2.0', () => {
  it('confirmation card with topics and several units: one form, unique names, a submit button', () => {
    const c = draftConfirmCard({
      candidateId: 3, title: '标题', chars: 300, paragraphs: 4, excerpt: '开头', timezone: tz,
      units: [{ id: 1, name: '城关镇' }, { id: 2, name: '东街街道' }],
      topics: [{ id: 11, code: 'XT-2026-03', title: '冬训工作', deadline: new Date('2026-11-20T10:00:00Z') }],
    });
    ok(c);
    const json = JSON.stringify(c);
    expect(json).toContain('"name":"topic"');
    expect(json).toContain('"value":"11"');
    expect(json).toContain('不关联点题');
    expect(json).toContain('"name":"unit"');
    expect(cardText(c)).toContain('2026年11月20日 截止');
    // Without topics there is no topic select.
    expect(JSON.stringify(draftConfirmCard({ candidateId: 3, title: '', chars: 1, paragraphs: 1, excerpt: '', timezone: tz, topics: [] }))).not.toContain('"name":"topic"');
    ok(draftConfirmCard({ candidateId: 3, title: 't', chars: 1, paragraphs: 1, excerpt: 'e', timezone: tz, revisionOf: { serial: '2026-0001', nextRevision: 2, category: '组工信息' } }));
    for (const outcome of ['submitted', 'cancelled', 'superseded'] as const) ok(draftConfirmClosedCard({ title: 't', outcome, serial: '2026-0001' }));
  });

  it('review card in every mode, receipt and notices', () => {
    const v = view();
    for (const mode of ['actions', 'returning', 'closed'] as const) ok(reviewCard(v, tz, mode).card);
    const returned = view({ outcome: { action: 'return', actor: 'ou_r', actorName: '张委员', at, reason: '请修改 <b>' } });
    returned.draft.state = 'returned';
    for (const c of [draftReceiptCard(v, tz), draftReceiptCard(returned, tz), returnedNoticeCard(returned, tz), returnedNoticeCard(returned, tz, { revising: true }), approvedNoticeCard(returned, tz), handOnNoticeCard(returned, tz)]) ok(c);
    // User text cannot inject markup: the title's <b> shows escaped.
    expect(JSON.stringify(reviewCard(v, tz).card)).toContain('\\\\<b\\\\>');
    // Only well-formed findings are shown.
    expect(cardText(reviewCard(v, tz).card)).toContain('1 条');
  });

  it('a review card with a huge diff and many findings stays within budget', () => {
    const paragraphs = Array.from({ length: 400 }, (_, i) => `第${i}段`.padEnd(120, '文'));
    const body = paragraphs.join('\n');
    const v = view({}, body);
    v.revision.revision = 2;
    v.draft.currentRevision = 2;
    v.revision.checks = Array.from({ length: 300 }, (_, i) => ({ kind: 'wording', paragraph: i, excerpt: '某某'.repeat(20), message: '请使用规范表述'.repeat(5) }));
    v.previous = { ...v.revision, id: 8, revision: 1, body: paragraphs.map((p) => p + '旧').join('\n') };
    const { card, fullTextInCard } = reviewCard(v, tz);
    ok(card);
    expect(fullTextInCard).toBe(false);
    expect(cardBytes(card)).toBeLessThanOrEqual(CARD_BUDGET_BYTES);
  });

  it('lists and delivery status', () => {
    const rows = Array.from({ length: 10 }, (_, i) => ({ draftId: i + 1, serial: `2026-000${i}`, title: `t${i}`, unitName: 'u', authorName: 'a', revision: 1, submittedAt: at }));
    ok(pendingReviewsCard(rows, pageOf(25, 2), tz));
    ok(pendingReviewsCard([], pageOf(0, 1), tz));
    ok(myDraftsCard(rows.map((r) => ({ ...r, state: 'approved' as const, category: '组工信息' })), pageOf(25, 1), tz));
    ok(deliveryStatusCard([{ id: 1, createdAt: at, recipient: '张委员', kind: '卡片', lastError: 'x', attempts: 12, maybeDelivered: true }], pageOf(11, 1), tz));
    ok(deliveryStatusCard([], pageOf(0, 1), tz));
  });
});
