import { and, asc, eq } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../../db/client.js';
import { getOrgSettings } from '../../db/queries/roster.js';
import { publications, type Publication } from '../../db/schema/index.js';
import { UserError } from '../../bot/errors.js';

/** The name used when nothing was ever configured (a database used before any org.yaml import). */
const FALLBACK_NAME = '组工信息';

/** Active publications, the main one first. */
export async function activePublications(db: DbOrTx): Promise<Publication[]> {
  return db.select().from(publications).where(eq(publications.active, true)).orderBy(asc(publications.sortOrder), asc(publications.id));
}

export async function publicationById(db: DbOrTx, id: number): Promise<Publication> {
  const [row] = await db.select().from(publications).where(eq(publications.id, id));
  if (!row) throw new UserError('找不到这个刊物。');
  return row;
}

/**
 * The publications to offer, never empty: before any org.yaml import there is none, and the desk
 * still works with the settings' bulletin name (or the fallback), created on first use.
 */
export async function publicationsOrDefault(tx: Tx): Promise<Publication[]> {
  const active = await activePublications(tx);
  if (active.length) return active;
  const name = (await getOrgSettings(tx))?.bulletinName ?? FALLBACK_NAME;
  await tx.insert(publications).values({ name, sortOrder: 0 }).onConflictDoUpdate({ target: publications.name, set: { active: true } });
  return activePublications(tx);
}

/** The main publication (the first configured), or undefined before any exists. */
export async function mainPublication(db: DbOrTx): Promise<Publication | undefined> {
  return (await activePublications(db))[0];
}

/**
 * The publication a piece goes into: the one chosen, or the only one configured. With several and
 * none chosen the desk must ask, so this refuses and names them.
 */
export async function targetPublication(tx: Tx, chosen: number | undefined): Promise<Publication> {
  if (chosen !== undefined) {
    const p = await publicationById(tx, chosen);
    if (!p.active) throw new UserError(`《${p.name}》已停用，请选择其他刊物。`);
    return p;
  }
  const all = await publicationsOrDefault(tx);
  if (all.length === 1) return all[0]!;
  throw new UserError(`请先在卡片上方选择编入哪个刊物：${all.map((p) => `《${p.name}》`).join('、')}。`);
}

/** 《组工专报》 or 组工专报 at the start of a typed argument: the publication and the rest of the text. */
export async function publicationPrefix(db: DbOrTx, text: string): Promise<{ publication: Publication | undefined; rest: string }> {
  const t = text.trim();
  const all = await db.select().from(publications).orderBy(asc(publications.sortOrder), asc(publications.id));
  // Longest names first, so 《组工专报》 is not taken for a shorter name it starts with.
  for (const p of [...all].sort((a, b) => b.name.length - a.name.length)) {
    for (const form of [`《${p.name}》`, p.name]) {
      if (t.startsWith(form)) return { publication: p, rest: t.slice(form.length).trim() };
    }
  }
  return { publication: undefined, rest: t };
}

/** The publication a typed command means: the one named, else the main one. */
export async function publicationOfArgs(tx: Tx, text: string): Promise<{ publication: Publication; rest: string }> {
  const { publication, rest } = await publicationPrefix(tx, text);
  return { publication: publication ?? (await publicationsOrDefault(tx))[0]!, rest };
}

/** Makes the table match org.yaml's list: the first is the main one; names no longer listed are deactivated. */
export async function syncPublications(tx: Tx, names: string[]): Promise<boolean> {
  const existing = await tx.select().from(publications);
  let changed = false;
  for (const [i, name] of names.entries()) {
    const row = existing.find((p) => p.name === name);
    if (!row) {
      await tx.insert(publications).values({ name, sortOrder: i });
      changed = true;
    } else if (!row.active || row.sortOrder !== i) {
      await tx.update(publications).set({ active: true, sortOrder: i }).where(eq(publications.id, row.id));
      changed = true;
    }
  }
  for (const row of existing) {
    if (row.active && !names.includes(row.name)) {
      await tx.update(publications).set({ active: false }).where(and(eq(publications.id, row.id)));
      changed = true;
    }
  }
  return changed;
}
