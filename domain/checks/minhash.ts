/**
 * Near-duplicate detection for Chinese text without word segmentation: a text is the set of its
 * overlapping 4-character shingles (punctuation and spaces removed), two texts are compared by the
 * Jaccard similarity of those sets, and a MinHash signature cut into LSH bands finds the few
 * earlier texts worth comparing exactly. With 40 bands of 3 hashes, a pair at similarity 0.5 is a
 * candidate with probability 0.995, at 0.33 (a passage copied into a text three times its size)
 * with 0.77, at 0.1 (two texts on one theme, sharing stock phrases) with 0.04.
 */
export const SHINGLE_CHARS = 4;
export const BANDS = 40;
export const ROWS_PER_BAND = 3;
export const NUM_HASHES = BANDS * ROWS_PER_BAND;
/** Fewer shingles than this (about 30 characters of text) is too little to call a duplicate. */
export const MIN_SHINGLES = 30;

/** Keeps letters, digits and Han characters; everything else (spaces, punctuation) goes. */
export function normalizeForShingles(text: string): string[] {
  return Array.from(text.toLowerCase()).filter((c) => /[\p{L}\p{N}]/u.test(c));
}

export function shingleSet(text: string): Set<number> {
  return shinglesOfChars(normalizeForShingles(text));
}

export function shinglesOfChars(chars: string[]): Set<number> {
  const set = new Set<number>();
  for (let i = 0; i + SHINGLE_CHARS <= chars.length; i++) {
    let h = 0x811c9dc5; // FNV-1a over the code points of the shingle
    for (let j = i; j < i + SHINGLE_CHARS; j++) {
      h ^= chars[j]!.codePointAt(0)!;
      h = Math.imul(h, 0x01000193);
    }
    set.add(h >>> 0);
  }
  return set;
}

/** MurmurHash3's finalizer: a bijective 32-bit mix, so each seed acts as a random permutation. */
function fmix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

const SEEDS: number[] = Array.from({ length: NUM_HASHES }, (_, i) => fmix32((i + 1) * 0x9e3779b9));

export function minhash(shingles: Set<number>): Uint32Array {
  const sig = new Uint32Array(NUM_HASHES).fill(0xffffffff);
  for (const s of shingles) {
    for (let i = 0; i < NUM_HASHES; i++) {
      const h = fmix32(s ^ SEEDS[i]!);
      if (h < sig[i]!) sig[i] = h;
    }
  }
  return sig;
}

/**
 * One key per band: a 52-bit hash of the band number and its rows, so it fits a JavaScript number
 * and a PostgreSQL bigint exactly.
 */
export function bandKeys(sig: Uint32Array): number[] {
  const keys: number[] = [];
  for (let b = 0; b < BANDS; b++) {
    let hi = fmix32(b + 0x51ed270b);
    let lo = fmix32(b ^ 0x2545f491);
    for (let r = 0; r < ROWS_PER_BAND; r++) {
      const v = sig[b * ROWS_PER_BAND + r]!;
      hi = fmix32(hi ^ v);
      lo = fmix32(Math.imul(lo, 31) ^ v ^ 0x68e31da4);
    }
    keys.push((hi & 0xfffff) * 0x100000000 + lo);
  }
  return keys;
}

export function jaccard(a: Set<number>, b: Set<number>): { jaccard: number; containsA: number; containsB: number } {
  if (a.size === 0 || b.size === 0) return { jaccard: 0, containsA: 0, containsB: 0 };
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let common = 0;
  for (const s of small) if (large.has(s)) common++;
  return {
    jaccard: common / (a.size + b.size - common),
    /** Share of A found in B: A copied from B when close to 1. */
    containsA: common / a.size,
    containsB: common / b.size,
  };
}
