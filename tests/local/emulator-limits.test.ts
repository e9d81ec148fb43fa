import * as lark from '@larksuiteoapi/node-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack, type LocalStack } from './helpers/local-stack.js';

const OFFICER = 'ou_demo_off_liu';

/** The SDK answers HTTP 400 with a thrown axios error; Lark's body is on its response. */
async function larkCall(fn: () => Promise<unknown>): Promise<{ code: number; msg: string; data?: Record<string, unknown> }> {
  try {
    return (await fn()) as { code: number; msg: string };
  } catch (err) {
    const body = (err as { response?: { data?: { code: number; msg: string } } }).response?.data;
    if (!body) throw err;
    return body;
  }
}

const card = (text: string) => ({ schema: '2.0', config: { update_multi: true }, body: { elements: [{ tag: 'markdown', content: text }] } });

describe('the local emulator, through its HTTP API with the real SDK client', { timeout: 60_000 }, () => {
  let s: LocalStack;
  let client: lark.Client;
  beforeAll(async () => {
    s = await startLocalStack();
    client = new lark.Client({
      appId: s.local.lark.appId,
      appSecret: s.local.lark.appSecret,
      domain: s.local.lark.baseUrl,
      // Our own cache: the SDK's default one is process-wide per app id, and local mode's app id is fixed.
      cache: new Map() as unknown as lark.Cache,
      logger: { error() {}, warn() {}, info() {}, debug() {}, trace() {} },
    });
  });
  afterAll(() => s.stop());

  const send = (content: unknown) =>
    larkCall(() =>
      client.im.message.create({
        params: { receive_id_type: 'open_id' },
        data: { receive_id: OFFICER, msg_type: 'interactive', content: JSON.stringify(content) },
      }),
    );

  it('takes a valid card and shows it in the console', async () => {
    const res = await send(card('**你好**'));
    expect(res.code).toBe(0);
    const id = String(res.data?.message_id);
    expect(s.local.transcript.get(id)).toMatchObject({ msgType: 'interactive', p2pUser: OFFICER, from: 'bot' });
  });

  it('rejects a card over 30 KB with 230025, on send and on PATCH, and shows neither', async () => {
    const big = card('字'.repeat(11_000)); // 3 bytes each: about 33 KB
    expect(Buffer.byteLength(JSON.stringify(big))).toBeGreaterThan(30 * 1024);
    const sent = await send(big);
    expect(sent.code).toBe(230025);
    expect(s.local.transcript.entries().filter((e) => JSON.stringify(e.content).includes('字'.repeat(100)))).toEqual([]);

    const ok = await send(card('原卡片'));
    const id = String(ok.data?.message_id);
    const patched = await larkCall(() => client.im.message.patch({ path: { message_id: id }, data: { content: JSON.stringify(big) } }));
    expect(patched.code).toBe(230025);
    expect(s.local.transcript.get(id)?.content).toEqual(card('原卡片'));
  });

  it('rejects a PUT on a card as Lark does (230001, cards change only by PATCH)', async () => {
    const ok = await send(card('原卡片'));
    const id = String(ok.data?.message_id);
    const put = await larkCall(() =>
      client.im.message.update({ path: { message_id: id }, data: { msg_type: 'interactive', content: JSON.stringify(card('新卡片')) } }),
    );
    expect(put.code).toBe(230001);
    expect(put.msg).toContain('invalid msg_type');
    expect(s.local.transcript.get(id)?.content).toEqual(card('原卡片'));

    const patch = await larkCall(() => client.im.message.patch({ path: { message_id: id }, data: { content: JSON.stringify(card('新卡片')) } }));
    expect(patch.code).toBe(0);
    expect(s.local.transcript.get(id)?.content).toEqual(card('新卡片'));
  });
});
