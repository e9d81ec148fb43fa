import { desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Feature, MessageContext } from '../../bot/handlers.js';
import { command, roles } from '../../bot/declare.js';
import { PermissionError, UserError } from '../../bot/errors.js';
import { chineseDateTime } from '../../bot/time.js';
import { dictionaryEntries, people, type DictionaryKind } from '../../db/schema/index.js';
import { displayName } from '../../db/queries/roster.js';
import { changeDictionary, DICTIONARY_LABELS, kindWord, loadDictionaries } from '../../domain/checks/dictionary.js';
import { defaultEntries } from '../../domain/checks/dictionary-defaults.js';

const KINDS: Record<string, DictionaryKind> = {
  易错: 'typo',
  易错词: 'typo',
  错别字: 'typo',
  规范: 'wording',
  规范表述: 'wording',
  敏感: 'sensitive',
  敏感词: 'sensitive',
};
const OPS: Record<string, 'add' | 'remove' | 'list'> = {
  添加: 'add',
  增加: 'add',
  新增: 'add',
  删除: 'remove',
  移除: 'remove',
  列表: 'list',
  查看: 'list',
  列出: 'list',
};

const USAGE = [
  '词库 列表 易错｜规范｜敏感',
  '词库 添加 易错 按装 安装',
  '词库 添加 规范 十八大以来 党的十八大以来',
  '词库 添加 敏感 某词 提示语（提示语可省略）',
  '词库 删除 易错 按装',
].join('\n');

const RECENT_CHANGES = 10;

/** `词库 操作 类别 [词语] [替换为或提示语]`. */
const dictionaryArgs = z.string().transform((text, c) => {
  const [opWord = '', kindText = '', term = '', ...rest] = text.split(/\s+/).filter(Boolean);
  const op = OPS[opWord];
  const kind = KINDS[kindText];
  if (!op || !kind) {
    c.addIssue({ code: 'custom', message: `用法：\n${USAGE}` });
    return z.NEVER;
  }
  return { op, kind, term, replacement: rest.join(' ') || undefined };
});

/**
 * 词库: the dictionaries behind the pre-review checks. Editors (研究室) add and remove entries;
 * reviewers and editors can list them. Changes are rows on top of the shipped defaults, audited.
 */
export const dictionaryCommand = command({
  name: '词库',
  aliases: ['词典'],
  summary: '查看和维护预审词库（易错词、规范表述、敏感词）',
  usage: USAGE,
  example: () => '词库 查看 敏感',
  // Reviewers list the dictionaries; changing them is the research office's (below).
  allow: roles(['editor', 'reviewer'], '查看词库', '只有研究室和审核人可以查看词库。'),
  args: dictionaryArgs,
  async run(ctx, { op, kind, term, replacement }) {
    if (op === 'list') {
      await ctx.reply(await listing(ctx, kind));
      return;
    }
    if (!ctx.who.editor) throw new PermissionError('只有研究室可以修改词库。');
    if (!term) throw new UserError(`请写出词语。用法：\n${USAGE}`);
    const now = ctx.deps.clock.now();
    await changeDictionary(ctx.tx, { kind, op, term, replacement, actor: ctx.who.openId, at: now });
    const label = DICTIONARY_LABELS[kind];
    const shown = kind === 'sensitive' ? `“${term}”` : `“${term}”${op === 'add' ? ` → “${replacement}”` : ''}`;
    await ctx.reply(`已${op === 'add' ? '添加' : '删除'}${label}：${shown}。此后提交的稿件按新词库检查。`);
  },
});

async function listing(ctx: MessageContext, kind: DictionaryKind): Promise<string> {
  const entries = (await loadDictionaries(ctx.tx))[kind];
  const defaults = defaultEntries(kind).length;
  const lines = entries.map((e) => (kind === 'sensitive' ? `${e.term}${e.replacement ? `（${e.replacement}）` : ''}` : `${e.term} → ${e.replacement ?? ''}`));
  const changes = await ctx.tx
    .select({ op: dictionaryEntries.op, term: dictionaryEntries.term, replacement: dictionaryEntries.replacement, actor: dictionaryEntries.actor, at: dictionaryEntries.createdAt, name: people.name })
    .from(dictionaryEntries)
    .leftJoin(people, eq(people.openId, dictionaryEntries.actor))
    .where(eq(dictionaryEntries.kind, kind))
    .orderBy(desc(dictionaryEntries.id))
    .limit(RECENT_CHANGES);
  const recent = changes.map(
    (c) => `${chineseDateTime(c.at, ctx.deps.config.timezone)} ${displayName(c.name, c.actor)} ${c.op === 'add' ? '添加' : '删除'} ${c.term}${c.op === 'add' && c.replacement ? ` → ${c.replacement}` : ''}`,
  );
  return [
    `${DICTIONARY_LABELS[kind]}词库：共 ${entries.length} 条（默认 ${defaults} 条，其余为研究室的改动）。`,
    ...lines,
    ...(recent.length ? ['', `最近的改动：`, ...recent] : []),
    '',
    `修改：词库 添加 ${kindWord(kind)} … ／ 词库 删除 ${kindWord(kind)} …（仅研究室）`,
  ].join('\n');
}

export const dictionaryFeature: Feature = {
  name: 'dictionary',
  commands: [dictionaryCommand],
};
