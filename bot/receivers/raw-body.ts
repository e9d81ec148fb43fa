import type { Context } from 'koa';

/**
 * The request body as the bytes that arrived, or undefined past `max`: Lark's signature is over these
 * bytes, not over a re-serialized body, and a size cap keeps a bad client from filling memory.
 */
export async function readRaw(ctx: Context, max: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req) {
    size += (chunk as Buffer).length;
    if (size > max) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
