import { and, eq, isNull, ne, or } from 'drizzle-orm';
import { NOT_MINE, type CardAction, type MessageContext, type MessageHandler } from '../../bot/handlers.js';
import { cardAction, command, roles } from '../../bot/declare.js';
import { draftSerial } from '../arg-schemas.js';
import { UserError } from '../../bot/errors.js';
import type { Tx } from '../../db/client.js';
import type { Outbox } from '../../bot/outbox/enqueue.js';
import { bulletinIssues, bulletinItems, bulletinItemSources, cardMessages, drafts } from '../../db/schema/index.js';
import { EDIT_ACTIONS, ITEM_CARD_PURPOSE, itemEditCard } from '../../cards/desk-edit.js';
import type { Card } from '../../cards/elements.js';
import { editItem, itemVersions, ItemChangedError, titleAndBody, VOIDED_TEXT, type EditInput } from '../../domain/desk/editorial.js';
import { issueItems, issueLabelFor } from '../../domain/desk/issues.js';
import { requireEditor } from '../../domain/roster/permissions.js';
import { nameOf } from '../../domain/drafts/views.js';
import { storeBlob } from '../../domain/files/blob-store.js';
import { extractDraftFile } from '../../domain/files/extract.js';
import { fileErrors } from '../../domain/files/file-errors.js';
import { FileTooLargeError } from '../../bot/lark-api.js';
import { stemOf } from '../../domain/files/file-type.js';
import { DOCX_TYPE } from '../../domain/desk/export-issue.js';
import { rawText } from '../../bot/message-text.js';

/** The 编审 card of an item as it is now. */
export async function renderItemCard(tx: Tx, itemId: number, timezone: string, banner?: string): Promise<Card> {
  const [item] = await tx.select().from(bulletinItems).where(eq(bulletinItems.id, itemId));
  if (!item) throw new UserError('找不到这一条。');
  const [issue] = await tx.select().from(bulletinIssues).where(eq(bulletinIssues.id, item.issueId));
  const view = (await issueItems(tx, item.issueId)).find((i) => i.id === item.id)!;
  const versions = await itemVersions(tx, item.id);
  const names = new Map<string, string>();
  for (const v of versions) if (!names.has(v.editedBy)) names.set(v.editedBy, await nameOf(tx, v.editedBy));
  return itemEditCard({
    item,
    issueLabel: await issueLabelFor(tx, issue!),
    open: issue!.status === 'open',
    sources: view.sources.map((s) => ({ serial: s.serial, unitName: s.unitName })),
    versions: versions.map((v) => ({ ...v, editorName: names.get(v.editedBy)! })),
    timezone,
    banner,
  });
}

/** Sends the 编审 card as a new, tracked message: replies to it are read as revised text. */
async function sendItemCard(tx: Tx, out: Outbox, to: string, itemId: number, timezone: string) {
  await out.sendCard({ openId: to }, await renderItemCard(tx, itemId, timezone), { purpose: ITEM_CARD_PURPOSE, entityType: 'bulletin_item', entityId: itemId });
}

/** Every other copy of the item's card shows the new version too. */
async function patchItemCards(tx: Tx, out: Outbox, itemId: number, timezone: string, exceptMessageId?: string) {
  const copies = await tx
    .select()
    .from(cardMessages)
    .where(
      and(
        eq(cardMessages.purpose, ITEM_CARD_PURPOSE),
        eq(cardMessages.entityId, String(itemId)),
        ...(exceptMessageId ? [or(isNull(cardMessages.messageId), ne(cardMessages.messageId, exceptMessageId))] : []),
      ),
    );
  if (!copies.length) return;
  const card = await renderItemCard(tx, itemId, timezone);
  for (const c of copies) await out.patchCard(c.id, card);
}

function savedText(r: { item: { version: number }; voided: boolean; textChanged: boolean }): string {
  return `已保存为第${r.item.version}版${r.textChanged ? '，已告知作者和组织委员' : ''}。${r.voided ? VOIDED_TEXT : ''}`;
}

const MAY_EDIT = roles(['editor'], '编审稿件');

export const itemEditOpen = cardAction(EDIT_ACTIONS.open, {
  allow: MAY_EDIT,
  privateChat: true,
  async run(ctx, { item }) {
    await sendItemCard(ctx.tx, ctx.out, ctx.who.openId, item, ctx.deps.config.timezone);
    return { toast: { type: 'info', content: '已发送编审卡片' } };
  },
});

export const itemEditSave = cardAction(EDIT_ACTIONS.save, {
  allow: MAY_EDIT,
  privateChat: true,
  async run(ctx, { item: itemId, v }) {
    const fv = ctx.event.formValue ?? {};
    const str = (k: string) => (typeof fv[k] === 'string' ? (fv[k] as string) : undefined);
    const tz = ctx.deps.config.timezone;
    try {
      const r = await editItem(ctx, { itemId, baseVersion: v, title: str('title'), body: str('body'), note: str('note') ?? '', source: 'form', actor: ctx.who.openId });
      await patchItemCards(ctx.tx, ctx.out, r.item.id, tz, ctx.event.openMessageId);
      return { toast: { type: 'success', content: savedText(r) }, card: await renderItemCard(ctx.tx, r.item.id, tz) };
    } catch (err) {
      if (!(err instanceof ItemChangedError)) throw err;
      // The second editor sees the text as it now is, with the reason.
      return { toast: { type: 'error', content: err.userMessage }, card: await renderItemCard(ctx.tx, err.item.id, tz, err.userMessage) };
    }
  },
});

