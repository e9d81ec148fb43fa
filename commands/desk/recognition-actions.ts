import { and, eq, isNull, ne, or } from 'drizzle-orm';
import type { ActionContext, CardAction } from '../../bot/handlers.js';
import { UserError } from '../../bot/errors.js';
import { cardMessages, type Recognition } from '../../db/schema/index.js';
import { holdersOf } from '../../db/queries/roster.js';
import {
  RECOGNITION_ACTIONS,
  RECOGNITION_CARD_PURPOSE,
  recognitionDecideCard,
  recognitionReceiptCard,
} from '../../cards/desk-recognition.js';
import { decideRecognition, KIND_LABELS, pieceOfDraft, reportRecognition, todayOf, validateRecognition, type PieceTarget } from '../../domain/desk/recognitions.js';
import { draftById, nameOf } from '../../domain/drafts/views.js';
import type { Tx } from '../../db/client.js';
import type { Outbox } from '../../bot/outbox/enqueue.js';
import { recognitionForm } from './recognition-command.js';
import { pieceInfo, pieceOfRecognition } from './recognition-view.js';

/** The piece whose draft a 登记 button names (`draft`). */
async function pieceOfButton(ctx: ActionContext): Promise<PieceTarget> {
  const draftId = ctx.args.draft;
  if (!Number.isInteger(draftId)) throw new UserError('这张卡片已失效，请重新发送“登记 稿件编号”。');
  return pieceOfDraft(ctx.tx, await draftById(ctx.tx, draftId as number));
}

/** 登记上级采用 on the adoption notice or the receipt: the same form as `登记 2026-0137`, sent privately. */
export const recognitionOpen: CardAction = {
  id: RECOGNITION_ACTIONS.open,
  privateChat: true,
  async run(ctx) {
    const piece = await pieceOfButton(ctx);
    const form = await recognitionForm(ctx.tx, ctx.who, piece, { now: ctx.deps.clock.now(), timezone: ctx.deps.config.timezone });
    await ctx.out.sendCard({ openId: ctx.who.openId }, form);
    return { toast: { type: 'info', content: '登记表已发送，请在下方填写。' } };
  },
};

export const recognitionSubmit: CardAction = {
  id: RECOGNITION_ACTIONS.submit,
  privateChat: true,
  async run(ctx) {
    const piece = await pieceOfButton(ctx);
    const now = ctx.deps.clock.now();
    const input = validateRecognition(ctx.event.formValue ?? {}, { today: todayOf(now, ctx.deps.config.timezone) });
    const rec = await reportRecognition(ctx.tx, { piece, input, who: ctx.who, now });
    const info = await pieceInfo(ctx.tx, piece);
    const reporterName = await nameOf(ctx.tx, ctx.who.openId);
    if (rec.status === 'reported') {
      for (const ed of await holdersOf(ctx.tx, 'editor')) {
        await ctx.out.sendCard({ openId: ed.openId }, recognitionDecideCard({ rec, piece: info, reporterName }), {
          purpose: RECOGNITION_CARD_PURPOSE,
          entityType: 'recognition',
          entityId: rec.id,
        });
      }
    }
    return {
      toast: { type: 'success', content: rec.status === 'confirmed' ? '已登记并计分' : '已提交，待研究室确认' },
      card: recognitionReceiptCard({ rec, piece: info, reporterName }),
    };
  },
};

export const recognitionDecide: CardAction = {
  id: RECOGNITION_ACTIONS.decide,
  privateChat: true,
  async run(ctx) {
    const id = ctx.args.id;
    if (!Number.isInteger(id)) throw new UserError('这张卡片已失效。');
    const decision = ctx.args.d === 'rejected' ? 'rejected' : 'confirmed';
    const rec = await decideRecognition(ctx.tx, {
      id: id as number,
      decision,
      reason: String(ctx.event.formValue?.reason ?? ''),
      who: ctx.who,
      now: ctx.deps.clock.now(),
    });
    const card = await refreshDecideCards(ctx, rec);
    const info = await pieceInfo(ctx.tx, await pieceOfRecognition(ctx.tx, rec));
    const verdict = decision === 'confirmed' ? '已确认，计入积分' : `未予确认。原因：${rec.decisionReason}`;
    await ctx.out.sendText(
      { openId: rec.reportedBy },
      `您登记的《${info.title}》${KIND_LABELS[rec.kind]}（${rec.occurredOn}${rec.outlet ? `，${rec.outlet}` : ''}）${verdict}`,
    );
    return { toast: { type: 'success', content: decision === 'confirmed' ? '已确认' : '已驳回' }, card };
  },
};

/** Every editor got a copy: the clicked one is answered with the new card, the others are patched. */
async function refreshDecideCards(ctx: ActionContext, rec: Recognition) {
  return patchDecideCards(ctx.tx, ctx.out, rec, ctx.event.openMessageId);
}

export async function patchDecideCards(tx: Tx, out: Outbox, rec: Recognition, exceptMessageId?: string) {
  const piece = await pieceOfRecognition(tx, rec);
  const card = recognitionDecideCard({
    rec,
    piece: await pieceInfo(tx, piece),
    reporterName: await nameOf(tx, rec.reportedBy),
    deciderName: rec.decidedBy ? await nameOf(tx, rec.decidedBy) : undefined,
  });
  const copies = await tx
    .select()
    .from(cardMessages)
    .where(
      and(
        eq(cardMessages.purpose, RECOGNITION_CARD_PURPOSE),
        eq(cardMessages.entityType, 'recognition'),
        eq(cardMessages.entityId, String(rec.id)),
        ...(exceptMessageId ? [or(isNull(cardMessages.messageId), ne(cardMessages.messageId, exceptMessageId))] : []),
      ),
    );
  for (const c of copies) await out.patchCard(c.id, card);
  return card;
}

export const recognitionActions: CardAction[] = [recognitionOpen, recognitionSubmit, recognitionDecide];
