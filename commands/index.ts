import type { Command, Feature } from '../bot/handlers.js';
import { createHelpCommand } from './help.js';

/**
 * Every feature of the bot, in the order their message handlers are consulted. A feature is a
 * plain object of commands, card actions and message handlers (grammY's Composer-per-feature).
 */
export function allFeatures(): Feature[] {
  const features: Feature[] = [];
  const help: Feature = {
    name: 'help',
    commands: [createHelpCommand(() => [...features, help].flatMap((f) => f.commands ?? []) as Command[])],
  };
  return [...features, help];
}
