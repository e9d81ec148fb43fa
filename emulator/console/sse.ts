import type { ServerResponse } from 'node:http';
import type { Context } from 'koa';

/**
 * Server-sent events to the browsers watching the console. The response is written directly (koa
 * would report every closed tab as a stream error), and tracked so a shutdown can end it: an open
 * response would otherwise keep the HTTP server from closing.
 */
export class EventStreams {
  private readonly open = new Set<ServerResponse>();

  attach(ctx: Context): void {
    ctx.respond = false;
    const res = ctx.res;
    ctx.req.socket.setTimeout(0);
    ctx.req.socket.setNoDelay(true);
    res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache', Connection: 'keep-alive' });
    res.write('retry: 1000\n\n');
    this.open.add(res);
    // Proxies and browsers drop silent connections; a comment line every 20 s keeps it alive.
    const ping = setInterval(() => res.write(': ping\n\n'), 20_000);
    ping.unref();
    res.on('close', () => {
      clearInterval(ping);
      this.open.delete(res);
    });
  }

  send(event: string, data: unknown): void {
    const frame = `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
    for (const res of this.open) res.write(frame);
  }

  closeAll(): void {
    for (const res of this.open) res.end();
    this.open.clear();
  }
}
