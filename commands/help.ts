import type { Audience, Command } from '../bot/handlers.js';
import { helpCard } from '../cards/help.js';
import type { Who } from '../db/queries/roster.js';

export function rolesOf(who: Who): Audience[] {
  const roles: Audience[] = ['anyone'];
  if (who.officerUnits.length) roles.push('officer');
  if (who.reviewerUnits.length) roles.push('reviewer');
  if (who.editor) roles.push('editor');
  if (who.leader) roles.push('leader');
  return roles;
}

/** `帮助` lists the commands the asker can use; it reads the registry at call time. */
export function createHelpCommand(allCommands: () => Command[]): Command {
  return {
    name: '帮助',
    aliases: ['help', '？', '?'],
    summary: '查看可用的命令',
    audience: ['anyone'],
    inGroup: true,
    async run(ctx) {
      await ctx.reply(helpCard(allCommands(), rolesOf(ctx.who), ctx.event.chatType === 'group'));
    },
  };
}
