import type { Draft } from '../db/schema/index.js';
import { chineseDate } from '../bot/time.js';
import type { Notice } from '../domain/notices.js';
import { KIND_LABELS, LEVEL_LABELS } from '../domain/scoring/types.js';
import { recognitionOpenButton } from './desk-recognition.js';
import { card, escapeMd, markdown, note, type Card } from './elements.js';

/** Private notices about the desk's decisions. */

/** The author's notice of adoption, with the button to report what the higher levels make of it. */
export function adoptedNoticeCard(o: { draft: Draft; issueLabel: string; position: number; merged: boolean; itemTitle: string }): Card {
  const into = o.merged ? `，与其他稿件合并为综合稿《${escapeMd(o.itemTitle)}》` : '';
  return card({
    title: '稿件已被采用',
    template: 'green',
    summary: `${o.draft.serial} 已被研究室采用`,
    elements: [
      markdown(`您的稿件《${escapeMd(o.draft.title)}》（${o.draft.serial}）已被研究室采用${into}，编入${o.issueLabel}第 ${o.position} 条。`),
      recognitionOpenButton(o.draft.id),
      note('稿件被上级刊物采用、获领导批示或在上级媒体刊发后，点“登记上级采用”填写，研究室确认后计分。'),
    ],
  });
}

export function declinedNoticeText(o: { draft: Draft; disposition: string; reason: string }): string {
  const tail = o.disposition === '备用' ? '稿件已存入备用稿，后续仍可能采用。' : '';
  return `您的稿件《${o.draft.title}》（${o.draft.serial}）本次未被采用（${o.disposition}）。原因：${o.reason}${tail ? `\n${tail}` : ''}`;
}

/** The author's notice of an upper-level adoption, 批示 or media piece recorded for their draft. */
export function recognizedNoticeText(o: Extract<Notice, { kind: 'draft.recognized' }>): string {
  const r = o.recognition;
  const what = `${LEVEL_LABELS[r.level]}${KIND_LABELS[r.kind]}`;
  return `您的稿件《${o.title}》（${o.serial}）获${what}（${r.outlet ? `${r.outlet}，` : ''}${chineseDate(r.occurredOn)}），已按积分规则计分。稿件回执已同步更新。`;
}

export function publishedNoticeText(o: { bulletinName: string; issueLabel: string; date: string; lines: { unitName: string; titles: string[] }[] }): string {
  const body = o.lines.map((l) => `${l.unitName}入选 ${l.titles.length} 篇：${l.titles.map((t) => `《${t}》`).join('、')}`).join('\n');
  return `《${o.bulletinName}》${o.issueLabel}已于${o.date}印发。\n${body}`;
}

/** The work group's notice of a published issue: the number and titles only, never a piece's text. */
export function publishedGroupText(o: { bulletinName: string; label: string; date: string; items: { position: number; title: string; unitNames: string[] }[] }): string {
  return `《${o.bulletinName}》${o.label}已于${o.date}印发，共 ${o.items.length} 条：\n${o.items.map((it) => `${it.position}. 《${it.title}》（${it.unitNames.join('、')}）`).join('\n')}`;
}
