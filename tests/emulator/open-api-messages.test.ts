import * as lark from '@larksuiteoapi/node-sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { cardActionEvent, textMessage } from '../../emulator/lark-events.js';
import type { StoredMessage } from '../../emulator/open-api/index.js';
import { noTokenCache, rejection, setup, simpleCard, type Setup } from './sdk-helpers.js';

let s: Setup;
afterEach(async () => {
  await s?.fake.close();
});

const sendCard = (client: lark.Client, receiveId: string, card: unknown, idType: 'open_id' | 'chat_id' = 'open_id', uuid?: string) =>
  client.im.v1.message.create({
    params: { receive_id_type: idType },
    data: { receive_id: receiveId, msg_type: 'interactive', content: JSON.stringify(card), ...(uuid ? { uuid } : {}) },
  });

const sendText = (client: lark.Client, receiveId: string, text: string, idType: 'open_id' | 'chat_id' = 'chat_id') =>
  client.im.v1.message.create({
    params: { receive_id_type: idType },
    data: { receive_id: receiveId, msg_type: 'text', content: JSON.stringify({ text }) },
  });

describe('FakeLark with the real SDK Client: tokens and bot info', () => {
  it('issues a tenant token and answers bot/v3/info', async () => {
    s = await setup();
    const info = (await s.client.request({ method: 'GET', url: '/open-apis/bot/v3/info' })) as { code: number; bot: Record<string, unknown> };
    expect(info).toMatchObject({ code: 0, bot: { open_id: 'ou_bot', app_name: 'Gaojian', activate_status: 2 } });
    const tokenCall = s.fake.callsTo('tenant_access_token')[0];
    expect(tokenCall?.body).toEqual({ app_id: s.appId, app_secret: 'secret' });
    expect(tokenCall?.response).toMatchObject({ code: 0, msg: 'ok', expire: 7200, tenant_access_token: expect.stringMatching(/^t-/) });
  });

  it('refuses missing, unknown and expired tokens with HTTP 400', async () => {
    s = await setup();
    const noAuth = await fetch(`${s.fake.url}/open-apis/bot/v3/info`);
    expect(noAuth.status).toBe(400);
    expect(await noAuth.json()).toMatchObject({ code: 99991661, error: { log_id: expect.any(String) } });
    const bad = await fetch(`${s.fake.url}/open-apis/bot/v3/info`, { headers: { Authorization: 'Bearer t-nope' } });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: 99991663 });

    await s.client.request({ method: 'GET', url: '/open-apis/bot/v3/info' });
    s.fake.expireTokens();
    const r = await rejection(s.client.request({ method: 'GET', url: '/open-apis/bot/v3/info' }));
    expect(r).toMatchObject({ status: 400, body: { code: 99991663 } });
  });

  it('tokens expire after 2 hours of fake time', async () => {
    s = await setup();
    const token = async () =>
      ((await (await fetch(`${s.fake.url}/open-apis/auth/v3/tenant_access_token/internal`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ app_id: s.appId, app_secret: 'secret' }),
      })).json()) as { tenant_access_token: string; expire: number });
    const first = await token();
    s.clock.advance(60 * 60_000);
    expect(await token()).toMatchObject({ tenant_access_token: first.tenant_access_token, expire: 3600 });
    s.clock.advance(45 * 60_000); // 15 min left: a new token, the old one still valid
    const second = await token();
    expect(second.tenant_access_token).not.toBe(first.tenant_access_token);
    const ok = await fetch(`${s.fake.url}/open-apis/bot/v3/info`, { headers: { Authorization: `Bearer ${first.tenant_access_token}` } });
    expect(ok.status).toBe(200);
    s.clock.advance(16 * 60_000);
    const late = await fetch(`${s.fake.url}/open-apis/bot/v3/info`, { headers: { Authorization: `Bearer ${first.tenant_access_token}` } });
    expect(late.status).toBe(400);
  });

  it('refuses a wrong app secret with a non-zero code', async () => {
    s = await setup();
    const res = await fetch(`${s.fake.url}/open-apis/auth/v3/tenant_access_token/internal`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ app_id: s.appId, app_secret: 'wrong' }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ code: 10014 });
  });

  it('answers unknown paths with the gateway 404', async () => {
    s = await setup();
    const res = await fetch(`${s.fake.url}/open-apis/nonexistent/v1/foo`);
    expect(res.status).toBe(404);
    expect(await res.text()).toBe('404 page not found');
  });
});

