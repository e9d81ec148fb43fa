export * from './org.js';
export * from './drafts.js';
export * from './audit.js';
export * from './messaging.js';
