import { asc } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../../db/client.js';
import { dictionaryEntries, type DictionaryKind } from '../../db/schema/index.js';
import { UserError } from '../../bot/errors.js';
import { recordAudit } from '../drafts/transition.js';
import { defaultEntries, type DictionaryEntry } from './dictionary-defaults.js';

export type Dictionaries = Record<DictionaryKind, DictionaryEntry[]>;

export const DICTIONARY_LABELS: Record<DictionaryKind, string> = { typo: '易错词', wording: '规范表述', sensitive: '敏感词' };

/**
 * The dictionaries in force: the shipped defaults with the editors' changes applied in order (the
 * latest change to a term wins). The change table is small, so it is read on every check run and
 * an edit takes effect on the next draft without a restart.
 */
export async function loadDictionaries(db: DbOrTx): Promise<Dictionaries> {
  const rows = await db.select().from(dictionaryEntries).orderBy(asc(dictionaryEntries.id));
  const result = {} as Dictionaries;
  for (const kind of ['typo', 'wording', 'sensitive'] as const) {
    const byTerm = new Map(defaultEntries(kind).map((e) => [e.term, e]));
    for (const r of rows) {
      if (r.kind !== kind) continue;
      if (r.op === 'remove') byTerm.delete(r.term);
      else byTerm.set(r.term, { term: r.term, replacement: r.replacement ?? undefined, exceptions: byTerm.get(r.term)?.exceptions ?? [] });
    }
    result[kind] = [...byTerm.values()];
  }
  return result;
}

export type DictionaryChange = { kind: DictionaryKind; op: 'add' | 'remove'; term: string; replacement?: string; actor: string; at: Date };

/**
 * Records one editor's change as a new row (nothing is deleted) with an audit entry. Adding a term
 * that is already there with the same replacement, or removing one that is not there, changes
 * nothing and says so.
 */
export async function changeDictionary(tx: Tx, c: DictionaryChange): Promise<{ previous: DictionaryEntry | undefined }> {
  const term = c.term.trim();
  const replacement = c.replacement?.trim() || undefined;
  const label = DICTIONARY_LABELS[c.kind];
  if (!term || Array.from(term).length > 50) throw new UserError('词语应为 1 到 50 个字。');
  if (c.kind !== 'sensitive' && c.op === 'add') {
    if (!replacement) throw new UserError(`请同时写出正确写法，例如：词库 添加 ${c.kind === 'typo' ? '易错 按装 安装' : '规范 十八大以来 党的十八大以来'}`);
    if (replacement === term) throw new UserError('错误写法和正确写法相同，未添加。');
  }
  const current = (await loadDictionaries(tx))[c.kind];
  const previous = current.find((e) => e.term === term);
  if (c.op === 'add' && previous && previous.replacement === replacement) throw new UserError(`“${term}”已在${label}词库中，无需重复添加。`);
  if (c.op === 'remove' && !previous) throw new UserError(`${label}词库中没有“${term}”。发送“词库 列表 ${kindWord(c.kind)}”可查看现有词条。`);
  const [row] = await tx
    .insert(dictionaryEntries)
    .values({ kind: c.kind, op: c.op, term, replacement: c.op === 'add' ? replacement ?? null : null, actor: c.actor, createdAt: c.at })
    .returning({ id: dictionaryEntries.id });
  await recordAudit(tx, {
    at: c.at,
    actor: c.actor,
    entityType: 'dictionary',
    entityId: row!.id,
    action: c.op === 'add' ? 'dictionary_add' : 'dictionary_remove',
    data: { kind: c.kind, term, replacement: replacement ?? null, previous: previous?.replacement ?? null, wasPresent: Boolean(previous) },
  });
  return { previous };
}

/** The word an editor types for a dictionary in the 词库 command. */
export function kindWord(kind: DictionaryKind): string {
  return { typo: '易错', wording: '规范', sensitive: '敏感' }[kind];
}
