import { eq } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { scoreAdjustments, type ScoreAdjustment } from '../../db/schema/index.js';
import { UserError } from '../../bot/errors.js';
import { chineseLocalDate, formatLocalDate } from '../../bot/time.js';
import { recordAudit } from '../drafts/transition.js';
import { loadRuleVersions, normalizeDate, ruleInForce } from './rule-versions.js';
import { sectionEntries } from './rules.js';

export type NewAdjustment = {
  unitId: number;
  points: number;
  section: string;
  reason: string;
  /** YYYY-MM-DD as typed; today when absent. */
  date: string | undefined;
  itemId?: number;
  draftId?: number;
  officerOpenId?: string;
  actor: string;
  now: Date;
  timezone: string;
};

/** Largest manual adjustment, either way: a typo of 1000 for 10 should not pass unnoticed. */
const MAX_POINTS = 100;

/**
 * Records a manual 加分/扣分. The triggers on score_adjustments mark the ledger stale from its date, so
 * one dated in a closed year re-prices that year (allowed: corrections arrive late); the caller says so.
 */
export async function recordAdjustment(tx: Tx, a: NewAdjustment): Promise<{ adjustment: ScoreAdjustment; closedYear: boolean }> {
  const today = formatLocalDate(a.now, a.timezone);
  const occurredOn = a.date === undefined ? today : normalizeDate(a.date);
  if (!occurredOn) throw new UserError(`日期“${a.date}”无法识别，请写成 YYYY-MM-DD，例如 2026-10-12。`);
  if (occurredOn > today) throw new UserError(`日期 ${occurredOn} 晚于今天（${today}）：加分、扣分记在事情发生的日期。`);
  const reason = a.reason.trim();
  if (!reason) throw new UserError('请写明加分或扣分的原因，例如：扣分 城关镇 10 组工信息 信息失实。');
  if (reason.length > 100) throw new UserError(`原因不超过 100 个字（现为${reason.length}字）。`);
  if (!Number.isFinite(a.points) || a.points === 0) throw new UserError('分值应为不等于 0 的数字。');
  if (Math.abs(a.points) > MAX_POINTS) throw new UserError(`一次加分或扣分不超过 ${MAX_POINTS} 分（现为 ${Math.abs(a.points)} 分）。`);
  if (Math.round(a.points * 100) !== a.points * 100) throw new UserError('分值最多保留两位小数。');
  const rules = ruleInForce(await loadRuleVersions(tx), occurredOn).rules;
  const sections = sectionEntries(rules.assessment.sections).map(([name]) => name);
  if (!sections.includes(a.section)) {
    throw new UserError(`考核项“${a.section}”不在 ${occurredOn} 执行的考核表中。可用的考核项：${sections.join('、')}。`);
  }
  const [adjustment] = await tx
    .insert(scoreAdjustments)
    .values({
      unitId: a.unitId,
      itemId: a.itemId ?? null,
      draftId: a.draftId ?? null,
      officerOpenId: a.officerOpenId ?? null,
      section: a.section,
      cents: Math.round(a.points * 100),
      reason,
      occurredOn,
      createdBy: a.actor,
      createdAt: a.now,
    })
    .returning();
  await recordAudit(tx, {
    at: a.now,
    actor: a.actor,
    entityType: 'score_adjustment',
    entityId: adjustment!.id,
    action: 'adjustment.create',
    reason,
    data: { unitId: a.unitId, points: a.points, section: a.section, occurredOn, itemId: a.itemId, draftId: a.draftId, officer: a.officerOpenId },
  });
  return { adjustment: adjustment!, closedYear: occurredOn.slice(0, 4) < today.slice(0, 4) };
}

/** Revokes an adjustment (never deleted): it stops counting from its own date on. */
export async function revokeAdjustment(tx: Tx, o: { id: number; reason: string; actor: string; now: Date; timezone: string }): Promise<{ adjustment: ScoreAdjustment; closedYear: boolean }> {
  const [row] = await tx.select().from(scoreAdjustments).where(eq(scoreAdjustments.id, o.id)).for('update');
  if (!row) throw new UserError(`没有第${o.id}号加分扣分记录。发送“积分 单位名称”可查看各条记录的编号。`);
  if (row.status === 'revoked') {
    throw new UserError(`第${o.id}号加分扣分已于 ${chineseLocalDate(row.revokedAt!, o.timezone)} 撤销，无需重复撤销。`);
  }
  const reason = o.reason.trim();
  if (!reason) throw new UserError(`请写明撤销原因，例如：撤销加扣分 ${o.id} 经核实情况属实。`);
  const [updated] = await tx
    .update(scoreAdjustments)
    .set({ status: 'revoked', revokedBy: o.actor, revokedAt: o.now, revokeReason: reason })
    .where(eq(scoreAdjustments.id, o.id))
    .returning();
  await recordAudit(tx, {
    at: o.now,
    actor: o.actor,
    entityType: 'score_adjustment',
    entityId: o.id,
    action: 'adjustment.revoke',
    reason,
    fromState: 'active',
    toState: 'revoked',
  });
  const today = formatLocalDate(o.now, o.timezone);
  return { adjustment: updated!, closedYear: row.occurredOn.slice(0, 4) < today.slice(0, 4) };
}
