import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { buildPgliteTemplate, createPostgresTemplate, dropPostgresDatabase, postgresDatabasesNamed } from './db-template.js';

/**
 * Migrates once per run instead of once per test file: the PostgreSQL template database when
 * DATABASE_URL is set, otherwise a dump of a migrated PGlite data directory (loading it skips
 * PGlite's initdb, which costs seconds). tests/helpers/test-db.ts copies test databases from it.
 */
export default async function setup(project: TestProject) {
  const url = process.env.DATABASE_URL;
  if (url) {
    const name = await createPostgresTemplate(url);
    project.provide('postgresTemplate', name);
    return async () => {
      // The copies the workers kept for reuse (tests/helpers/test-db.ts), then the template.
      for (const copy of await postgresDatabasesNamed(url, `${name}_t`)) await dropPostgresDatabase(url, copy);
      await dropPostgresDatabase(url, name);
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'gj-pglite-template-'));
  const file = join(dir, 'migrated.tar');
  writeFileSync(file, Buffer.from(await (await buildPgliteTemplate()).arrayBuffer()));
  project.provide('pgliteTemplate', file);
  return () => rmSync(dir, { recursive: true, force: true });
}
