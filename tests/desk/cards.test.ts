import { describe, expect, it } from 'vitest';
import { validateCard } from '../../emulator/card-validator.js';
import { CARD_BUDGET_BYTES, cardBytes, type Card } from '../../cards/elements.js';
import { deskCard } from '../../cards/desk-queue.js';
import { issueCard } from '../../cards/desk-issue.js';
import { unitScoreCard } from '../../cards/desk-score.js';
import { declineCard } from '../../cards/desk-decline.js';
import { recognitionDecideCard, recognitionFormCard } from '../../cards/desk-recognition.js';
import { rulesCard } from '../../cards/desk-rules.js';
import { defaultRuleSet } from '../../domain/scoring/parse-rules.js';
import type { BulletinIssue, Draft, Recognition } from '../../db/schema/index.js';
import type { IssueItemView } from '../../domain/desk/issues.js';
import type { ScoreEvent } from '../../domain/scoring/types.js';
import { cardText } from '../helpers/harness.js';

const TZ = 'Asia/Shanghai';
const LONG = '关于进一步加强和改进新时代基层党组织建设推动组织振兴赋能乡村全面振兴的实践与思考'; // 40 chars
const at = new Date('2026-11-02T02:00:00Z');

/** Every card the desk builds must pass Feishu's rules at its largest. */
function expectSendable(c: Card) {
  expect(validateCard(c)).toEqual({ ok: true });
  expect(cardBytes(c)).toBeLessThan(CARD_BUDGET_BYTES);
}

describe('desk cards at their largest stay valid and inside the budget', () => {
  it('desk card: a full page of long drafts and a full merge panel', () => {
    const rows = Array.from({ length: 6 }, (_, i) => ({
      id: i + 1, serial: `2026-00${i + 10}`, title: `${LONG}${i}`, category: '调研文稿' as const, unitName: '某某县委组织部机关党委', since: at, body: LONG.repeat(50), charCount: 2000, position: 13 + i,
    }));
    const c = deskCard({
      view: 'approved', page: 3, pages: 9, total: 50, rows, picks: [1, 2, 3, 4, 5, 6, 7, 8],
      pickedRows: Array.from({ length: 8 }, (_, i) => ({ id: i + 1, serial: `2026-00${i}`, title: LONG, unitName: '某某镇' })),
      publications: [{ id: 1, name: 'XX组工信息', openIssue: { label: '2026年第12期', items: 9 } }, { id: 2, name: '组工专报', openIssue: undefined }], pub: 2, reserveCount: 3, timezone: TZ,
    });
    expectSendable(c);
    expect(cardText(c)).toContain('已选 8 篇');
  });

  it('issue card: thirty items use the compact move form instead of buttons', () => {
    const issue = { id: 1, year: 2026, number: 12, status: 'open', openedAt: at, openedBy: 'x', publishedAt: null, publishedBy: null } as BulletinIssue;
    const items = Array.from({ length: 30 }, (_, i) => ({
      id: i + 1, issueId: 1, position: i + 1, kind: 'merged', category: '组工信息', title: LONG, body: '', adoptedAt: at, adoptedBy: 'x',
      sources: [1, 2, 3].map((u) => ({ draftId: u, serial: `2026-000${u}`, unitId: u, unitName: '某某街道', authorOpenId: 'x' })),
      unitNames: ['某某街道', '某某镇', '某某乡'],
    })) as IssueItemView[];
    const c = issueCard({ bulletinName: 'XX组工信息', issue, label: '2026年第12期', items, timezone: TZ });
    expectSendable(c);
    expect(JSON.stringify(c)).toContain('调整顺序');
    expect(JSON.stringify(c)).not.toContain('上移');
  });

  it('score card: a hundred long lines are cut with a count of the rest', () => {
    const events: ScoreEvent[] = Array.from({ length: 100 }, () => ({
      unitId: 1, at, kind: 'adoption', level: 'city', points: 4.5, ruleVersion: 12,
      description: `《${LONG}》被市级采用（${LONG}）：第12版规则 市级采用 5 分，综合稿每个来源单位全额计分；按最高一处计分，此前已计 0.5 分，补 4.5 分`,
    }));
    const c = unitScoreCard({ unitName: '城关镇', periodLabel: '2026年', events, timezone: TZ });
    expectSendable(c);
    expect(cardText(c)).toMatch(/另有 \d+ 条未显示/);
  });

  it('decline, recognition and rules cards', () => {
    const draft = { id: 1, serial: '2026-0001', title: LONG, category: '组工信息', state: 'approved' } as Draft;
    expectSendable(declineCard({ draft, unitName: '城关镇', state: { view: 'approved', page: 1, picks: [] } }));
    const piece = { serial: '2026-0001', title: LONG, unitNames: ['城关镇', '东街街道'], merged: true };
    expectSendable(recognitionFormCard({ draftId: 1, piece, today: '2026-11-02', editor: false }));
    const rec = {
      id: 1, kind: 'media', level: 'central', outlet: '人民日报', occurredOn: '2026-11-01', link: 'https://example.org/' + 'a'.repeat(400),
      evidenceSha256: 'x', note: LONG, status: 'reported', reportedBy: 'ou_a', decisionReason: null,
    } as Recognition;
    expectSendable(recognitionDecideCard({ rec, piece, reporterName: '赵信息' }));
    expectSendable(recognitionDecideCard({ rec: { ...rec, status: 'rejected', decisionReason: '链接无效' }, piece, reporterName: '赵信息', deciderName: '王研究' }));
    const v = { version: 1, effectiveFrom: '2000-01-01', rules: defaultRuleSet().rules, yaml: '', createdBy: undefined, createdAt: undefined };
    expectSendable(rulesCard({ current: v, scheduled: [{ ...v, version: 2, effectiveFrom: '2027-01-01' }], editor: true, configuredQuotas: undefined }));
  });
});