describe('sending', () => {
  it('sends a card by open_id into a stable p2p chat', async () => {
    s = await setup();
    const res = await sendCard(s.client, 'ou_user1', simpleCard('第一张'));
    expect(res.code).toBe(0);
    expect(res.data).toMatchObject({
      message_id: expect.stringMatching(/^om_/),
      msg_type: 'interactive',
      chat_id: expect.stringMatching(/^oc_/),
      sender: { id: s.appId, id_type: 'app_id', sender_type: 'app' },
      body: { content: JSON.stringify(simpleCard('第一张')) },
    });
    const again = await sendCard(s.client, 'ou_user1', simpleCard('第二张'));
    expect(again.data?.chat_id).toBe(res.data?.chat_id);
    expect(again.data?.chat_id).toBe(s.fake.p2pChatIdFor('ou_user1'));
    expect(s.fake.cardsTo('ou_user1').map((m) => (m.content as { body: { elements: { content: string }[] } }).body.elements[0]?.content)).toEqual(['第一张', '第二张']);
  });

  it('patches a card and keeps the history', async () => {
    s = await setup();
    const patches: unknown[] = [];
    s.fake.on('patch', (e) => patches.push(e.change.content));
    const sent = await sendCard(s.client, 'ou_user1', simpleCard('待审'));
    const messageId = sent.data?.message_id ?? '';
    const res = await s.client.im.v1.message.patch({ path: { message_id: messageId }, data: { content: JSON.stringify(simpleCard('已通过')) } });
    expect(res).toMatchObject({ code: 0 });
    const stored = s.fake.message(messageId) as StoredMessage;
    expect(stored.history).toHaveLength(1);
    expect(stored.history[0]?.via).toBe('patch');
    expect((stored.content as { body: { elements: { content: string }[] } }).body.elements[0]?.content).toBe('已通过');
    expect((stored.originalContent as { body: { elements: { content: string }[] } }).body.elements[0]?.content).toBe('待审');
    expect(patches).toHaveLength(1);
  });

  it('gets 230020 on the 6th send within a second to one chat', async () => {
    s = await setup();
    for (let i = 0; i < 5; i++) expect((await sendText(s.client, 'oc_group1', `m${i}`)).code).toBe(0);
    const r = await rejection(sendText(s.client, 'oc_group1', 'm5'));
    expect(r).toMatchObject({ status: 400, body: { code: 230020 } });
    expect((await sendText(s.client, 'oc_group2', 'other chat')).code).toBe(0);
    s.clock.advance(1000);
    expect((await sendText(s.client, 'oc_group1', 'later')).code).toBe(0);
    expect(s.fake.textsTo('oc_group1')).toEqual(['m0', 'm1', 'm2', 'm3', 'm4', 'later']);
  });

  it('gets 429 / 99991400 past 50 sends a second app-wide', async () => {
    s = await setup();
    for (let i = 0; i < 50; i++) await sendText(s.client, `oc_g${i}`, 'x');
    const r = await rejection(sendText(s.client, 'oc_g99', 'x'));
    expect(r).toMatchObject({ status: 429, body: { code: 99991400 } });
    expect(r.headers['x-ogw-ratelimit-reset']).toBe('1');
  });

  it('gets 230025 for a card over 30 KB', async () => {
    s = await setup();
    const r = await rejection(sendCard(s.client, 'ou_user1', simpleCard('长'.repeat(11 * 1024))));
    expect(r).toMatchObject({ status: 400, body: { code: 230025 } });
    expect(s.fake.messages).toHaveLength(0);
  });

  it('gets 230099 with the sub-code for an invalid card', async () => {
    s = await setup();
    const card = simpleCard('x');
    (card.body as { elements: unknown[] }).elements.push({ tag: 'action', actions: [] });
    const r = await rejection(sendCard(s.client, 'ou_user1', card));
    expect(r.status).toBe(400);
    expect(r.body.code).toBe(230099);
    expect(r.body.msg).toContain('ErrCode: 200861');
    expect(r.body.msg).toContain('ROOT -> body -> elements -> 1');
  });

  it('gets 230001 for PUT (message.update) on a card', async () => {
    s = await setup();
    const sent = await sendCard(s.client, 'ou_user1', simpleCard('x'));
    const r = await rejection(
      s.client.im.v1.message.update({
        path: { message_id: sent.data?.message_id ?? '' },
        data: { msg_type: 'interactive', content: JSON.stringify(simpleCard('y')) },
      }),
    );
    expect(r).toMatchObject({ status: 400, body: { code: 230001 } });
    expect(r.body.msg).toContain('invalid msg_type');
  });

  it('PUT edits a text message', async () => {
    s = await setup();
    const sent = await sendText(s.client, 'oc_g', 'draft');
    const res = await s.client.im.v1.message.update({
      path: { message_id: sent.data?.message_id ?? '' },
      data: { msg_type: 'text', content: JSON.stringify({ text: 'final' }) },
    });
    expect(res.code).toBe(0);
    expect(s.fake.textsTo('oc_g')).toEqual(['final']);
  });

  it('gets 429 with the reset header when injected', async () => {
    s = await setup();
    s.fake.failNext({ method: 'POST', pathIncludes: '/im/v1/messages', status: 429, headers: { 'x-ogw-ratelimit-reset': '7' } });
    const r = await rejection(sendText(s.client, 'oc_g', 'x'));
    expect(r).toMatchObject({ status: 429, body: { code: 99991400 } });
    expect(r.headers['x-ogw-ratelimit-reset']).toBe('7');
    expect((await sendText(s.client, 'oc_g', 'x')).code).toBe(0);
    expect(s.fake.calls.filter((c) => c.injected)).toHaveLength(1);
  });

  it('injects 5xx and HTTP 200 with a non-zero code', async () => {
    s = await setup();
    s.fake.failNext({ status: 502, times: 2 });
    expect((await rejection(sendText(s.client, 'oc_g', 'x'))).status).toBe(502);
    expect((await rejection(sendText(s.client, 'oc_g', 'x'))).status).toBe(502);
    s.fake.failNext({ status: 200, code: 230035, msg: 'Send Message Permission deny.' });
    expect(await sendText(s.client, 'oc_g', 'x')).toMatchObject({ code: 230035 });
    expect(s.fake.messages).toHaveLength(0);
  });

  it('dedupes by uuid within an hour', async () => {
    s = await setup();
    const a = await sendCard(s.client, 'ou_user1', simpleCard('a'), 'open_id', 'uuid-1');
    const b = await sendCard(s.client, 'ou_user1', simpleCard('b'), 'open_id', 'uuid-1');
    expect(b.data?.message_id).toBe(a.data?.message_id);
    expect(s.fake.messages).toHaveLength(1);
    s.clock.advance(3600_000);
    const c = await sendCard(s.client, 'ou_user1', simpleCard('c'), 'open_id', 'uuid-1');
    expect(c.data?.message_id).not.toBe(a.data?.message_id);
    expect(s.fake.messages).toHaveLength(2);
  });

  it('validates msg_type and content', async () => {
    s = await setup();
    const send = (msg_type: string, content: string) =>
      rejection(s.client.im.v1.message.create({ params: { receive_id_type: 'chat_id' }, data: { receive_id: 'oc_g', msg_type, content } }));
    expect((await send('text', 'not json')).body.code).toBe(230001);
    expect((await send('text', '{"txt":"x"}')).body.code).toBe(230001);
    expect((await send('post', JSON.stringify({ title: 'flat', content: [[{ tag: 'text', text: 'x' }]] }))).body.code).toBe(230001);
    expect((await send('file', '{"file_key":"file_unknown"}')).body.code).toBe(230017);
    expect((await send('bogus', '{}')).body.msg).toContain('invalid msg_type');
    expect((await send('text', JSON.stringify({ text: 'x'.repeat(150 * 1024) }))).body.code).toBe(230025);
    const post = { zh_cn: { title: '标题', content: [[{ tag: 'text', text: '正文' }, { tag: 'at', user_id: 'ou_a' }]] } };
    const ok = await s.client.im.v1.message.create({ params: { receive_id_type: 'chat_id' }, data: { receive_id: 'oc_g', msg_type: 'post', content: JSON.stringify(post) } });
    expect(ok.code).toBe(0);
  });

  it('renders <at> mentions in the text send response', async () => {
    s = await setup();
    const res = await sendText(s.client, 'oc_g', '<at user_id="ou_a">张三</at> 请审核');
    expect(res.data?.body?.content).toBe(JSON.stringify({ text: '@_user_1 请审核' }));
    expect(res.data?.mentions).toEqual([{ key: '@_user_1', id: 'ou_a', id_type: 'open_id', name: '张三', tenant_key: s.fake.tenantKey }]);
  });

  it('honours registered directory entries (availability, bot membership)', async () => {
    s = await setup();
    s.fake.addUser({ openId: 'ou_gone', name: '离职', available: false }).addChat({ chatId: 'oc_closed', chatType: 'group', botIsMember: false });
    s.fake.addUser({ openId: 'ou_mail', name: '邮件', email: 'a@example.com' });
    expect((await rejection(sendCard(s.client, 'ou_gone', simpleCard()))).body.code).toBe(230013);
    expect((await rejection(sendText(s.client, 'oc_closed', 'x'))).body.code).toBe(230002);
    const byEmail = await s.client.im.v1.message.create({
      params: { receive_id_type: 'email' },
      data: { receive_id: 'a@example.com', msg_type: 'text', content: '{"text":"hi"}' },
    });
    expect(byEmail.data?.chat_id).toBe(s.fake.p2pChatIdFor('ou_mail'));
    expect(s.fake.textsTo('ou_mail')).toEqual(['hi']);
  });

  it('refuses unknown chats when autoCreateChats is off', async () => {
    s = await setup({ autoCreateChats: false });
    expect((await rejection(sendText(s.client, 'oc_new', 'x'))).body.code).toBe(230002);
    expect((await rejection(sendCard(s.client, 'ou_new', simpleCard()))).body.code).toBe(230034);
  });

  it('checks request fields with 99992402', async () => {
    s = await setup();
    const r = await rejection(
      s.client.im.v1.message.create({ params: { receive_id_type: 'open_id' }, data: { receive_id: 'ou_a', msg_type: 'text', content: '{"text":"x"}', uuid: 'u'.repeat(51) } }),
    );
    expect(r.body).toMatchObject({ code: 99992402, error: { field_violations: [{ field: 'uuid' }] } });
  });
});

