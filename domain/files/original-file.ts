import { and, eq } from 'drizzle-orm';
import { PermissionError, UserError } from '../../bot/errors.js';
import type { Tx } from '../../db/client.js';
import type { Who } from '../../db/queries/roster.js';
import { draftRevisions, drafts } from '../../db/schema/index.js';
import { recordAudit } from '../drafts/transition.js';

/**
 * The original file of one revision, for a reviewer of the draft's unit or an editor. The role is
 * read from the database on every tap (the button's value comes from the client), and every
 * handover is audited: the original may hold more than the extracted text (images, comments).
 */
export async function originalFileFor(
  tx: Tx,
  who: Who,
  ref: { draftId: number; revision: number },
  at: Date,
): Promise<{ blobSha256: string; fileName: string; serial: string }> {
  const [row] = await tx
    .select({ serial: drafts.serial, unitId: drafts.unitId, blobSha256: draftRevisions.blobSha256, fileName: draftRevisions.fileName, sourceType: draftRevisions.sourceType })
    .from(draftRevisions)
    .innerJoin(drafts, eq(drafts.id, draftRevisions.draftId))
    .where(and(eq(draftRevisions.draftId, ref.draftId), eq(draftRevisions.revision, ref.revision)));
  if (!row) throw new UserError('找不到这一稿。');
  if (!who.editor && !who.reviewerUnits.some((u) => u.id === row.unitId)) {
    throw new PermissionError('只有本单位的审核人和研究室可以获取稿件原文件。');
  }
  if (!row.blobSha256) throw new UserError('这一稿不是以文件提交的，没有原文件。');
  const fileName = row.fileName ?? `${row.serial}.${row.sourceType}`;
  await recordAudit(tx, {
    at,
    actor: who.openId,
    entityType: 'draft',
    entityId: ref.draftId,
    action: 'original_file_sent',
    data: { revision: ref.revision, sha256: row.blobSha256, fileName },
  });
  return { blobSha256: row.blobSha256, fileName, serial: row.serial };
}
