/** Parsers that misbehave, for the isolation tests: run through runIsolated like extractFromBytes. */

export function hang(): Promise<never> {
  for (;;) {
    // A parser stuck in a loop never yields to its event loop.
  }
}

export function hog(): number[][] {
  const kept: number[][] = [];
  for (;;) kept.push(Array.from({ length: 100_000 }, (_, i) => i));
}

export function echo(fileName: string, bytes: Uint8Array): { fileName: string; length: number } {
  return { fileName, length: bytes.length };
}