describe('replies', () => {
  it('replies to a registered inbound message, in its chat, with thread support', async () => {
    s = await setup();
    const event = textMessage({ senderOpenId: 'ou_user1', chatId: 'oc_group1', chatType: 'group', text: '@_user_1 帮助', appId: s.appId, token: 'vt' });
    s.fake.registerEvent(event);
    const parentId = event.event.message.message_id;
    const res = await s.client.im.v1.message.reply({
      path: { message_id: parentId },
      data: { msg_type: 'text', content: '{"text":"好的"}', reply_in_thread: true },
    });
    expect(res.data).toMatchObject({ chat_id: 'oc_group1', parent_id: parentId, root_id: parentId, thread_id: expect.stringMatching(/^omt_/) });
    expect(s.fake.textsTo('oc_group1')).toEqual(['好的']);
    expect(s.fake.messagesTo('oc_group1').every((m) => !m.inbound)).toBe(true);
  });

  it('refuses replies to unknown and recalled messages', async () => {
    s = await setup();
    const unknown = await rejection(s.client.im.v1.message.reply({ path: { message_id: 'om_nope' }, data: { msg_type: 'text', content: '{"text":"x"}' } }));
    expect(unknown.body.code).toBe(230001);
    expect(unknown.body.msg).toContain('registerEvent');
    const sent = await sendText(s.client, 'oc_g', 'x');
    s.fake.recallMessage(sent.data?.message_id ?? '');
    const recalled = await rejection(s.client.im.v1.message.reply({ path: { message_id: sent.data?.message_id ?? '' }, data: { msg_type: 'text', content: '{"text":"x"}' } }));
    expect(recalled.body.code).toBe(230011);
  });

  it('a p2p event teaches the fake the user’s p2p chat id', async () => {
    s = await setup();
    s.fake.registerEvent(textMessage({ senderOpenId: 'ou_user2', chatId: 'oc_p2p_user2', chatType: 'p2p', text: 'hi', appId: s.appId, token: 'vt' }));
    const res = await sendCard(s.client, 'ou_user2', simpleCard());
    expect(res.data?.chat_id).toBe('oc_p2p_user2');
    const byChat = await sendText(s.client, 'oc_p2p_user2', 'x');
    expect(byChat.code).toBe(0);
    expect(s.fake.messagesTo('ou_user2')).toHaveLength(2);
  });
});

