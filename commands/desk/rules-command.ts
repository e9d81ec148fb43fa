import { anyone, command } from '../../bot/declare.js';
import { rulesCard } from '../../cards/desk-rules.js';
import { formatLocalDate } from '../../bot/time.js';
import { requireEditor } from '../../domain/roster/permissions.js';
import { loadRuleVersions, ruleInForce } from '../../domain/scoring/rule-versions.js';
import { quotasOf } from '../../domain/ranking/quotas.js';
import { rulesToYaml } from '../../domain/scoring/rules-yaml.js';
import { applyRuleChange, isRuleChange } from './rules-change.js';
import { rawText } from '../../bot/message-text.js';

/** `规则` shows the rules in force; `规则 模板` gives the YAML to edit; `规则 生效 日期` + YAML changes them. */
export const rulesCommand = command({
  name: '规则',
  summary: '查看积分规则（研究室可修改）',
  usage: '规则 | 规则 模板 | 规则 生效 2027-01-01 + 换行写修改项',
  example: () => '规则',
  audience: ['editor', 'leader', 'reviewer', 'officer'],
  // Reading the rules is open to anyone; 模板 and 生效 (changing them) are the research office's, checked below.
  allow: anyone,
  async run(ctx, args) {
    if (isRuleChange(rawText(ctx.event))) return applyRuleChange(ctx);
    const today = formatLocalDate(ctx.deps.clock.now(), ctx.deps.config.timezone);
    const versions = await loadRuleVersions(ctx.tx);
    const current = ruleInForce(versions, today);
    if (args.trim() === '模板') {
      requireEditor(ctx.who, '修改积分规则');
      await ctx.reply(
        `以下为第${current.version}版规则。复制后在第一行写“规则 生效 YYYY-MM-DD”，只保留要改的项，改好后发给我：\n\n${rulesToYaml({ ...current.rules, quotas: quotasOf(current.rules, ctx.deps.config.rankingQuotas) })}`,
      );
      return;
    }
    await ctx.reply(rulesCard({ current, scheduled: versions.filter((v) => v.effectiveFrom > today && v.version !== current.version), editor: ctx.who.editor, configuredQuotas: ctx.deps.config.rankingQuotas }));
  },
});
