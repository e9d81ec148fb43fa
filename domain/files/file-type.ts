import type { DraftFileType } from './types.js';

/** What a file name says the file is; legacy Word formats are told apart to ask for a re-save. */
export type FileTypeVerdict = { kind: 'draft'; type: DraftFileType } | { kind: 'legacy'; ext: 'doc' | 'wps' } | { kind: 'unsupported' };

export function fileTypeOf(fileName: string): FileTypeVerdict {
  const ext = extensionOf(fileName);
  switch (ext) {
    case 'docx':
      return { kind: 'draft', type: 'docx' };
    case 'pdf':
      return { kind: 'draft', type: 'pdf' };
    case 'txt':
    case 'text':
      return { kind: 'draft', type: 'txt' };
    case 'md':
    case 'markdown':
      return { kind: 'draft', type: 'md' };
    case 'doc':
    case 'wps':
      return { kind: 'legacy', ext };
    default:
      return { kind: 'unsupported' };
  }
}

export function extensionOf(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  return dot >= 0 ? fileName.slice(dot + 1).trim().toLowerCase() : '';
}

/** The name without its extension, for a title of last resort. */
export function stemOf(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  return (dot > 0 ? fileName.slice(0, dot) : fileName).trim();
}

export const CONTENT_TYPES: Record<DraftFileType, string> = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  pdf: 'application/pdf',
  txt: 'text/plain; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
};

/** ZIP local-file header: every .docx starts with it. */
export function isZip(bytes: Buffer): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/**
 * OLE compound file (D0 CF 11 E0): a legacy .doc/.wps, or an Office document encrypted with a
 * password (the encrypted package is wrapped in the same container).
 */
export function isCompoundFile(bytes: Buffer): boolean {
  const magic = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
  return bytes.length >= 8 && magic.every((b, i) => bytes[i] === b);
}

/** Password-protected Office files carry an `EncryptedPackage` stream (its name is UTF-16LE). */
export function isEncryptedOffice(bytes: Buffer): boolean {
  return isCompoundFile(bytes) && bytes.includes(Buffer.from('EncryptedPackage', 'utf16le'));
}

export function isPdf(bytes: Buffer): boolean {
  // The header may follow a little junk; PDF readers look in the first 1 KB.
  return bytes.subarray(0, 1024).includes(Buffer.from('%PDF-'));
}
