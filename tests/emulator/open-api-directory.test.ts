import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { fileMessage, textMessage } from '../../emulator/lark-events.js';
import { rejection, setup, simpleCard, type Setup } from './sdk-helpers.js';

let s: Setup;
afterEach(async () => {
  await s?.fake.close();
});

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Error bodies of streamed downloads arrive as a stream too. */
async function streamRejection(call: Promise<unknown>) {
  try {
    await call;
  } catch (err) {
    const res = (err as { response: { status: number; data: Readable } }).response;
    return { status: res.status, body: JSON.parse((await readAll(res.data)).toString('utf8')) as { code: number } };
  }
  throw new Error('expected the call to fail');
}

describe('files', () => {
  it('serves a message resource with content type and disposition', async () => {
    s = await setup();
    const event = fileMessage({ senderOpenId: 'ou_user1', chatId: 'oc_p2p_1', chatType: 'p2p', fileKey: 'file_v3_k1', fileName: '稿件.docx', appId: s.appId, token: 'vt' });
    s.fake.registerEvent(event);
    const messageId = event.event.message.message_id;
    s.fake.addMessageResource(messageId, 'file_v3_k1', Buffer.from('DOCX BYTES'), '稿件.docx');
    const res = await s.client.im.v1.messageResource.get({ path: { message_id: messageId, file_key: 'file_v3_k1' }, params: { type: 'file' } });
    expect((await readAll(res.getReadableStream())).toString()).toBe('DOCX BYTES');
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(res.headers['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent('稿件.docx')}`);
  });

  it('accepts the object form of addMessageResource and reports 234003 / 234001', async () => {
    s = await setup();
    s.fake.addMessageResource({ messageId: 'om_1', fileKey: 'img_1', bytes: 'PNG', fileName: 'a.png', type: 'image' });
    const get = (fileKey: string, type: 'file' | 'image') =>
      s.client.im.v1.messageResource.get({ path: { message_id: 'om_1', file_key: fileKey }, params: { type } });
    expect((await readAll((await get('img_1', 'image')).getReadableStream())).toString()).toBe('PNG');
    expect(await streamRejection(get('other', 'file'))).toMatchObject({ status: 400, body: { code: 234003 } });
    expect(await streamRejection(get('img_1', 'file'))).toMatchObject({ status: 400, body: { code: 234001 } });
  });

  it('refuses resources of cards (234043)', async () => {
    s = await setup();
    const sent = await s.client.im.v1.message.create({
      params: { receive_id_type: 'open_id' },
      data: { receive_id: 'ou_u', msg_type: 'interactive', content: JSON.stringify(simpleCard()) },
    });
    const id = sent.data?.message_id ?? '';
    s.fake.addMessageResource(id, 'k', 'x', 'x.txt');
    const r = await streamRejection(s.client.im.v1.messageResource.get({ path: { message_id: id, file_key: 'k' }, params: { type: 'file' } }));
    expect(r.body.code).toBe(234043);
  });

  it('uploads a file, keeps its bytes, and lets the bot send it', async () => {
    s = await setup();
    const res = await s.client.im.v1.file.create({ data: { file_type: 'stream', file_name: '汇总.xlsx', file: Buffer.from('XLSX') } });
    expect(res?.file_key).toMatch(/^file_v3_/);
    expect(s.fake.uploadedFiles[0]).toMatchObject({ fileKey: res?.file_key, fileType: 'stream', fileName: '汇总.xlsx' });
    expect(s.fake.uploadedFiles[0]?.bytes.toString()).toBe('XLSX');
    const sent = await s.client.im.v1.message.create({
      params: { receive_id_type: 'open_id' },
      data: { receive_id: 'ou_u', msg_type: 'file', content: JSON.stringify({ file_key: res?.file_key }) },
    });
    expect(sent.code).toBe(0);
  });

  it('refuses empty uploads (234010) and bad file types (234001)', async () => {
    s = await setup();
    expect((await rejection(s.client.im.v1.file.create({ data: { file_type: 'stream', file_name: 'e.txt', file: Buffer.alloc(0) } }))).body.code).toBe(234010);
    expect((await rejection(s.client.im.v1.file.create({ data: { file_type: 'docx' as 'doc', file_name: 'e.docx', file: Buffer.from('x') } }))).body.code).toBe(234001);
  });
});

describe('contacts, chats, documents', () => {
  it('gets users one by one and in batch', async () => {
    s = await setup();
    s.fake.addUser({ openId: 'ou_a', name: '王研究', unionId: 'on_a' }).addUser({ openId: 'ou_b', name: '李部长' });
    const one = await s.client.contact.v3.user.get({ path: { user_id: 'ou_a' }, params: { user_id_type: 'open_id' } });
    expect(one.data?.user).toMatchObject({ open_id: 'ou_a', name: '王研究', union_id: 'on_a' });
    const byUnion = await s.client.contact.v3.user.get({ path: { user_id: 'on_a' }, params: { user_id_type: 'union_id' } });
    expect(byUnion.data?.user?.name).toBe('王研究');
    const batch = await s.client.contact.v3.user.batch({ params: { user_ids: ['ou_a', 'ou_b', 'ou_zz'], user_id_type: 'open_id' } });
    expect(batch.data?.items?.map((u) => u.name)).toEqual(['王研究', '李部长']);
    expect((await rejection(s.client.contact.v3.user.get({ path: { user_id: 'ou_zz' }, params: { user_id_type: 'open_id' } }))).body.code).toBe(41050);
  });

  it('pages chat members', async () => {
    s = await setup();
    const members = Array.from({ length: 25 }, (_, i) => `ou_m${i}`);
    members.forEach((id, i) => s.fake.addUser({ openId: id, name: `成员${i}` }));
    s.fake.addChat({ chatId: 'oc_team', chatType: 'group', members: [...members, 'ou_bot'] });
    const seen: string[] = [];
    let pageToken: string | undefined;
    do {
      const page = await s.client.im.v1.chatMembers.get({ path: { chat_id: 'oc_team' }, params: { member_id_type: 'open_id', page_size: 10, ...(pageToken ? { page_token: pageToken } : {}) } });
      expect(page.data?.member_total).toBe(25);
      seen.push(...(page.data?.items ?? []).map((m) => m.member_id ?? ''));
      pageToken = page.data?.has_more ? page.data.page_token : undefined;
    } while (pageToken);
    expect(seen).toEqual(members);
    expect((await rejection(s.client.im.v1.chatMembers.get({ path: { chat_id: 'oc_nope' } }))).body.code).toBe(232006);
  });

  it('reads docx raw content and wiki nodes, with their permission errors', async () => {
    s = await setup();
    const docId = 'doxcnAbCdEfGhIjKlMnOpQrStUv';
    s.fake.addDocument({ documentId: docId, content: '组工信息正文\n' });
    s.fake.addDocument({ documentId: 'doxcnSecretSecretSecret1234', content: 'x', readable: false });
    s.fake.addWikiNode({ nodeToken: 'wikcnNode1', objToken: docId, objType: 'docx', title: '第 12 期' });
    s.fake.addWikiNode({ nodeToken: 'wikcnLocked', objToken: 'x', readable: false });

    expect((await s.client.docx.v1.document.rawContent({ path: { document_id: docId } })).data?.content).toBe('组工信息正文\n');
    expect(await rejection(s.client.docx.v1.document.rawContent({ path: { document_id: 'doxcnSecretSecretSecret1234' } }))).toMatchObject({ status: 403, body: { code: 1770032 } });
    expect(await rejection(s.client.docx.v1.document.rawContent({ path: { document_id: 'doxcnMissingMissingMissing1' } }))).toMatchObject({ status: 404, body: { code: 1770002 } });

    const node = await s.client.wiki.v2.space.getNode({ params: { token: 'wikcnNode1', obj_type: 'wiki' } });
    expect(node.data?.node).toMatchObject({ obj_token: docId, obj_type: 'docx', title: '第 12 期', node_token: 'wikcnNode1' });
    expect((await rejection(s.client.wiki.v2.space.getNode({ params: { token: 'wikcnLocked' } }))).body.code).toBe(131006);
    expect((await rejection(s.client.wiki.v2.space.getNode({ params: { token: 'wikcnNone' } }))).body.code).toBe(131005);
  });

  it('limits raw_content to 5 per second', async () => {
    s = await setup();
    const docId = 'doxcnAbCdEfGhIjKlMnOpQrStUv';
    s.fake.addDocument({ documentId: docId, content: 'x' });
    for (let i = 0; i < 5; i++) await s.client.docx.v1.document.rawContent({ path: { document_id: docId } });
    expect(await rejection(s.client.docx.v1.document.rawContent({ path: { document_id: docId } }))).toMatchObject({ status: 429, body: { code: 99991400 } });
  });
});

describe('buzz', () => {
  it('buzzes chat members and reports invalid ids', async () => {
    s = await setup();
    s.fake.addChat({ chatId: 'oc_team', chatType: 'group', members: ['ou_a', 'ou_b'] });
    const sent = await s.client.im.v1.message.create({ params: { receive_id_type: 'chat_id' }, data: { receive_id: 'oc_team', msg_type: 'text', content: '{"text":"请审核"}' } });
    const id = sent.data?.message_id ?? '';
    const res = await s.client.im.v1.message.urgentApp({ path: { message_id: id }, params: { user_id_type: 'open_id' }, data: { user_id_list: ['ou_a', 'ou_x'] } });
    expect(res.data?.invalid_user_id_list).toEqual(['ou_x']);
    expect(s.fake.urgents).toEqual([expect.objectContaining({ messageId: id, userIds: ['ou_a', 'ou_x'], invalidUserIds: ['ou_x'] })]);
    expect((await rejection(s.client.im.v1.message.urgentApp({ path: { message_id: id }, params: { user_id_type: 'open_id' }, data: { user_id_list: ['ou_x'] } }))).body.code).toBe(230001);
  });

  it('only buzzes the bot’s own messages (230012)', async () => {
    s = await setup();
    const event = textMessage({ senderOpenId: 'ou_a', chatId: 'oc_team', chatType: 'group', text: 'hi', appId: s.appId, token: 'vt' });
    s.fake.registerEvent(event);
    const r = await rejection(s.client.im.v1.message.urgentApp({ path: { message_id: event.event.message.message_id }, params: { user_id_type: 'open_id' }, data: { user_id_list: ['ou_a'] } }));
    expect(r.body.code).toBe(230012);
  });
});

describe('controls', () => {
  it('records calls and emits message events', async () => {
    s = await setup();
    const seen: string[] = [];
    s.fake.on('message', (m) => seen.push(m.messageId));
    const sent = await s.client.im.v1.message.create({ params: { receive_id_type: 'chat_id' }, data: { receive_id: 'oc_g', msg_type: 'text', content: '{"text":"x"}' } });
    expect(seen).toEqual([sent.data?.message_id]);
    const call = s.fake.callsTo('/open-apis/im/v1/messages', 'POST')[0];
    expect(call).toMatchObject({ method: 'POST', query: { receive_id_type: 'chat_id' }, body: { receive_id: 'oc_g' }, status: 200, injected: false, time: s.clock.now() });
  });

  it('simulates a network outage', async () => {
    s = await setup();
    await s.client.request({ method: 'GET', url: '/open-apis/bot/v3/info' });
    s.fake.setDown(true);
    await expect(s.client.request({ method: 'GET', url: '/open-apis/bot/v3/info' })).rejects.toMatchObject({ code: expect.stringMatching(/ECONNRESET|ECONNREFUSED|EPIPE/) });
    s.fake.setDown(false);
    expect(await s.client.request({ method: 'GET', url: '/open-apis/bot/v3/info' })).toMatchObject({ code: 0 });
  });

  it('reset clears traffic and keeps the directory and tokens', async () => {
    s = await setup();
    s.fake.addUser({ openId: 'ou_a', name: '王' });
    await s.client.im.v1.message.create({ params: { receive_id_type: 'chat_id' }, data: { receive_id: 'oc_g', msg_type: 'text', content: '{"text":"x"}' } });
    s.fake.failNext({ status: 500 });
    s.fake.reset();
    expect(s.fake.messages).toHaveLength(0);
    expect(s.fake.calls).toHaveLength(0);
    const user = await s.client.contact.v3.user.get({ path: { user_id: 'ou_a' }, params: { user_id_type: 'open_id' } });
    expect(user.data?.user?.name).toBe('王');
  });
});
