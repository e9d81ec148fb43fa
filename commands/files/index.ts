import type { Feature } from '../../bot/handlers.js';
import { docLinkMessageHandler } from './doc-link-message.js';
import { fileMessageHandler } from './file-message.js';
import { originalFileAction } from './original-file-action.js';

/**
 * Drafts as Word, PDF, text files and cloud-document links, and the original file on
 * request from the review card. Listed before the drafts feature so a bare document link is read
 * as a document, not offered as a one-line text.
 */
export const filesFeature: Feature = {
  name: 'files',
  actions: [originalFileAction],
  messageHandlers: [fileMessageHandler, docLinkMessageHandler],
};
