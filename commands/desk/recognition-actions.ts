import { chineseDate } from '../../bot/time.js';
import { afterRecognition } from '../../domain/drafts/receipt-progress.js';
import { and, eq, isNull, ne, or } from 'drizzle-orm';
import type { ActionContext, CardAction } from '../../bot/handlers.js';
import { cardAction, roles } from '../../bot/declare.js';
import { cardMessages, type Recognition } from '../../db/schema/index.js';
import { holdersOf } from '../../db/queries/roster.js';
import {
  RECOGNITION_ACTIONS,
  RECOGNITION_CARD_PURPOSE,
  recognitionDecideCard,
  recognitionReceiptCard,
} from '../../cards/desk-recognition.js';
import { KIND_LABELS } from '../../domain/scoring/types.js';
import { decideRecognition, pieceOfDraft, reportRecognition, todayOf, validateRecognition, type PieceTarget } from '../../domain/desk/recognitions.js';
import { draftById, nameOf } from '../../domain/drafts/views.js';
import type { Tx } from '../../db/client.js';
import type { Outbox } from '../../bot/outbox/enqueue.js';
import { recognitionForm } from './recognition-command.js';
import { pieceInfo, pieceOfRecognition } from './recognition-view.js';

/** The piece whose draft a 登记 button names (`draft`). */
async function pieceOfButton(ctx: ActionContext, draftId: number): Promise<PieceTarget> {
  return pieceOfDraft(ctx.tx, await draftById(ctx.tx, draftId));
}

// Officers report their own unit's pieces (checked against the piece in recognitionForm and
// reportRecognition), editors any; everyone else gets the same answer as there.
const MAY_REPORT = roles(['officer', 'editor'], '登记上级采用', '只能为本单位的稿件登记；如有疑问请联系研究室。');

/** 登记上级采用 on the adoption notice or the receipt: the same form as `登记 2026-0137`, sent privately. */
export const recognitionOpen = cardAction(RECOGNITION_ACTIONS.open, {
  allow: MAY_REPORT,
  privateChat: true,
  async run(ctx, { draft }) {
    const piece = await pieceOfButton(ctx, draft);
    const form = await recognitionForm(ctx.tx, ctx.who, piece, { now: ctx.deps.clock.now(), timezone: ctx.deps.config.timezone });
    await ctx.out.sendCard({ openId: ctx.who.openId }, form);
    return { toast: { type: 'info', content: '登记表已发送，请在下方填写。' } };
  },
});

export const recognitionSubmit = cardAction(RECOGNITION_ACTIONS.submit, {
  allow: MAY_REPORT,
  privateChat: true,
  async run(ctx, { draft }) {
    const piece = await pieceOfButton(ctx, draft);
    const now = ctx.deps.clock.now();
    const input = validateRecognition(ctx.event.formValue ?? {}, { today: todayOf(now, ctx.deps.config.timezone) });
    const rec = await reportRecognition(ctx.tx, { piece, input, who: ctx.who, now });
    await afterRecognition(ctx, rec, { tell: true });
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
});

export const recognitionDecide = cardAction(RECOGNITION_ACTIONS.decide, {
  allow: roles(['editor'], '确认或驳回登记'),
  privateChat: true,
  async run(ctx, { id, d: decision }) {
    const rec = await decideRecognition(ctx.tx, {
      id,
      decision,
      reason: String(ctx.event.formValue?.reason ?? ''),
      who: ctx.who,
      now: ctx.deps.clock.now(),
    });
    await afterRecognition(ctx, rec, { tell: true });
    const card = await refreshDecideCards(ctx, rec);
    const info = await pieceInfo(ctx.tx, await pieceOfRecognition(ctx.tx, rec));
    const verdict = decision === 'confirmed' ? '已确认，计入积分' : `未予确认。原因：${rec.decisionReason}`;
    await ctx.out.sendText(
      { openId: rec.reportedBy },
      `您登记的《${info.title}》${KIND_LABELS[rec.kind]}（${chineseDate(rec.occurredOn)}${rec.outlet ? `，${rec.outlet}` : ''}）${verdict}`,
    );
    return { toast: { type: 'success', content: decision === 'confirmed' ? '已确认' : '已驳回' }, card };
  },
});

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
