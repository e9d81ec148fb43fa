import mammoth from 'mammoth';
import { htmlToBlocks } from './html-blocks.js';
import type { Block } from './types.js';

/**
 * Word's built-in heading styles are matched by mammoth already; Chinese templates (and WPS) often
 * use the localized names or the Title style for the headline, so those count as headings too.
 */
const STYLE_MAP = [
  "p[style-name='Title'] => h1:fresh",
  "p[style-name='标题'] => h1:fresh",
  "p[style-name='Subtitle'] => h2:fresh",
  "p[style-name='副标题'] => h2:fresh",
  ...[1, 2, 3, 4, 5, 6].map((n) => `p[style-name='标题 ${n}'] => h${n}:fresh`),
];

/** Images are not text: skip decoding them instead of inlining megabytes of base64. */
const NO_IMAGES = mammoth.images.imgElement(async () => ({ src: '' }));

export class DocxReadError extends Error {}

export async function docxBlocks(bytes: Buffer): Promise<Block[]> {
  let html: string;
  try {
    const result = await mammoth.convertToHtml({ buffer: bytes }, { styleMap: STYLE_MAP, convertImage: NO_IMAGES });
    html = result.value;
  } catch (err) {
    // mammoth fails on anything that is not a well-formed OOXML package (truncated, not a zip, …).
    throw new DocxReadError((err as Error)?.message ?? String(err));
  }
  return htmlToBlocks(html);
}
