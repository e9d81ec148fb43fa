import type { Context } from 'koa';

/**
 * The request body as the bytes that arrived, or undefined past `max`: Lark's signature is over these
 * bytes, not over a re-serialized body, and a size cap keeps a bad client from filling memory.
 *
 * A declared Content-Length over the cap is refused before a byte is read. A body that turns out
 * too long is not kept: the rest is read and dropped, so the 413 reaches the client instead of a
 * reset connection. Either way the answer carries `Connection: close`, so no leftover bytes can be
 * taken for the next request of a keep-alive connection.
 */
export async function readRaw(ctx: Context, max: number): Promise<Buffer | undefined> {
  const declared = Number(ctx.get('content-length') || NaN);
  if (Number.isFinite(declared) && declared > max) {
    ctx.set('Connection', 'close');
    return undefined;
  }
  const req = ctx.req;
  return new Promise<Buffer | undefined>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (result: Buffer | undefined) => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= max) {
        chunks.push(chunk);
        return;
      }
      ctx.set('Connection', 'close');
      chunks.length = 0;
      done(undefined);
      req.resume(); // read on and drop the rest
    };
    const onEnd = () => done(Buffer.concat(chunks));
    const onError = (err: Error) => {
      req.off('data', onData);
      req.off('end', onEnd);
      reject(err);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}