/** `编审 2026-0137`: the 编审 card of the piece a draft was adopted into. */
export const editCommand = command({
  name: '编审',
  summary: '编审已采用的稿件：改标题和正文、写编者按（回复编审卡片可发送全文或 Word 文件）',
  usage: '编审 2026-0137',
  example: (c) => `编审 ${c.year}-0001`,
  allow: MAY_EDIT,
  args: draftSerial('请写成“编审 稿件编号”，例如：编审 2026-0137。'),
  async run(ctx, serial) {
    const [row] = await ctx.tx
      .select({ itemId: bulletinItemSources.itemId })
      .from(drafts)
      .innerJoin(bulletinItemSources, eq(bulletinItemSources.draftId, drafts.id))
      .where(eq(drafts.serial, serial));
    if (!row) throw new UserError(`稿件 ${serial} 还没有被采用，采用后才能编审。发送“查看 ${serial}”可阅读全文。`);
    await sendItemCard(ctx.tx, ctx.out, ctx.who.openId, row.itemId, ctx.deps.config.timezone);
  },
});

type Reply =
  | { kind: 'none' }
  | { kind: 'text'; itemId: number; text: string }
  | { kind: 'file'; itemId: number; fileName: string; bytes: Buffer; title: string | undefined; paragraphs: string[] };

/**
 * An editor's reply to a 编审 card: the revised text (first line the title), a .docx, “编者按：…”,
 * or “续：…” (paragraphs added at the end, for a text too long for one message or written in parts). The file is read in `prepare`; a file that cannot be read changes nothing.
 */
export const editReplyHandler: MessageHandler<Reply> = {
  name: 'item-edit-reply',
  accepts(event, who) {
    return who.editor && event.chatType === 'p2p' && Boolean(event.parentId) && ['text', 'post', 'file'].includes(event.messageType);
  },
  async prepare(event, deps, who) {
    const [cm] = await deps.db
      .select()
      .from(cardMessages)
      .where(and(eq(cardMessages.messageId, event.parentId!), eq(cardMessages.purpose, ITEM_CARD_PURPOSE)));
    // A reply to another message: an editor who also writes for a unit may be answering a return
    // notice with a revision, which the drafts feature takes.
    if (!cm) return who.officerUnits.length ? NOT_MINE : { kind: 'none' };
    const itemId = Number(cm.entityId);
    if (event.messageType !== 'file') return { kind: 'text', itemId, text: rawText(event) };
    const fileKey = String(event.content.file_key ?? '');
    const fileName = String(event.content.file_name ?? '未命名文件');
    if (!/\.docx$/i.test(fileName)) throw new UserError(`编审未保存：请回复 Word 文件（.docx）或直接回复修改后的文字，“${fileName}”不能用于编审。`);
    let bytes: Buffer;
    try {
      bytes = await deps.lark.downloadMessageFile({ messageId: event.messageId, fileKey, type: 'file', maxBytes: deps.config.maxFileBytes });
    } catch (err) {
      if (err instanceof FileTooLargeError) throw new UserError(`编审未保存，原文未作改动。${fileErrors.tooLarge(fileName, deps.config.maxFileBytes).userMessage}`);
      throw err;
    }
    let extracted;
    try {
      extracted = await extractDraftFile(fileName, bytes);
    } catch (err) {
      if (err instanceof UserError) throw new UserError(`编审未保存，原文未作改动。${err.userMessage}`, err.code);
      throw err;
    }
    const title = extracted.title && extracted.title !== stemOf(fileName) ? extracted.title : undefined;
    return { kind: 'file', itemId, fileName, bytes, title, paragraphs: extracted.paragraphs };
  },
  async handle(ctx: MessageContext, p: Reply) {
    if (p.kind === 'none') {
      await ctx.reply('如需修改本期信息中的稿件，请回复该条的编审卡片（发送“编审 稿件编号”获取）。');
      return;
    }
    requireEditor(ctx.who, '编审稿件');
    const tz = ctx.deps.config.timezone;
    const [item] = await ctx.tx.select().from(bulletinItems).where(eq(bulletinItems.id, p.itemId));
    if (!item) throw new UserError('找不到这一条。');
    let input: EditInput;
    if (p.kind === 'file') {
      const body = p.paragraphs.join('\n');
      if (!body.trim()) throw new UserError(`编审未保存：“${p.fileName}”中没有正文。`);
      const { sha256 } = await storeBlob(ctx.tx, p.bytes, DOCX_TYPE);
      input = { itemId: item.id, title: p.title ?? item.title, body, source: 'docx', fileName: p.fileName, blobSha256: sha256, actor: ctx.who.openId };
    } else {
      const text = p.text.trim();
      if (!text) throw new UserError('回复内容为空，本次修改未保存。');
      const note = /^编者按[:：]\s*([\s\S]*)$/.exec(text);
      // A long text (a 综合稿 written from several pieces) may come in parts: “续：” adds paragraphs at the end.
      const more = /^续写?[:：]\s*([\s\S]*)$/.exec(text);
      if (note) input = { itemId: item.id, note: note[1]!, source: 'text', actor: ctx.who.openId };
      else if (more) {
        if (!more[1]!.trim()) throw new UserError('“续：”之后没有内容，本次修改未保存。');
        input = { itemId: item.id, body: `${item.body}\n${more[1]}`, source: 'text', actor: ctx.who.openId };
      }
      else input = { itemId: item.id, ...titleAndBody(text, item.title), source: 'text', actor: ctx.who.openId };
    }
    const r = await editItem(ctx, input);
    await patchItemCards(ctx.tx, ctx.out, r.item.id, tz);
    await ctx.reply(`《${r.item.title}》${savedText(r)}`);
  },
};

export const editActions: CardAction[] = [itemEditOpen, itemEditSave];
