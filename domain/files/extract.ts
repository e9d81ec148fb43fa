import { docxBlocks, DocxReadError } from './docx.js';
import { fileErrors } from './file-errors.js';
import { CONTENT_TYPES, fileTypeOf, isCompoundFile, isEncryptedOffice, isPdf, isZip, stemOf } from './file-type.js';
import { markdownBlocks } from './markdown.js';
import { pdfBlocks, PdfReadError } from './pdf.js';
import { decodeText, looksBinary, textBlocks } from './plain-text.js';
import { shapeDraft } from './shape.js';
import type { Block, DraftFileType, ExtractedDraft } from './types.js';

/**
 * Checks a file's name before anything is downloaded: an old Word format or an unknown type is
 * answered at once. Returns the draft type to extract.
 */
export function draftTypeOrThrow(fileName: string): DraftFileType {
  const verdict = fileTypeOf(fileName);
  if (verdict.kind === 'legacy') throw fileErrors.legacy(fileName, verdict.ext);
  if (verdict.kind === 'unsupported') throw fileErrors.unsupported(fileName);
  return verdict.type;
}

/**
 * The text of a draft file. Every unusable file (empty, encrypted, corrupt, scanned, an old .doc
 * renamed) ends in a DraftFileError with its own message; nothing here touches the database.
 */
export async function extractDraftFile(fileName: string, bytes: Buffer): Promise<ExtractedDraft> {
  const type = draftTypeOrThrow(fileName);
  if (bytes.length === 0) throw fileErrors.empty(fileName);
  const blocks = await blocksOf(type, fileName, bytes);
  if (blocks.length === 0) throw fileErrors.empty(fileName);
  const { title, paragraphs } = shapeDraft(blocks, stemOf(fileName));
  return { title, paragraphs, sourceType: type, contentType: CONTENT_TYPES[type] };
}

async function blocksOf(type: DraftFileType, fileName: string, bytes: Buffer): Promise<Block[]> {
  switch (type) {
    case 'docx': {
      if (isEncryptedOffice(bytes)) throw fileErrors.encrypted(fileName);
      if (isCompoundFile(bytes)) throw fileErrors.renamedDoc(fileName);
      if (!isZip(bytes)) throw fileErrors.corrupt(fileName);
      try {
        return await docxBlocks(bytes);
      } catch (err) {
        if (err instanceof DocxReadError) throw fileErrors.corrupt(fileName);
        throw err;
      }
    }
    case 'pdf': {
      if (!isPdf(bytes)) throw fileErrors.corrupt(fileName);
      let blocks: Block[];
      try {
        blocks = await pdfBlocks(bytes);
      } catch (err) {
        if (err instanceof PdfReadError) throw err.problem === 'encrypted' ? fileErrors.encrypted(fileName) : fileErrors.corrupt(fileName);
        throw err;
      }
      if (visibleChars(blocks) === 0) throw fileErrors.scanned(fileName);
      return blocks;
    }
    case 'txt':
    case 'md': {
      const text = decodeText(bytes);
      if (looksBinary(text)) throw fileErrors.corrupt(fileName);
      const blocks = type === 'md' ? markdownBlocks(text) : textBlocks(text);
      if (visibleChars(blocks) === 0) throw fileErrors.empty(fileName);
      return blocks;
    }
  }
}

function visibleChars(blocks: Block[]): number {
  return blocks.reduce((n, b) => n + b.text.replace(/\s/g, '').length, 0);
}
