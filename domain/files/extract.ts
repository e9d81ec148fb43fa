import { storableText } from '../../bot/events.js';
import { docxBlocks, DocxReadError } from './docx.js';
import { DraftFileError, type DraftFileProblem } from './file-errors.js';
import { IsolatedError, IsolationLimitError, runIsolated } from './isolated.js';
import { zipSummary } from './zip-directory.js';
import { fileErrors } from './file-errors.js';
import { CONTENT_TYPES, fileTypeOf, isCompoundFile, isEncryptedOffice, isPdf, isZip, stemOf } from './file-type.js';
import { markdownBlocks } from './markdown.js';
import { pdfBlocks, PdfReadError } from './pdf.js';
import { decodeText, looksBinary, textBlocks } from './plain-text.js';
import { shapeDraft } from './shape.js';
import type { Block, DraftFileType, ExtractedDraft } from './types.js';

/**
 * Limits on what a draft file may make the parser do. A long draft is a few dozen pages and a few
 * megabytes of XML; these are far above that and far below what hurts the bot.
 */
export const FILE_LIMITS = {
  docxEntries: 2000,
  /** Uncompressed XML parts of a .docx (media are not parsed). */
  docxXmlBytes: 16 * 1024 * 1024,
  /** Everything in the .docx, media included. */
  docxTotalBytes: 512 * 1024 * 1024,
  pdfPages: 200,
  timeoutMs: 30_000,
  memoryMb: 512,
};

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
  // A file's text may hold characters PostgreSQL refuses (NUL): dropped like a message's.
  return { title: title === undefined ? undefined : storableText(title), paragraphs: paragraphs.map((p) => storableText(p)), sourceType: type, contentType: CONTENT_TYPES[type] };
}

/**
 * extractDraftFile in a worker thread with a memory limit and a deadline (FILE_LIMITS): what the
 * bot's handlers call. A parser that runs out of either is stopped and the officer told why.
 */
export async function extractDraftFileIsolated(
  fileName: string,
  bytes: Buffer,
  limits: { timeoutMs: number; memoryMb: number } = FILE_LIMITS,
): Promise<ExtractedDraft> {
  draftTypeOrThrow(fileName);
  try {
    return await runIsolated<ExtractedDraft>(new URL(import.meta.url), 'extractFromBytes', [fileName, bytes], limits);
  } catch (err) {
    if (err instanceof IsolatedError && err.failure.name === 'DraftFileError' && err.failure.userMessage) {
      throw new DraftFileError(err.failure.reason as DraftFileProblem, err.failure.userMessage);
    }
    if (err instanceof IsolationLimitError) {
      throw err.limit === 'timeout' ? fileErrors.tooSlow(fileName, Math.ceil(limits.timeoutMs / 1000)) : fileErrors.tooComplex(fileName);
    }
    throw err;
  }
}

/** The worker's entry: the bytes arrive as a Uint8Array (structured clone). */
export function extractFromBytes(fileName: string, bytes: Uint8Array): Promise<ExtractedDraft> {
  return extractDraftFile(fileName, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
}

async function blocksOf(type: DraftFileType, fileName: string, bytes: Buffer): Promise<Block[]> {
  switch (type) {
    case 'docx': {
      if (isEncryptedOffice(bytes)) throw fileErrors.encrypted(fileName);
      if (isCompoundFile(bytes)) throw fileErrors.renamedDoc(fileName);
      if (!isZip(bytes)) throw fileErrors.corrupt(fileName);
      const zip = zipSummary(bytes);
      if (!zip) throw fileErrors.corrupt(fileName);
      if (
        zip === 'zip64' ||
        zip.entries > FILE_LIMITS.docxEntries ||
        zip.xmlBytes > FILE_LIMITS.docxXmlBytes ||
        zip.totalBytes > FILE_LIMITS.docxTotalBytes
      ) {
        throw fileErrors.tooComplex(fileName);
      }
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
        blocks = await pdfBlocks(bytes, FILE_LIMITS.pdfPages);
      } catch (err) {
        if (err instanceof PdfReadError && err.problem === 'too_many_pages') throw fileErrors.tooManyPages(fileName, err.pages ?? 0, FILE_LIMITS.pdfPages);
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
