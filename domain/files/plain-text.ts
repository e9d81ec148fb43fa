import type { Block } from './types.js';

/**
 * Text files from Chinese Windows machines are often GBK (Notepad before 2019, WPS exports), others
 * UTF-8 or UTF-16 with a BOM. Strict UTF-8 first; if that fails the bytes are GB18030 (a superset
 * of GBK and GB2312).
 */
export function decodeText(bytes: Buffer): string {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}

/** Binary junk renamed to .txt decodes to control characters and replacement marks. */
export function looksBinary(text: string): boolean {
  if (text.includes('\u0000')) return true;
  const sample = text.slice(0, 4000);
  if (!sample) return false;
  const bad = sample.match(/[\u0001-\u0008\u000e-\u001f\ufffd]/g)?.length ?? 0;
  return bad / sample.length > 0.05;
}

/** One block per non-empty line: officers write one paragraph a line. */
export function textBlocks(text: string): Block[] {
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((l) => l.replace(/[\u3000 \t]+$/g, '').replace(/^[ \t]+/, '').replace(/^\u3000+/, '').trim())
    .filter((l) => l.length > 0)
    .map((text) => ({ kind: 'paragraph' as const, text }));
}
