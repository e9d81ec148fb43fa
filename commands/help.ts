import type { Audience, Command, ExampleContext } from '../bot/handlers.js';
import { anyone, command } from '../bot/declare.js';
import { formatLocalDate, localParts } from '../bot/time.js';
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
  return command({
    name: '帮助',
    aliases: ['help', '？', '?'],
    summary: '查看您可以做的事',
    example: () => '帮助',
    allow: anyone,
    inGroup: true,
    async run(ctx) {
      await ctx.reply(helpCard(allCommands(), rolesOf(ctx.who), ctx.event.chatType === 'group', exampleContext(ctx.deps.clock.now(), ctx.deps.config.timezone)));
    },
  });
}

/** Today in the bot's timezone, for examples that name a date or a period. */
export function exampleContext(now: Date, timezone: string): ExampleContext {
  const p = localParts(now, timezone);
  return { year: p.year, month: p.month, day: p.day, later: (days) => formatLocalDate(new Date(now.getTime() + days * 86_400_000), timezone) };
}
