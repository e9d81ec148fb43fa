export * from './org.js';
export * from './drafts.js';
export * from './audit.js';
export * from './messaging.js';
export * from './topics.js';
export * from './desk.js';
export * from './checks.js';
export * from './scoring.js';
