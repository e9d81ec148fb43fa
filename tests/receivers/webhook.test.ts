import { afterEach, describe, expect, it, vi } from 'vitest';
import { anyone, command } from '../../bot/declare.js';
import { eq } from 'drizzle-orm';
import { urlVerification } from '../../emulator/lark-events.js';
import { encryptPayload } from '../../emulator/lark-crypto.js';
import { inboxEvents } from '../../db/schema/index.js';
import { allFeatures } from '../../commands/index.js';
import type { Feature } from '../../bot/handlers.js';
import { cardText, GROUP, Harness, P } from '../helpers/harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('webhook transport', () => {
  it('answers the plain challenge (no encrypt key) with the challenge', async () => {
    h = await Harness.start({ encrypt: false, org: null });
    const res = await h.post(urlVerification({ challenge: 'abc123', token: h.lark.verificationToken }));
    expect(res).toEqual({ status: 200, body: { challenge: 'abc123' } });
  });

  it('answers the encrypted challenge, on both paths', async () => {
    h = await Harness.start({ org: null });
    for (const path of ['/webhook/event', '/webhook/card']) {
      const res = await h.post(urlVerification({ challenge: 'c-' + path, token: h.lark.verificationToken }), { path });
      expect(res).toEqual({ status: 200, body: { challenge: 'c-' + path } });
    }
  });

  it('rejects a challenge with the wrong token', async () => {
    h = await Harness.start({ org: null });
    const res = await h.post(urlVerification({ challenge: 'x', token: 'wrong' }), { token: 'wrong' });
    expect(res.status).toBe(401);
  });

  it.each([
    ['a bad signature', { tamper: (r: { headers: Record<string, string> }) => (r.headers['X-Lark-Signature'] = '0'.repeat(64)) }],
    ['a stale timestamp', { timestampOffset: -10 * 60 }],
    ['a wrong verification token', { token: 'vt-wrong' }],
    ['a body changed after signing', { tamper: (r: { body: string }) => (r.body = r.body.replace(/"}$/, ' "}')) }],
    ['an unencrypted body when a key is set', { plain: true }],
  ])('refuses %s with 401, runs no handler and logs no body', async (_label, o: Record<string, any>) => {
    h = await Harness.start();
    const { textMessage } = await import('../../emulator/lark-events.js');
    const secret = '绝密稿件正文不应出现在日志里';
    const event = textMessage({
      senderOpenId: P.officer1,
      chatId: 'oc_p2p_x',
      chatType: 'p2p',
      text: '帮助 ' + secret,
      appId: h.lark.appId,
      token: o.token ?? h.lark.verificationToken,
    } as Parameters<typeof textMessage>[0]);
    let res;
    if (o.plain) {
      res = await fetch(h.url + '/webhook/event', { method: 'POST', body: JSON.stringify(event), headers: { 'content-type': 'application/json' } });
      res = { status: res.status };
    } else {
      res = await h.post(event, {
        token: o.token,
        tamper: o.tamper,
        timestamp: o.timestampOffset ? Math.floor(h.clock.ms() / 1000) + o.timestampOffset : undefined,
      });
    }
    expect(res.status).toBe(401);
    expect(await h.db.db.select().from(inboxEvents)).toHaveLength(0);
    await h.settle();
    expect(h.sentTo(P.officer1)).toHaveLength(0);
    const logged = JSON.stringify(h.logs);
    expect(logged).toContain('webhook request rejected');
    // A server whose clock is wrong rejects every request: the log says by how much.
    if (o.timestampOffset) expect(logged).toContain("stale timestamp: 600 s before this server's clock (a replay, or this server's clock is wrong)");
    expect(logged).not.toContain(secret);
    expect(logged).not.toContain(h.lark.encryptKey!);
  });

  it('answers help in a private chat with the help card, to the sender', async () => {
    h = await Harness.start();
    const res = await h.sendText(P.officer1, '帮助');
    expect(res).toMatchObject({ status: 200, body: {} });
    await h.settle();
    const [msg] = h.cardsTo(P.officer1);
    expect(msg).toBeDefined();
    expect(msg!.receiveIdType).toBe('open_id');
    expect(msg!.receiveId).toBe(P.officer1);
    expect(cardText(msg!.content)).toContain('使用帮助');
    const send = h.fake.calls.find((c) => c.method === 'POST' && c.path === '/open-apis/im/v1/messages');
    expect(send?.query.receive_id_type).toBe('open_id');
  });

  it.each(['help', '/help', '／help'])('understands %s as help', async (word) => {
    h = await Harness.start();
    await h.sendText(P.reviewer1, word);
    await h.settle();
    expect(cardText(h.lastCardTo(P.reviewer1).content)).toContain('使用帮助');
  });

  it('answers help in the group only when the bot is mentioned, as a reply', async () => {
    h = await Harness.start();
    await h.sendText(P.officer1, '帮助', { group: true, mentionBot: false });
    await h.settle();
    expect(h.fake.messages.filter((m) => !m.inbound)).toHaveLength(0);
    const { messageId } = await h.sendText(P.officer1, '帮助', { group: true });
    await h.settle();
    const reply = h.fake.messages.find((m) => !m.inbound && m.parentId === messageId);
    expect(reply?.chatId).toBe(GROUP);
    expect(cardText(reply!.content)).toContain('使用帮助');
  });

  it('handles a message delivered three times once', async () => {
    h = await Harness.start();
    const first = await h.sendText(P.officer1, '帮助');
    await h.post(first.event);
    await h.settle();
    await h.post(first.event);
    await h.settle();
    expect(h.cardsTo(P.officer1)).toHaveLength(1);
  });

  it('still drops the duplicate after a restart', async () => {
    h = await Harness.start();
    const first = await h.sendText(P.officer1, '帮助');
    await h.settle();
    const db = h.db;
    const before = h;
    await h.close({ keepDb: true });
    h = await Harness.start({ db, org: null, sameAppAs: before });
    const res = await h.post(first.event);
    expect(res.status).toBe(200);
    await h.settle();
    expect(h.cardsTo(P.officer1)).toHaveLength(0);
    expect(await db.db.select().from(inboxEvents).where(eq(inboxEvents.key, `msg:${first.messageId}`))).toHaveLength(1);
  });

  it('processes a message stored before a crash once the bot is back', async () => {
    h = await Harness.start();
    await h.sendText(P.officer1, '帮助'); // stored and acknowledged, not yet handled
    const db = h.db;
    await h.close({ keepDb: true });
    h = await Harness.start({ db, org: null });
    await h.settle();
    expect(h.cardsTo(P.officer1)).toHaveLength(1);
  });

  it('acknowledges within 3 s while a slow handler is still working', async () => {
    let finished = false;
    const slow: Feature = {
      name: 'slow',
      commands: [
        command({
          name: '慢',
          summary: 'test',
          allow: anyone,
          async run(ctx) {
            await new Promise((r) => setTimeout(r, 4000));
            finished = true;
            await ctx.reply('完成');
          },
        }),
      ],
    };
    h = await Harness.start({ features: [...allFeatures(), slow], backgroundWorkers: true });
    const started = Date.now();
    const res = await h.sendText(P.officer1, '慢');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({});
    expect(Date.now() - started).toBeLessThan(3000);
    expect(finished).toBe(false);
    // The worker finishes it in the background (about 4 s; longer on a busy machine).
    await vi.waitFor(() => expect(finished).toBe(true), { timeout: 20_000, interval: 100 });
  }, 40_000);

  it('ignores messages sent by apps', async () => {
    h = await Harness.start();
    const { textMessage } = await import('../../emulator/lark-events.js');
    const event = textMessage({
      senderOpenId: 'ou_bot',
      chatId: 'oc_p2p_x',
      chatType: 'p2p',
      text: '帮助',
      appId: h.lark.appId,
      token: h.lark.verificationToken,
    } as Parameters<typeof textMessage>[0]);
    expect((await h.post(event)).status).toBe(200);
    (event.event.sender as { sender_type: string }).sender_type = 'app';
    await h.post({ ...event, header: { ...event.header, event_id: 'other' }, event: { ...event.event, message: { ...event.event.message, message_id: 'om_other' } } });
    await h.settle();
    expect(await h.db.db.select().from(inboxEvents)).toHaveLength(0);
  });

  it('reports database health', async () => {
    h = await Harness.start({ org: null });
    const res = await fetch(h.url + '/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, database: 'up' });
  });

  it('encrypts exactly like Lark: a body encrypted with another key is refused', async () => {
    h = await Harness.start({ org: null });
    const body = JSON.stringify({ encrypt: encryptPayload(JSON.stringify(urlVerification({ challenge: 'x', token: h.lark.verificationToken })), 'other-key') });
    const res = await fetch(h.url + '/webhook/event', { method: 'POST', body, headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(401);
  });
});
