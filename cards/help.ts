import type { Audience, Command, ExampleContext } from '../bot/handlers.js';
import { card, markdown, note, type Card } from './elements.js';

const AUDIENCE_TITLES: Record<Exclude<Audience, 'anyone'>, string> = {
  officer: '信息员',
  reviewer: '组织委员',
  editor: '研究室',
  leader: '部领导',
};

const INTROS: Record<Exclude<Audience, 'anyone'>, string> = {
  officer: '写好稿件后把正文直接私聊发给我（也可以发 Word、PDF 文件或云文档链接），点“提交审核”即交本单位组织委员审核。',
  reviewer: '本单位信息员提交稿件后，我会把审核卡片私聊发给您，在卡片上点“通过”或“退回”即可。',
  editor: '组织委员审核通过的稿件会报到研究室，在“待编稿件”中采用、不采用或合并。',
  leader: '可以随时查看各单位的信息工作排行和积分。',
};

/**
 * The help card, generated from the command registry: one section per role the asker has, each
 * line a plain sentence with one example to send (an example is built for today, so its dates are
 * never in the past). A new command shows up here by itself.
 */
export function helpCard(commands: Command[], roles: Audience[], inGroup: boolean, examples: ExampleContext): Card {
  const visible = commands.filter((c) => c.audience.some((a) => a === 'anyone' || roles.includes(a)));
  const line = (c: Command, role?: Audience) => {
    const ex = c.example?.({ ...examples, role }) ?? c.name;
    return `- ${c.summary}：发送“${ex}”${inGroup && !c.inGroup ? '（请私聊我使用）' : ''}`;
  };
  const sections: string[] = [];
  for (const [role, title] of Object.entries(AUDIENCE_TITLES) as [Exclude<Audience, 'anyone'>, string][]) {
    if (!roles.includes(role)) continue;
    const own = visible.filter((c) => !c.audience.includes('anyone') && c.audience.includes(role));
    sections.push(`**作为${title}**\n${INTROS[role]}${own.length ? `\n${own.map((c) => line(c, role)).join('\n')}` : ''}`);
  }
  const general = visible.filter((c) => c.audience.includes('anyone'));
  if (general.length) sections.push(`**通用**\n${general.map((c) => line(c)).join('\n')}`);
  const intro = sections.length > 1 || roles.some((r) => r !== 'anyone') ? '您可以：' : '您还不在名册中，暂时只能查看帮助。如需使用，请联系县委组织部研究室。';
  return card({
    title: '稿件助手 · 使用帮助',
    template: 'blue',
    summary: '使用帮助',
    elements: [markdown(intro), ...sections.map((s) => markdown(s)), note('在工作群中使用时请先 @我。')],
  });
}
