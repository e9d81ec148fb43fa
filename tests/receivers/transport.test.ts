import { connect } from 'node:net';
import Router from '@koa/router';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createServer } from '../../bot/server.js';
import type { Db } from '../../db/client.js';
import { inboxEvents } from '../../db/schema/index.js';
import { Harness, P } from '../helpers/harness.js';
import { textMessage } from '../../emulator/lark-events.js';

let h: Harness | undefined;
let closeServer: (() => Promise<void>) | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
  await closeServer?.();
  closeServer = undefined;
});

/** Writes raw bytes to the server and collects what comes back until it closes (or `ms`). */
function rawExchange(url: string, write: (send: (s: string | Buffer) => boolean) => void, ms = 5000): Promise<{ response: string; closed: boolean }> {
  const { port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), '127.0.0.1');
    let response = '';
    let closed = false;
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ response, closed });
    }, ms);
    socket.on('data', (d) => (response += d.toString()));
    socket.on('error', () => {});
    socket.on('close', () => {
      closed = true;
      clearTimeout(timer);
      resolve({ response, closed });
    });
    socket.on('connect', () => write((s) => socket.write(s)));
  });
}

async function storedEvents(h: Harness) {
  return h.db.db.select().from(inboxEvents);
}

describe('webhook transport limits', { timeout: 120_000 }, () => {
  it('refuses a declared Content-Length over the limit with 413 before reading the body, and closes the connection', async () => {
    h = await Harness.start({ org: null });
    const { response, closed } = await rawExchange(h.url, (send) => {
      // Headers only: the 5 MB body is never sent, so an answer proves nothing was waited for.
      send('POST /webhook/event HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5000000\r\n\r\n{"a":');
    });
    expect(response).toMatch(/^HTTP\/1\.1 413/);
    expect(response.toLowerCase()).toContain('connection: close');
    expect(closed).toBe(true);
  });

  it('answers 413 (not a reset) to a chunked body that grows past the limit', async () => {
    h = await Harness.start({ org: null });
    const chunk = Buffer.alloc(256 * 1024, 'a');
    const { response } = await rawExchange(h.url, (send) => {
      send('POST /webhook/event HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n');
      for (let i = 0; i < 6; i++) send(`${chunk.length.toString(16)}\r\n`) && send(chunk) && send('\r\n');
      send('0\r\n\r\n');
    });
    expect(response).toMatch(/^HTTP\/1\.1 413/);
    expect(await storedEvents(h)).toEqual([]);
  });

  it('refuses a body that is not JSON by content type (415) and malformed or forged bodies (4xx), storing nothing', async () => {
    h = await Harness.start({ org: null });
    const plain = await fetch(h.url + '/webhook/event', { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: '{"x":1}' });
    expect(plain.status).toBe(415);
    const broken = await fetch(h.url + '/webhook/event', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"encrypt":' });
    expect(broken.status).toBeGreaterThanOrEqual(400);
    expect(broken.status).toBeLessThan(500);
    const forged = await h.sendText(P.officer1, '你好', {});
    expect(forged.status).toBe(200); // the genuine one, for contrast
    // A genuine event whose body was changed after Lark signed it.
    const event = textMessage({ ...h.envelope(P.officer1, 'om_tampered'), text: '改过的内容' });
    const tampered = await h.post(event, { tamper: (r) => (r.body = r.body.replace(/.$/, ' }')) });
    expect(tampered.status).toBe(401);
    expect((await storedEvents(h)).map((e) => e.key)).toEqual([`msg:${forged.messageId}`]);
  });

  it('logs the peer address, not a client-chosen X-Forwarded-For, unless TRUST_PROXY is set', async () => {
    for (const [env, expected] of [[{}, /127\.0\.0\.1/], [{ TRUST_PROXY: 'true' }, /^6\.6\.6\.6$/]] as const) {
      h = await Harness.start({ org: null, env });
      await fetch(h.url + '/webhook/event', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': '6.6.6.6' }, body: '{}' });
      const rejected = h.logLines(40).find((l) => l.msg === 'webhook request rejected');
      expect(String(rejected?.ip)).toMatch(expected);
      await h.close();
      h = undefined;
    }
  });
});

describe('server behaviour when stopping or when the database is away', () => {
  async function serve(db: Db, o: { stopping?: () => boolean; route?: Router } = {}) {
    const koa = createServer({ db, log: pino({ level: 'silent' }), routers: o.route ? [o.route] : [], isStopping: o.stopping ?? (() => false) });
    const server = koa.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    closeServer = () => new Promise((r) => server.close(() => r()));
    return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  }

  it('/healthz answers 503 within 2 s when the database does not answer at all', async () => {
    const hanging = { execute: () => new Promise(() => {}) } as unknown as Db;
    const url = await serve(hanging);
    const started = Date.now();
    const res = await fetch(url + '/healthz');
    const took = Date.now() - started;
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ ok: false, database: 'not answering' });
    expect(took).toBeGreaterThanOrEqual(1900);
    expect(took).toBeLessThan(2900);
  });

  it('answers 503 (Lark re-delivers) when the database refuses connections, and 503 to everything while stopping', async () => {
    const route = new Router();
    route.post('/webhook/event', () => {
      throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    });
    let stopping = false;
    const up = { execute: async () => [] } as unknown as Db;
    const url = await serve(up, { route, stopping: () => stopping });
    const down = await fetch(url + '/webhook/event', { method: 'POST', body: '{}' });
    expect(down.status).toBe(503);
    expect(await down.json()).toEqual({ code: 503, msg: 'database unavailable' });
    expect((await fetch(url + '/healthz')).status).toBe(200);
    stopping = true;
    const health = await fetch(url + '/healthz');
    expect(health.status).toBe(503);
    expect(health.headers.get('connection')).toBe('close');
    expect((await fetch(url + '/webhook/event', { method: 'POST', body: '{}' })).status).toBe(503);
  });
});
