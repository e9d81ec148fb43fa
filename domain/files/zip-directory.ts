/**
 * What a zip archive claims to hold, read from its central directory without inflating anything:
 * a .docx (a zip of XML parts) is checked before a parser expands it, so a "zip bomb" of a few
 * hundred kilobytes that inflates to gigabytes is refused at no cost.
 */
export type ZipSummary = { entries: number; totalBytes: number; xmlBytes: number };

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const EOCD_MIN = 22;
const MAX_COMMENT = 0xffff;

/** Media and embedded objects are stored, not parsed as XML (the extraction skips images). */
const BINARY_PART = /^word\/(media|embeddings)\//;

/** Undefined when the bytes have no readable central directory (the parser will call it corrupt). */
export function zipSummary(bytes: Buffer): ZipSummary | 'zip64' | undefined {
  const eocd = findEocd(bytes);
  if (eocd < 0) return undefined;
  const count = bytes.readUInt16LE(eocd + 10);
  const size = bytes.readUInt32LE(eocd + 12);
  const offset = bytes.readUInt32LE(eocd + 16);
  // ZIP64 markers: more than 65535 entries or 4 GB, nothing a draft needs.
  if (count === 0xffff || size === 0xffffffff || offset === 0xffffffff) return 'zip64';
  if (offset + size > bytes.length) return undefined;
  let p = offset;
  let totalBytes = 0;
  let xmlBytes = 0;
  for (let i = 0; i < count; i++) {
    if (p + 46 > bytes.length || bytes.readUInt32LE(p) !== CENTRAL) return undefined;
    const uncompressed = bytes.readUInt32LE(p + 24);
    const nameLength = bytes.readUInt16LE(p + 28);
    const extraLength = bytes.readUInt16LE(p + 30);
    const commentLength = bytes.readUInt16LE(p + 32);
    if (uncompressed === 0xffffffff) return 'zip64';
    const name = bytes.toString('utf8', p + 46, p + 46 + nameLength);
    totalBytes += uncompressed;
    if (!BINARY_PART.test(name)) xmlBytes += uncompressed;
    p += 46 + nameLength + extraLength + commentLength;
  }
  return { entries: count, totalBytes, xmlBytes };
}

function findEocd(bytes: Buffer): number {
  const stop = Math.max(0, bytes.length - EOCD_MIN - MAX_COMMENT);
  for (let i = bytes.length - EOCD_MIN; i >= stop; i--) {
    if (bytes.readUInt32LE(i) === EOCD) return i;
  }
  return -1;
}
