import { createHash } from 'node:crypto';
import type { DbOrTx } from '../../db/client.js';
import { blobs } from '../../db/schema/index.js';

/** Stores bytes once, keyed by their sha256 (the same export or image sent twice is one row). */
export async function storeBlob(db: DbOrTx, bytes: Buffer, contentType: string): Promise<string> {
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  await db.insert(blobs).values({ sha256, bytes, size: bytes.length, contentType }).onConflictDoNothing();
  return sha256;
}
