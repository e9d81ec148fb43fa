import type { Audience, Command } from '../bot/handlers.js';
import { card, markdown, note, type Card } from './elements.js';

const AUDIENCE_TITLES: Record<Exclude<Audience, 'anyone'>, string> = {
  officer: '信息员',
  reviewer: '组织委员',
  editor: '研究室',
  leader: '部领导',
};

/** The help card, generated from the command registry: a new command shows up here by itself. */
export function helpCard(commands: Command[], roles: Audience[], inGroup: boolean): Card {
  const visible = commands.filter((c) => c.audience.some((a) => a === 'anyone' || roles.includes(a)));
  const line = (c: Command) =>
    `- **${c.name}**${c.usage ? `　\`${c.usage}\`` : ''}：${c.summary}${inGroup && !c.inGroup ? '（请私聊我使用）' : ''}`;
  const sections: string[] = [];
  const general = visible.filter((c) => c.audience.includes('anyone'));
  if (general.length) sections.push(`**通用**\n${general.map(line).join('\n')}`);
  for (const [role, title] of Object.entries(AUDIENCE_TITLES) as [Exclude<Audience, 'anyone'>, string][]) {
    const own = visible.filter((c) => !c.audience.includes('anyone') && c.audience.includes(role));
    if (own.length && roles.includes(role)) sections.push(`**${title}**\n${own.map(line).join('\n')}`);
  }
  const intro = roles.includes('officer')
    ? '把稿件正文直接发给我（私聊），确认后即提交本单位组织委员审核。'
    : '私聊我发送下列命令即可使用。';
  return card({
    title: '稿件助手 · 使用帮助',
    template: 'blue',
    summary: '使用帮助',
    elements: [markdown(intro), ...sections.map((s) => markdown(s)), note('在工作群中使用时请先 @我。命令不区分全角/半角斜杠，例如 /help。')],
  });
}
