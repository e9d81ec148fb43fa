import http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as lark from '@larksuiteoapi/node-sdk';
import { afterEach, describe, expect, it } from 'vitest';
import {
  buildSignedRequest,
  cardActionEvent,
  fileMessage,
  messageEvent,
  postMessage,
  textMessage,
  urlVerification,
} from '../../emulator/lark-events.js';

const silent = { error() {}, warn() {}, info() {}, debug() {}, trace() {} };
const base = { senderOpenId: 'ou_user1', chatId: 'oc_chat1', chatType: 'p2p' as const, appId: 'cli_0123456789abcdef', token: 'vt-1' };

/** A node http server running the SDK's own webhook adapter, to prove the bytes pass its checks. */
async function sdkWebhook(encryptKey: string | undefined) {
  const received: Record<string, unknown>[] = [];
  const dispatcher = new lark.EventDispatcher({ encryptKey: encryptKey ?? '', verificationToken: 'vt-1', logger: silent }).register({
    'im.message.receive_v1': async (data: unknown) => {
      received.push(data as Record<string, unknown>);
      return {};
    },
  });
  dispatcher.register<{ 'card.action.trigger': (data: unknown) => Promise<unknown> }>({
    'card.action.trigger': async (data: unknown) => {
      received.push(data as Record<string, unknown>);
      return { toast: { type: 'success', content: 'ok' } };
    },
  });
  const server = http.createServer(lark.adaptDefault('/webhook', dispatcher, { autoChallenge: true }));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook`;
  const post = async (req: { body: string; headers: Record<string, string> }) => {
    const res = await fetch(url, { method: 'POST', headers: req.headers, body: req.body });
    return { status: res.status, text: await res.text() };
  };
  return { received, post, close: () => new Promise<void>((r) => server.close(() => r())) };
}

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

describe('event builders', () => {
  it('builds a schema 2.0 im.message.receive_v1', () => {
    const e = messageEvent({ ...base, messageType: 'text', content: { text: 'hi' }, messageId: 'om_1', createTime: 1700000000000 });
    expect(e.schema).toBe('2.0');
    expect(e.header).toMatchObject({ event_type: 'im.message.receive_v1', create_time: '1700000000000', token: 'vt-1', app_id: base.appId });
    expect(e.event.sender).toMatchObject({ sender_type: 'user', sender_id: { open_id: 'ou_user1' } });
    expect(e.event.message).toMatchObject({ message_id: 'om_1', chat_id: 'oc_chat1', chat_type: 'p2p', message_type: 'text', content: '{"text":"hi"}' });
    expect(e.event.message.mentions).toBeUndefined();
  });

  it('has text, post and file helpers', () => {
    const t = textMessage({ ...base, chatType: 'group', text: '@_user_1 帮助', mentions: [{ openId: 'ou_bot', name: 'Bot' }] });
    expect(t.event.message.mentions).toEqual([
      { key: '@_user_1', id: { union_id: '', user_id: '', open_id: 'ou_bot' }, name: 'Bot', tenant_key: expect.any(String) },
    ]);
    const p = postMessage({ ...base, title: '标题', paragraphs: [[{ tag: 'text', text: '正文' }]] });
    expect(JSON.parse(p.event.message.content)).toEqual({ title: '标题', content: [[{ tag: 'text', text: '正文' }]] });
    const f = fileMessage({ ...base, fileKey: 'file_v3_1', fileName: '稿件.docx' });
    expect(f.event.message.message_type).toBe('file');
    expect(JSON.parse(f.event.message.content)).toEqual({ file_key: 'file_v3_1', file_name: '稿件.docx' });
  });

  it('builds a card.action.trigger with µs create_time', () => {
    const e = cardActionEvent({
      operatorOpenId: 'ou_user1',
      value: { action: 'approve' },
      formValue: { comment: 'ok' },
      openMessageId: 'om_card',
      openChatId: 'oc_chat1',
      token: 'vt-1',
      appId: base.appId,
      createTime: 1700000000000000,
    });
    expect(e.header).toMatchObject({ event_type: 'card.action.trigger', create_time: '1700000000000000', token: 'vt-1' });
    expect(e.event.token).toMatch(/^c-/);
    expect(e.event.action).toMatchObject({ value: { action: 'approve' }, tag: 'button', form_value: { comment: 'ok' } });
    expect(e.event.context).toEqual({ open_message_id: 'om_card', open_chat_id: 'oc_chat1' });
  });
});

describe('buildSignedRequest through the SDK webhook adapter', () => {
  it('encrypted and signed events pass the SDK checks', async () => {
    const hook = await sdkWebhook('ek-secret');
    cleanup = hook.close;
    const req = buildSignedRequest(textMessage({ ...base, text: '你好' }), { encryptKey: 'ek-secret', verificationToken: 'vt-1', timestamp: 1700000000, nonce: 'abc' });
    expect(Object.keys(JSON.parse(req.body))).toEqual(['encrypt']);
    expect(req.headers).toMatchObject({ 'X-Lark-Request-Timestamp': '1700000000', 'X-Lark-Request-Nonce': 'abc' });
    expect(req.headers['X-Lark-Signature']).toMatch(/^[0-9a-f]{64}$/);
    await hook.post(req);
    expect(hook.received).toHaveLength(1);
    expect(hook.received[0]).toMatchObject({ event_type: 'im.message.receive_v1', message: { content: '{"text":"你好"}' } });
  });

  it('a tampered signature is rejected by the SDK', async () => {
    const hook = await sdkWebhook('ek-secret');
    cleanup = hook.close;
    const req = buildSignedRequest(textMessage({ ...base, text: 'x' }), { encryptKey: 'ek-secret', verificationToken: 'vt-1' });
    req.headers['X-Lark-Signature'] = '0'.repeat(64);
    await hook.post(req);
    expect(hook.received).toHaveLength(0);
  });

  it('card callbacks go through card.action.trigger and get the handler reply', async () => {
    const hook = await sdkWebhook('ek-secret');
    cleanup = hook.close;
    const event = cardActionEvent({ operatorOpenId: 'ou_user1', value: { a: 1 }, openMessageId: 'om_1', openChatId: 'oc_1', token: 'vt-1', appId: base.appId });
    const res = await hook.post(buildSignedRequest(event, { encryptKey: 'ek-secret', verificationToken: 'vt-1' }));
    expect(JSON.parse(res.text)).toEqual({ toast: { type: 'success', content: 'ok' } });
    expect(hook.received[0]).toMatchObject({ action: { value: { a: 1 } }, token: event.event.token });
  });

  it('plain JSON without an Encrypt Key, token stamped when missing', async () => {
    const hook = await sdkWebhook(undefined);
    cleanup = hook.close;
    const event = textMessage({ ...base, token: '', text: 'x' });
    const req = buildSignedRequest(event, { verificationToken: 'vt-1' });
    expect(JSON.parse(req.body).header.token).toBe('vt-1');
    expect(req.headers['X-Lark-Signature']).toBeUndefined();
    await hook.post(req);
    expect(hook.received).toHaveLength(1);
  });

  it('the URL challenge is encrypted, unsigned and answered by autoChallenge', async () => {
    const hook = await sdkWebhook('ek-secret');
    cleanup = hook.close;
    const req = buildSignedRequest(urlVerification({ challenge: 'ch-1', token: 'vt-1' }), { encryptKey: 'ek-secret', verificationToken: 'vt-1' });
    expect(req.headers['X-Lark-Signature']).toBeUndefined();
    const res = await hook.post(req);
    expect(JSON.parse(res.text)).toEqual({ challenge: 'ch-1' });
  });
});
