import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { blobs } from '../../db/schema/index.js';

export function sha256Hex(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Keeps a file's original bytes, addressed by their SHA-256: the same file sent twice is stored
 * once. Runs in the caller's transaction, so a rolled-back submission leaves no orphan blob.
 * `inserted` is false when the bytes were stored before.
 */
export async function storeBlob(db: DbOrTx, bytes: Buffer, contentType: string): Promise<{ sha256: string; inserted: boolean }> {
  const sha256 = sha256Hex(bytes);
  const rows = await db
    .insert(blobs)
    .values({ sha256, bytes, size: bytes.length, contentType })
    .onConflictDoNothing({ target: blobs.sha256 })
    .returning({ sha256: blobs.sha256 });
  return { sha256, inserted: rows.length > 0 };
}

/**
 * Takes back a blob this transaction stored when nothing came to refer to it (the text turned out
 * too short to offer as a draft): the bytes were never part of any record.
 */
export async function dropIfUnreferenced(db: DbOrTx, sha256: string): Promise<void> {
  await db.execute(sql`
    delete from blobs b where b.sha256 = ${sha256}
      and not exists (select 1 from draft_candidates c where c.blob_sha256 = b.sha256)
      and not exists (select 1 from draft_revisions r where r.blob_sha256 = b.sha256)`);
}
