import { z } from 'zod';
import { actionSpec, id } from '../bot/declare.js';
import type { DraftState } from '../db/schema/index.js';
import { STATE_LABELS } from '../domain/drafts/states.js';
import { chineseDateTime } from '../bot/time.js';
import type { HeaderTemplate } from './elements.js';

/** Pieces every draft card shares, so a state looks the same on the receipt and on the review card. */

/** The 获取原文件 button on review cards and on the desk's full-draft card: the revision's original file. */
export const ORIGINAL_FILE = actionSpec('files.original', z.object({ draftId: id(), rev: id() }));

const STATE_COLORS: Record<DraftState, string> = {
  pending_review: 'blue',
  returned: 'orange',
  approved: 'green',
  adopted: 'turquoise',
  archived: 'neutral',
  withdrawn: 'neutral',
};

const STATE_TEMPLATES: Record<DraftState, HeaderTemplate> = {
  pending_review: 'blue',
  returned: 'orange',
  approved: 'green',
  adopted: 'turquoise',
  archived: 'grey',
  withdrawn: 'grey',
};

export function stateTag(state: DraftState): { text: string; color: string } {
  return { text: STATE_LABELS[state], color: STATE_COLORS[state] };
}

export function stateTemplate(state: DraftState): HeaderTemplate {
  return STATE_TEMPLATES[state];
}

export function when(d: Date, timezone: string): string {
  return chineseDateTime(d, timezone);
}

/** 1234字 (no thousands separator, no space: docs/glossary.md) */
export function charsLabel(n: number): string {
  return `${n}字`;
}

/** Titles come from people; a missing one is said out loud rather than left blank. */
export function titleOrPlaceholder(title: string): string {
  return title.trim() ? title : '（未识别到标题）';
}

/** What the reviewers see as "who acts next" on the officer's receipt. */
export function nextStep(state: DraftState, reviewers: { name: string }[], authorName: string): string {
  switch (state) {
    case 'pending_review':
      return reviewers.length ? `待 ${reviewers.map((r) => r.name).join('、')} 审核` : '本单位尚未设置组织委员，已告知研究室';
    case 'returned':
      return `待 ${authorName} 修改后重新提交`;
    case 'approved':
      return '待研究室编审';
    case 'adopted':
      return '已采用，无需操作';
    case 'archived':
      return '未采用，无需操作';
    case 'withdrawn':
      return '已撤回，无需操作';
  }
}
