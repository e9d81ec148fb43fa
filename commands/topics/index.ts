import type { Feature } from '../../bot/handlers.js';
import { claimTopicAction } from './claim.js';
import { createTopicAction, createTopicCommand } from './create.js';
import { closeTopicAction, closeTopicCommand, extendTopicAction, extendTopicCommand } from './extend-close.js';
import { linkPickAction, linkTopicAction, linkTopicCommand } from './link.js';
import { listTopicsCommand } from './list.js';

/** 点题 / 点题: posting topics, the live board in the work group, deadlines and links from drafts. */
export const topicsFeature: Feature = {
  name: 'topics',
  commands: [createTopicCommand, listTopicsCommand, linkTopicCommand, extendTopicCommand, closeTopicCommand],
  actions: [createTopicAction, claimTopicAction, linkPickAction, linkTopicAction, extendTopicAction, closeTopicAction],
};
