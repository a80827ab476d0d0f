// Every module's tables, gathered for Drizzle (queries and drizzle-kit migrations).
export * from '../modules/audit/schema.js';
export * from '../modules/contacts/schema.js';
export * from '../modules/identification/schema.js';
export * from '../modules/jobs/schema.js';
export * from '../modules/live/schema.js';
export * from '../modules/nas-sessions/schema.js';
export * from '../modules/network/access-line/schema.js';
export * from '../modules/network/alerts/schema.js';
export * from '../modules/network/polling/schema.js';
export * from '../modules/network/schema.js';
export * from '../modules/places/schema.js';
export * from '../modules/settings/schema.js';
export * from '../modules/staff/schema.js';
export * from '../modules/subscribers/schema.js';
export * from './app-meta.js';
