/**
 * Minimal multipart/form-data parser for the file upload endpoint. The SDK
 * (axios + form-data) sends small bodies, so buffering the whole request is fine.
 */

export interface MultipartPart {
  name: string;
  filename?: string;
  contentType?: string;
  data: Buffer;
}

/** Extract the boundary from a Content-Type header, or undefined. */
export function multipartBoundary(contentType: string | undefined): string | undefined {
  if (!contentType || !/^multipart\/form-data/i.test(contentType)) return undefined;
  const match = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  return match?.[1] ?? match?.[2]?.trim();
}

export function parseMultipart(body: Buffer, boundary: string): MultipartPart[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: MultipartPart[] = [];
  let start = body.indexOf(delimiter);
  while (start !== -1) {
    const afterDelimiter = start + delimiter.length;
    // "--" right after a delimiter closes the body.
    if (body.subarray(afterDelimiter, afterDelimiter + 2).toString() === '--') break;
    const next = body.indexOf(delimiter, afterDelimiter);
    if (next === -1) break;
    const part = body.subarray(afterDelimiter + 2, next - 2); // skip CRLF after delimiter and before next
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd !== -1) {
      const parsed = parseHeaders(part.subarray(0, headerEnd).toString('utf8'));
      if (parsed.name !== undefined) parts.push({ ...parsed, name: parsed.name, data: part.subarray(headerEnd + 4) });
    }
    start = next;
  }
  return parts;
}

function parseHeaders(text: string): { name?: string; filename?: string; contentType?: string } {
  const out: { name?: string; filename?: string; contentType?: string } = {};
  for (const line of text.split('\r\n')) {
    const [rawKey, ...rest] = line.split(':');
    const key = rawKey?.trim().toLowerCase();
    const value = rest.join(':').trim();
    if (key === 'content-disposition') {
      const name = /\bname="([^"]*)"/i.exec(value);
      const filename = /\bfilename="([^"]*)"/i.exec(value);
      if (name?.[1] !== undefined) out.name = name[1];
      if (filename?.[1] !== undefined) out.filename = filename[1];
    } else if (key === 'content-type') {
      out.contentType = value;
    }
  }
  return out;
}
