import { sql } from 'drizzle-orm';
import { boolean, check, integer, pgTable, text, timestamp, unique } from 'drizzle-orm/pg-core';

/** One row: the department this deployment serves (from org.yaml). */
export const orgSettings = pgTable(
  'org_settings',
  {
    id: integer('id').primaryKey().default(1),
    department: text('department').notNull(),
    bulletinName: text('bulletin_name').notNull(),
    groupChatId: text('group_chat_id').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check('org_settings_singleton', sql`${t.id} = 1`)],
);
export type OrgSettings = typeof orgSettings.$inferSelect;

/**
 * The numbered publications the desk puts pieces into (org.yaml `bulletin`, one name or a list:
 * 《XX组工信息》, 《组工专报》). Each is numbered per year on its own. The first in the file is the main
 * one (sort_order 0): the one meant wherever no publication is named. Deactivated, never deleted,
 * so past issues keep their name.
 */
export const publications = pgTable('publications', {
  id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
  name: text('name').notNull().unique(),
  active: boolean('active').notNull().default(true),
  sortOrder: integer('sort_order').notNull().default(0),
});
export type Publication = typeof publications.$inferSelect;

/** Townships, streets and county departments that submit drafts. Units are deactivated, never deleted. */
export const units = pgTable('units', {
  id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
  name: text('name').notNull().unique(),
  active: boolean('active').notNull().default(true),
  sortOrder: integer('sort_order').notNull().default(0),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
export type Unit = typeof units.$inferSelect;

/** Everyone the bot knows, keyed by Lark open_id; names are filled from the contact API when known. */
export const people = pgTable('people', {
  openId: text('open_id').primaryKey(),
  name: text('name'),
  /** `roster`: typed in org.yaml or given in chat, and wins; `contact`: from the contact API, refreshed daily. */
  nameSource: text('name_source', { enum: ['roster', 'contact'] }),
  nameRefreshedAt: timestamp('name_refreshed_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
export type Person = typeof people.$inferSelect;

export const ROLES = ['officer', 'reviewer', 'editor', 'leader'] as const;
export type Role = (typeof ROLES)[number];

/**
 * Who does what where. Officer and reviewer roles carry a unit; editor and leader are department-wide
 * (unit null). A role removed from the roster is deactivated so history keeps its meaning.
 */
export const roleAssignments = pgTable(
  'role_assignments',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    openId: text('open_id')
      .notNull()
      .references(() => people.openId),
    role: text('role', { enum: ROLES }).notNull(),
    unitId: integer('unit_id').references(() => units.id),
    designated: boolean('designated').notNull().default(false),
    active: boolean('active').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('role_assignments_person_role_unit').on(t.openId, t.role, t.unitId).nullsNotDistinct(),
    check(
      'role_assignments_unit_matches_role',
      sql`(${t.role} in ('officer','reviewer')) = (${t.unitId} is not null)`,
    ),
  ],
);
export type RoleAssignment = typeof roleAssignments.$inferSelect;
