import type { Command, Feature } from '../bot/handlers.js';
import { assessmentFeature } from './assessment/index.js';
import { deskFeature } from './desk/index.js';
import { dictionaryFeature } from './dictionary/index.js';
import { draftsFeature } from './drafts/index.js';
import { filesFeature } from './files/index.js';
import { createHelpCommand } from './help.js';
import { rankingFeature } from './ranking/index.js';
import { rosterFeature } from './roster/index.js';
import { topicsFeature } from './topics/index.js';

/**
 * Every feature of the bot, in the order their message handlers are consulted. A feature is a
 * plain object of commands, card actions and message handlers (grammY's Composer-per-feature).
 */
export function allFeatures(): Feature[] {
  // roster first: its join-request handler answers people not in the roster before any other handler.
  const features: Feature[] = [rosterFeature, deskFeature, filesFeature, draftsFeature, dictionaryFeature, rankingFeature, topicsFeature];
  features.push(assessmentFeature);
  const help: Feature = {
    name: 'help',
    commands: [createHelpCommand(() => [...features, help].flatMap((f) => f.commands ?? []) as Command[])],
  };
  return [...features, help];
}
