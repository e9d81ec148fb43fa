import { sql } from 'drizzle-orm';
import { readFileSync } from 'node:fs';
import { allFeatures } from '../../commands/index.js';
import { cardText, type Harness, P } from '../helpers/harness.js';

/** The people the table's role columns stand for, in column order. */
export const ROLE_PEOPLE = [
  ['信息员', P.officer1],
  ['组织委员', P.reviewer1],
  ['研究室', P.editor],
  ['部领导', P.leader],
  ['名册外人员', P.stranger],
] as const;

export type Row = { kind: '命令' | '卡片操作'; id: string; example: string; allowed: boolean[] };

/** Rows of the table in docs/permissions.md: | 命令 | `名` | `示例` | ✓/✗ ×5 | 说明 |. */
export function permissionRows(): Row[] {
  const text = readFileSync(new URL('../../docs/permissions.md', import.meta.url), 'utf8');
  const rows: Row[] = [];
  for (const line of text.split('\n')) {
    const cells = line.split('|').slice(1, -1).map((c) => c.trim());
    if (cells[0] !== '命令' && cells[0] !== '卡片操作') continue;
    const code = (s: string) => s.replace(/^`|`$/g, '');
    rows.push({ kind: cells[0], id: code(cells[1]!), example: code(cells[2]!), allowed: cells.slice(3, 8).map((c) => c === '✓') });
  }
  return rows;
}

/** What the registries hold: every command name and card action id. */
export function registered(): { commands: string[]; actions: string[] } {
  const features = allFeatures();
  return {
    commands: features.flatMap((f) => (f.commands ?? []).map((c) => c.name)),
    actions: features.flatMap((f) => (f.actions ?? []).map((a) => a.id)),
  };
}

/** Refusals start this way (PermissionError texts and the not-in-roster answer). */
export const REFUSAL = /^(只有|您还不在本系统的名册中|您只能|积分查询仅|导出排行明细仅限|组织委员只能|这张确认卡片不是发给您的)/;

/** Rows in every table but the transport's own (inbox, outbox, sent cards): "changes nothing" means these stay. */
export async function stateCounts(h: Harness): Promise<Record<string, number>> {
  const res = await h.db.db.execute(sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`);
  const names = (Array.isArray(res) ? res : (res as { rows: { table_name: string }[] }).rows).map((r) => (r as { table_name: string }).table_name);
  const out: Record<string, number> = {};
  for (const t of names.sort()) {
    if (['inbox_events', 'outbox', 'card_messages', 'audit_log', 'sent_reminders', 'score_ledger', 'score_events'].includes(t)) continue;
    const r = await h.db.db.execute(sql.raw(`select count(*)::int as n from "${t}"`));
    out[t] = Number((Array.isArray(r) ? r : (r as { rows: { n: number }[] }).rows)[0]!.n);
  }
  return out;
}

/** The bot's answer to the last message a person sent: a text, or a card's text. */
export function lastAnswer(h: Harness, openId: string, before: number): string | undefined {
  const sent = h.sentTo(openId).slice(before);
  const m = sent[sent.length - 1];
  if (!m) return undefined;
  return m.msgType === 'text' ? String((m.content as { text?: string }).text ?? '') : cardText(m.content);
}
