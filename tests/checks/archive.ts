import { readFileSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { draftRevisions, drafts, units, type DraftState } from '../../db/schema/index.js';
import { importOrg } from '../../domain/roster/import-org.js';
import { parseOrgFile } from '../../domain/roster/org-file.js';

const ORG_YAML = readFileSync(new URL('../../org.example.yaml', import.meta.url), 'utf8');
export const NOW = new Date('2026-05-10T02:00:00Z');

/** The example roster: 城关镇 (officer ou_officer1) and 东街街道 (officer ou_officer3). */
export async function seedOrg(db: Db): Promise<{ chengguan: number; dongjie: number }> {
  await importOrg(db, parseOrgFile(ORG_YAML), { actor: 'test', now: NOW });
  const [a] = await db.select().from(units).where(eq(units.name, '城关镇'));
  const [b] = await db.select().from(units).where(eq(units.name, '东街街道'));
  return { chengguan: a!.id, dongjie: b!.id };
}

let seq = 0;

/** An earlier draft with one revision, inserted directly (the archive the checks compare against). */
export async function archiveDraft(
  db: Db,
  o: { unitId: number; author?: string; title?: string; paragraphs: string[]; state?: DraftState; serial?: string },
): Promise<{ id: number; serial: string }> {
  seq++;
  const serial = o.serial ?? `2026-${String(seq).padStart(4, '0')}`;
  const [d] = await db
    .insert(drafts)
    .values({
      serial,
      year: 2026,
      seq: Number(serial.slice(5)),
      unitId: o.unitId,
      authorOpenId: o.author ?? 'ou_officer1',
      category: '组工信息',
      state: o.state ?? 'pending_review',
      title: o.title ?? '标题',
      submittedAt: NOW,
      updatedAt: NOW,
    })
    .returning();
  const body = o.paragraphs.join('\n');
  await db.insert(draftRevisions).values({
    draftId: d!.id,
    revision: 1,
    title: o.title ?? '标题',
    body,
    charCount: Array.from(o.paragraphs.join('')).length,
    sourceType: 'text',
    createdAt: NOW,
  });
  return { id: d!.id, serial };
}
