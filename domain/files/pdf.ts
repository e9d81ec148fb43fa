import { getDocumentProxy } from 'unpdf';
import { layoutBlocks, type PdfItem } from './pdf-layout.js';
import type { Block } from './types.js';

export type PdfProblem = 'encrypted' | 'corrupt' | 'too_many_pages';

export class PdfReadError extends Error {
  constructor(
    readonly problem: PdfProblem,
    message: string,
    readonly pages?: number,
  ) {
    super(message);
    this.name = 'PdfReadError';
  }
}

/**
 * Text blocks of a PDF, through PDF.js (bundled by unpdf: no worker, no canvas, works offline).
 * An empty result means the PDF has no text layer: a scan or pictures of pages.
 */
export async function pdfBlocks(bytes: Buffer, maxPages: number): Promise<Block[]> {
  let doc: Awaited<ReturnType<typeof getDocumentProxy>>;
  try {
    // PDF.js takes ownership of (and detaches) the array it is given: pass a copy.
    doc = await getDocumentProxy(new Uint8Array(bytes), { isEvalSupported: false, stopAtErrors: false });
  } catch (err) {
    const name = (err as { name?: string })?.name;
    if (name === 'PasswordException') throw new PdfReadError('encrypted', 'password required');
    throw new PdfReadError('corrupt', (err as Error)?.message ?? String(err));
  }
  if (doc.numPages > maxPages) {
    // Counted from the page tree before any page is read: thousands of pages take minutes.
    await doc.destroy();
    throw new PdfReadError('too_many_pages', `${doc.numPages} pages`, doc.numPages);
  }
  try {
    const pages: PdfItem[][] = [];
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      const content = await page.getTextContent();
      pages.push(
        content.items.flatMap((it) => {
          if (!('str' in it)) return [];
          const [a = 0, b = 0, c = 0, d = 0, x = 0, y = 0] = it.transform as number[];
          // Font size from the text matrix; for rotated text the vertical scale still gives it.
          const size = Math.hypot(c, d) || Math.hypot(a, b) || it.height;
          return [{ str: it.str, x, y, width: it.width, size, hasEOL: it.hasEOL }];
        }),
      );
      page.cleanup();
    }
    return layoutBlocks(pages);
  } catch (err) {
    throw new PdfReadError('corrupt', (err as Error)?.message ?? String(err));
  } finally {
    await doc.destroy();
  }
}
