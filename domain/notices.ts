import type { Category, RecognitionKind } from '../db/schema/index.js';
import type { Level } from './scoring/types.js';
import type { Draft } from '../db/schema/index.js';
import type { IssueItemView } from './desk/issues.js';
import type { ParagraphDiff } from './drafts/paragraph-diff.js';
import type { DraftView } from './drafts/views.js';
import type { BoardView } from './topics/board-data.js';

/**
 * What a domain service tells someone, as data. Services say what happened and to whom
 * (`work.notify`, `work.redraw`); cards/notices.ts draws each kind, so the domain never builds a
 * card and a card never decides who is told.
 */
export type Notice =
  /** "Is this a draft?" to the officer; `body` is the whole text, the card shows its beginning. */
  | {
      kind: 'draft.confirm';
      candidateId: number;
      title: string;
      body: string;
      chars: number;
      paragraphs: number;
      sourceLabel?: string;
      revisionOf?: { serial: string; nextRevision: number; category: Category };
      units?: { id: number; name: string }[];
      topics?: { id: number; code: string; title: string; deadline: Date }[];
    }
  | { kind: 'draft.confirmClosed'; title: string; outcome: 'submitted' | 'cancelled' | 'superseded' | 'recalled'; serial?: string; revision?: number }
  /** The review card; the full text follows in private text messages when it does not fit. */
  | { kind: 'draft.review'; view: DraftView }
  | { kind: 'draft.receipt'; view: DraftView }
  | { kind: 'draft.approved'; view: DraftView }
  | { kind: 'draft.handOn'; view: DraftView }
  | { kind: 'draft.returned'; view: DraftView }
  | { kind: 'draft.noReviewer'; view: DraftView }
  | { kind: 'draft.adopted'; draft: Draft; issueLabel: string; position: number; merged: boolean; itemTitle: string }
  /** To the author: their piece was adopted upward, endorsed (批示) or carried by the media. */
  | {
      kind: 'draft.recognized';
      serial: string;
      title: string;
      recognition: { kind: RecognitionKind; level: Level; outlet: string | null; occurredOn: string };
    }
  | { kind: 'draft.declined'; draft: Draft; disposition: string; reason: string }
  | {
      kind: 'draft.edited';
      serial: string;
      title: string;
      issueLabel: string;
      position: number;
      version: number;
      editorName: string;
      at: Date;
      merged: boolean;
      diff: ParagraphDiff;
      againstLabel: string;
    }
  /** To a leader: the published issue's table of contents (the .docx follows as a file). */
  | { kind: 'issue.publishedToLeader'; bulletinName: string; label: string; date: string; items: IssueItemView[]; signer: string | undefined }
  /** To the work group: the number and titles only, never a piece's text. */
  | { kind: 'issue.publishedToGroup'; bulletinName: string; label: string; date: string; items: Pick<IssueItemView, 'position' | 'title' | 'unitNames'>[] }
  /** To an officer or reviewer: which of their unit's pieces the issue carries. */
  | { kind: 'issue.publishedToUnit'; bulletinName: string; issueLabel: string; date: string; lines: { unitName: string; titles: string[] }[] }
  | { kind: 'topic.board'; view: BoardView };
