import type { SourceType } from '../../db/schema/index.js';

/** One block of a document as a reader sees it: headings apart from ordinary paragraphs. */
export type Block = { kind: 'heading' | 'paragraph'; text: string };

/** The text of a draft file, shaped like a text message's: a title and body paragraphs. */
export type ExtractedDraft = {
  title: string | undefined;
  paragraphs: string[];
  sourceType: SourceType;
  contentType: string;
};

/** The file types a draft may come as, by extension. */
export type DraftFileType = 'docx' | 'pdf' | 'txt' | 'md';
