import type { MessageContext, MessageHandler } from '../../bot/handlers.js';
import { UserError } from '../../bot/errors.js';
import { ruleSavedCard } from '../../cards/desk-rules.js';
import { requireEditor } from '../../domain/roster/permissions.js';
import { createRuleVersion } from '../../domain/scoring/rule-versions.js';
import { rawText } from '../../bot/message-text.js';

/** `规则 生效 2026-12-01` on the first line, the YAML below it. */
const HEAD = /^\s*[\/／]?规则\s*生效\s*(\S*)[^\S\n]*(?:\n([\s\S]*))?$/;

export function isRuleChange(text: string): boolean {
  return /^\s*[\/／]?规则\s*生效/.test(text);
}

/** Saves a new rule version from the editor's message and shows what changed. */
export async function applyRuleChange(ctx: MessageContext): Promise<void> {
  requireEditor(ctx.who, '修改积分规则');
  const m = HEAD.exec(rawText(ctx.event));
  const date = m?.[1] ?? '';
  const yaml = m?.[2] ?? '';
  if (!date) throw new UserError('请在“规则 生效”后写生效日期，例如：规则 生效 2027-01-01，换行后写要修改的项。');
  if (!yaml.trim()) throw new UserError('请在第一行之后写要修改的项，例如：\n规则 生效 2027-01-01\ncap_per_unit_per_quarter: 40\n发送“规则 模板”可获取全部可改的项。');
  const { version, base } = await createRuleVersion(ctx.tx, {
    yaml,
    effectiveFrom: date,
    actor: ctx.who.openId,
    now: ctx.deps.clock.now(),
    timezone: ctx.deps.config.timezone,
  });
  ctx.log.info({ version: version.version, effectiveFrom: version.effectiveFrom }, 'score rules saved');
  await ctx.reply(ruleSavedCard({ saved: version, base, configuredQuotas: ctx.deps.config.rankingQuotas }));
}

/** Rule messages longer than a command (YAML) reach us here instead of the command registry. */
export const ruleChangeHandler: MessageHandler = {
  name: 'rule-change',
  accepts(event, who) {
    return who.editor && event.chatType === 'p2p' && (event.messageType === 'text' || event.messageType === 'post') && isRuleChange(rawText(event));
  },
  async handle(ctx) {
    await applyRuleChange(ctx);
  },
};
