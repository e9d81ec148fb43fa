import type { Feature } from '../../bot/handlers.js';
import { guideCommand } from './guide.js';
import { joinDecideAction, joinRequestHandler, joinSubmitAction } from './join.js';

/** People and roles run from chat (issue #16): join requests, 名册, 专职信息员 备案, the guide. */
export const rosterFeature: Feature = {
  name: 'roster',
  commands: [guideCommand],
  actions: [joinSubmitAction, joinDecideAction],
  messageHandlers: [joinRequestHandler],
};
