import type { Feature } from '../../bot/handlers.js';
import { designationDecideAction, designationHistoryCommand, proposeDesignationCommand } from './designation.js';
import { guideCommand } from './guide.js';
import { cosignAction, handoffFormAction, transferAction } from './handoff-actions.js';
import { endLeaveCommand, leaveCommand } from './leave.js';
import { rosterAddAction, rosterCommand, rosterDesignateAction, rosterExportCommand, rosterRemoveAction, rosterRoleAction } from './roster-commands.js';
import { joinDecideAction, joinRequestHandler, joinSubmitAction } from './join.js';

/** People and roles run from chat: join requests, 名册, 专职信息员 备案, the guide. */
export const rosterFeature: Feature = {
  name: 'roster',
  commands: [guideCommand, leaveCommand, endLeaveCommand, rosterCommand, rosterExportCommand, proposeDesignationCommand, designationHistoryCommand],
  actions: [joinSubmitAction, joinDecideAction, handoffFormAction, transferAction, cosignAction, rosterAddAction, rosterRemoveAction, rosterRoleAction, rosterDesignateAction, designationDecideAction],
  messageHandlers: [joinRequestHandler],
};