describe('card updates', () => {
  it('limits PATCH to 5 per second per message', async () => {
    s = await setup();
    const sent = await sendCard(s.client, 'ou_user1', simpleCard());
    const patch = () => s.client.im.v1.message.patch({ path: { message_id: sent.data?.message_id ?? '' }, data: { content: JSON.stringify(simpleCard('p')) } });
    for (let i = 0; i < 5; i++) expect((await patch()).code).toBe(0);
    expect((await rejection(patch())).body.code).toBe(230020);
    s.clock.advance(1000);
    expect((await patch()).code).toBe(0);
  });

  it('refuses PATCH after 14 days (230031), on recalled (230011) and non-card messages', async () => {
    s = await setup({ cache: noTokenCache });
    const card = await sendCard(s.client, 'ou_user1', simpleCard());
    const text = await sendText(s.client, 'oc_g', 'x');
    const patch = (id: string) => s.client.im.v1.message.patch({ path: { message_id: id }, data: { content: JSON.stringify(simpleCard('p')) } });
    expect((await rejection(patch(text.data?.message_id ?? ''))).body.msg).toContain('NOT a card');
    s.clock.advance(14 * 24 * 3600_000 + 1);
    expect((await rejection(patch(card.data?.message_id ?? ''))).body.code).toBe(230031);
    const fresh = await sendCard(s.client, 'ou_user1', simpleCard());
    s.fake.recallMessage(fresh.data?.message_id ?? '');
    expect((await rejection(patch(fresh.data?.message_id ?? ''))).body.code).toBe(230011);
    expect((await rejection(patch('om_unknown'))).body.code).toBe(230001);
  });

  it('validates the new card on PATCH', async () => {
    s = await setup();
    const sent = await sendCard(s.client, 'ou_user1', simpleCard());
    const bad = simpleCard('x', { config: { update_multi: false } });
    const r = await rejection(s.client.im.v1.message.patch({ path: { message_id: sent.data?.message_id ?? '' }, data: { content: JSON.stringify(bad) } }));
    expect(r.body.code).toBe(230099);
  });

  it('delayed update: token valid 30 min and twice', async () => {
    s = await setup();
    const sent = await sendCard(s.client, 'ou_user1', simpleCard('待审'));
    const token = s.fake.issueCardToken(sent.data?.message_id ?? '');
    const update = (text: string, t = token) =>
      s.client.request({ method: 'POST', url: '/open-apis/interactive/v1/card/update', data: { token: t, card: simpleCard(text) } }) as Promise<{ code: number }>;
    expect(await update('一')).toMatchObject({ code: 0 });
    expect(await update('二')).toMatchObject({ code: 0 });
    expect(await update('三')).toMatchObject({ code: 300040 });
    expect(s.fake.message(sent.data?.message_id ?? '')?.history.map((h) => h.via)).toEqual(['delayed_update', 'delayed_update']);
    const late = s.fake.issueCardToken(sent.data?.message_id ?? '');
    s.clock.advance(30 * 60_000 + 1);
    expect(await update('四', late)).toMatchObject({ code: 300030 });
    expect(await update('五', 'bad')).toMatchObject({ code: 300020 });
  });

  it('a registered card.action.trigger token works for the delayed update', async () => {
    s = await setup();
    const sent = await sendCard(s.client, 'ou_user1', simpleCard('待审'));
    const messageId = sent.data?.message_id ?? '';
    const event = cardActionEvent({ operatorOpenId: 'ou_user1', value: { a: 1 }, openMessageId: messageId, openChatId: sent.data?.chat_id ?? '', token: 'vt', appId: s.appId });
    s.fake.registerEvent(event).registerEvent({ type: 'url_verification', challenge: 'x', token: 'vt' });
    const res = await s.client.request({ method: 'POST', url: '/open-apis/interactive/v1/card/update', data: { token: event.event.token, card: simpleCard('已处理') } });
    expect(res).toMatchObject({ code: 0 });
    expect(s.fake.message(messageId)?.history).toHaveLength(1);
  });
});
