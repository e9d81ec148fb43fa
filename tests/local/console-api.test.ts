import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChatEntry } from '../../emulator/console/transcript.js';
import { buttonsOf } from '../../demo/card-read.js';
import { cardText } from '../helpers/harness.js';
import { createTestDb } from '../helpers/test-db.js';
import { startLocalStack, waitFor, type LocalStack } from './helpers/local-stack.js';

const OFFICER = 'ou_demo_off_liu';
const REVIEWER = 'ou_demo_rev_zhang';
const DRAFT = '城关镇开展党员志愿服务活动\n\n近日，城关镇组织200余名党员深入社区开展志愿服务，帮助群众解决实际困难30余件。\n\n活动中，党员们清理环境卫生、走访困难群众、宣讲惠民政策，受到群众好评。';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function post(s: LocalStack, path: string, body: unknown) {
  const res = await s.consoleFetch(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function messages(s: LocalStack): Promise<ChatEntry[]> {
  const res = await s.consoleFetch('/console/api/state');
  return ((await res.json()) as { messages: ChatEntry[] }).messages;
}

const cardsTo = (all: ChatEntry[], openId: string) => all.filter((m) => m.from === 'bot' && m.p2pUser === openId && m.msgType === 'interactive');

describe('the console API', { timeout: 120_000 }, () => {
  let s: LocalStack | undefined;
  beforeEach(({ onTestFailed }) => onTestFailed(() => console.error(`the bot's warnings and errors:\n${s?.warnings() || '(none)'}`)));
  afterEach(async () => {
    await s?.stop();
    s = undefined;
  });

  it('serves the page and lists the demo people with their roles and the work group', async () => {
    s = await startLocalStack();
    const page = await fetch(s.url + '/');
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('稿件助手');
    const state = (await (await s.consoleFetch('/console/api/state')).json()) as {
      group: { chatId: string; name: string };
      people: { openId: string; name: string; roles: { role: string; unit?: string }[] }[];
    };
    expect(state.group).toEqual({ chatId: 'oc_demo_work_group', name: '青山县委组织部工作群' });
    const names = Object.fromEntries(state.people.map((p) => [p.name, p.roles]));
    expect(names['刘晓燕']).toEqual([{ role: 'officer', unit: '城关镇', designated: true }]);
    expect(names['林静']).toEqual([{ role: 'editor' }]);
    expect(names['黄振华']).toEqual([{ role: 'leader' }]);
    // The township with two reviewers.
    expect(state.people.filter((p) => p.roles.some((r) => r.role === 'reviewer' && r.unit === '青石镇')).map((p) => p.name)).toEqual(['王海峰', '李秀英']);
    // Static files only from the console's own folder.
    expect((await fetch(s.url + '/console/static/..%2f..%2fpackage.json')).status).toBe(404);
  });

  it('delivers what a person types to the bot as a signed webhook event, and streams the answer', async () => {
    s = await startLocalStack();
    const stream = await s.consoleFetch('/console/api/stream');
    const reader = stream.body!.getReader();
    const sent = await post(s, '/console/api/send', { as: OFFICER, chat: 'p2p', text: '帮助' });
    expect(sent.status).toBe(200);
    const help = await waitFor(async () => cardsTo(await messages(s!), OFFICER)[0], 'the help card');
    expect(cardText(help.content)).toContain('使用帮助');
    let frames = '';
    while (!frames.includes('event: message') || !frames.includes(help.messageId)) {
      frames += new TextDecoder().decode((await reader.read()).value);
    }
    await reader.cancel();

    const stranger = await post(s, '/console/api/send', { as: 'ou_nobody', chat: 'p2p', text: '帮助' });
    expect(stranger).toEqual({ status: 400, body: { ok: false, error: '请先选择名册中的人员' } });
  });

  it('sends an attached file as a file message whose bytes the bot can download', async () => {
    s = await startLocalStack();
    const res = await s.consoleFetch(`/console/api/file?${new URLSearchParams({ as: OFFICER, chat: 'p2p', name: '稿件.txt' })}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/octet-stream' },
      body: Buffer.from(DRAFT),
    });
    const { messageId } = (await res.json()) as { messageId: string };
    const inbound = s.local.fake.message(messageId)!;
    expect(inbound).toMatchObject({ msgType: 'file', inbound: true, chatType: 'p2p' });
    const { file_key } = inbound.content as { file_key: string };
    const bytes = await s.app.deps.lark.downloadMessageFile({ messageId, fileKey: file_key, type: 'file', maxBytes: 1 << 20 });
    expect(bytes.toString()).toBe(DRAFT);
    await waitFor(async () => (await messages(s!)).some((m) => m.from === 'bot' && m.p2pUser === OFFICER), 'the bot to answer the file');
  });

  it('sends a reply to a card (text or file) as Lark does, with parent_id, so an editor can answer a 编审 card', async () => {
    s = await startLocalStack();
    await post(s, '/console/api/send', { as: OFFICER, chat: 'p2p', text: '帮助' });
    const help = await waitFor(async () => cardsTo(await messages(s!), OFFICER)[0], 'the help card');
    const sent = await post(s, '/console/api/send', { as: OFFICER, chat: 'p2p', text: '好的', replyTo: help.messageId });
    const { messageId } = sent.body as { messageId: string };
    expect(s.local.fake.message(messageId)).toMatchObject({ parentId: help.messageId, inbound: true });
    const res = await s.consoleFetch(`/console/api/file?${new URLSearchParams({ as: OFFICER, chat: 'p2p', name: '稿件.txt', replyTo: help.messageId })}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/octet-stream' },
      body: Buffer.from(DRAFT),
    });
    const file = (await res.json()) as { messageId: string };
    expect(s.local.fake.message(file.messageId)).toMatchObject({ parentId: help.messageId, msgType: 'file' });
    // A reply to a message that is not in the chats is sent as a plain message.
    const plain = await post(s, '/console/api/send', { as: OFFICER, chat: 'p2p', text: '好的', replyTo: 'om_unknown' });
    expect(s.local.fake.message((plain.body as { messageId: string }).messageId)!.parentId).toBeUndefined();
  });

  it('shows a file the bot sends with its name, type and size, as Feishu does, though the message carries only its file_key', async () => {
    s = await startLocalStack();
    const EDITOR = 'ou_demo_editor_lin';
    await post(s, '/console/api/send', { as: EDITOR, chat: 'p2p', text: '名册导出' });
    const file = await waitFor(async () => (await messages(s!)).find((m) => m.from === 'bot' && m.p2pUser === EDITOR && m.msgType === 'file'), 'the exported roster');
    // What the bot sent: the key of a file it uploaded with a name and a type.
    const sent = s.local.fake.message(file.messageId)!;
    expect(Object.keys(sent.content as object)).toEqual(['file_key']);
    const upload = s.local.fake.uploadedFiles.find((f) => f.fileKey === (sent.content as { file_key: string }).file_key)!;
    expect(upload).toMatchObject({ fileName: expect.stringMatching(/\.yaml$/), fileType: 'stream' });
    // What the console shows.
    expect(file.content).toEqual({ file_key: upload.fileKey, file_name: upload.fileName, file_type: 'stream', file_size: upload.bytes.length });
    expect(upload.bytes.length).toBeGreaterThan(0);
  });

  it('keeps the chats across a restart, and the bot can still update cards sent before it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gaojian-console-'));
    dirs.push(dir);
    const env = { PGLITE_DIR: dir };
    const db = await createTestDb();
    s = await startLocalStack({ db, env });
    await post(s, '/console/api/send', { as: OFFICER, chat: 'p2p', text: DRAFT });
    const confirm = await waitFor(async () => cardsTo(await messages(s!), OFFICER).find((m) => cardText(m.content).includes('确认')), 'the confirm card');
    const submit = buttonsOf(confirm.content).find((b) => b.text === '提交审核')!;
    const submitted = await post(s, '/console/api/action', { as: OFFICER, messageId: confirm.messageId, value: submit.value, name: submit.name, tag: 'button', formValue: { category: '组工信息' } });
    // Submitted, or (on a slow machine) still being submitted past the callback's deadline.
    expect(submitted).toMatchObject({ status: 200, body: { ok: true, toast: { content: expect.stringMatching(/^已提交，编号 |^已收到，正在处理/) } } });
    const review = await waitFor(async () => cardsTo(await messages(s!), REVIEWER)[0], 'the review card');
    const receipt = await waitFor(async () => cardsTo(await messages(s!), OFFICER).find((m) => cardText(m.content).includes('稿件回执')), 'the receipt');
    await s.stop({ keepDb: true });

    s = await startLocalStack({ db, env });
    const restored = await messages(s);
    expect(restored.map((m) => m.messageId)).toEqual(expect.arrayContaining([confirm.messageId, review.messageId, receipt.messageId]));
    const approve = buttonsOf(review.content).find((b) => b.text === '通过')!;
    const answer = await post(s, '/console/api/action', { as: REVIEWER, messageId: review.messageId, value: approve.value, tag: 'button' });
    expect(answer.status).toBe(200);
    // The receipt sent before the restart is patched in place: the fake got the old message back.
    await waitFor(async () => {
      const now = (await messages(s!)).find((m) => m.messageId === receipt.messageId)!;
      return now.version > 0 && cardText(now.content).includes('已报研究室');
    }, 'the old receipt to show 已报研究室');
  });
});

/** A raw request, so Host and Origin are exactly what a hostile page's browser would send. */
function raw(s: LocalStack, path: string, o: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  return new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = request(s.url + path, { method: o.method ?? 'GET', headers: o.headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end(o.body);
  });
}

describe('the console refuses other sites', { timeout: 120_000 }, () => {
  let s: LocalStack | undefined;
  afterEach(async () => {
    await s?.stop();
    s = undefined;
  });

  const inbound = () => s!.local.fake.messages.filter((m) => m.inbound);

  it('hands its page a per-start token and wants it on the API', async () => {
    s = await startLocalStack();
    const port = new URL(s.url).port;
    const page = await raw(s, '/', { headers: { Host: `localhost:${port}` } });
    expect(page.status).toBe(200);
    expect(page.text).toContain(`<meta name="console-token" content="${s.local.consoleToken}">`);
    expect(s.local.consoleToken.length).toBeGreaterThanOrEqual(32);

    expect((await raw(s, '/console/api/state')).status).toBe(403);
    const wrong = await raw(s, '/console/api/state', { headers: { 'X-Console-Token': 'x'.repeat(s.local.consoleToken.length) } });
    expect(wrong.status).toBe(403);
    expect(JSON.parse(wrong.text)).toEqual({ ok: false, error: '控制台页面已过期（机器人重新启动过）：请刷新页面后再操作' });
    expect((await raw(s, `/console/api/stream?token=wrong`)).status).toBe(403);
    // Download links carry it in the query (a link cannot set a header); a POST may not.
    expect((await raw(s, '/console/api/files/file_v3_none')).status).toBe(403);
    expect((await raw(s, `/console/api/files/file_v3_none?token=${s.local.consoleToken}`)).status).toBe(404);
    const queryPost = await raw(s, `/console/api/send?token=${s.local.consoleToken}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: s.url },
      body: JSON.stringify({ as: OFFICER, chat: 'p2p', text: '帮助' }),
    });
    expect(queryPost.status).toBe(403);
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`]) {
      expect((await raw(s, '/console/api/state', { headers: { Host: host, 'X-Console-Token': s.local.consoleToken } })).status, host).toBe(200);
    }
    // A second start has another token: an old page's token no longer works.
    const first = s.local.consoleToken;
    await s.stop();
    s = await startLocalStack();
    expect(s.local.consoleToken).not.toBe(first);
  });

  it('serves nothing to a page of another site that points its name at this machine (DNS rebinding)', async () => {
    s = await startLocalStack();
    const port = new URL(s.url).port;
    const state = await raw(s, '/console/api/state', { headers: { Host: 'attacker.example', 'X-Console-Token': s.local.consoleToken } });
    expect(state.status).toBe(421);
    expect(state.text).not.toContain('ou_demo');
    expect((await raw(s, '/console/api/state', { headers: { Host: `attacker.example:${port}`, 'X-Console-Token': s.local.consoleToken } })).status).toBe(421);
    const page = await raw(s, '/', { headers: { Host: `attacker.example:${port}` } });
    expect(page.status).toBe(421);
    expect(page.text).not.toContain(s.local.consoleToken);
    // The right name on another port is another site too.
    expect((await raw(s, '/', { headers: { Host: 'localhost:1' } })).status).toBe(421);
  });

  it('refuses a cross-site form post (text/plain, foreign Origin) and a post without JSON, delivering nothing', async () => {
    s = await startLocalStack();
    const body = JSON.stringify({ as: OFFICER, chat: 'p2p', text: '帮助' });
    const send = (headers: Record<string, string>) => raw(s!, '/console/api/send', { method: 'POST', headers, body });
    const token = s.local.consoleToken;

    expect((await send({ 'Content-Type': 'text/plain', Origin: 'http://attacker.example' })).status).toBe(403);
    expect((await send({ 'Content-Type': 'text/plain', Origin: 'http://attacker.example', 'X-Console-Token': token })).status).toBe(403);
    expect((await send({ 'Content-Type': 'application/json', Origin: 'http://attacker.example', 'X-Console-Token': token })).status).toBe(403);
    expect((await send({ 'Content-Type': 'application/json', 'X-Console-Token': token })).status).toBe(403); // no Origin
    expect((await send({ 'Content-Type': 'text/plain', Origin: s.url, 'X-Console-Token': token })).status).toBe(415);
    const file = await raw(s, `/console/api/file?${new URLSearchParams({ as: OFFICER, chat: 'p2p', name: '稿件.txt' })}`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain', Origin: s.url, 'X-Console-Token': token },
      body: DRAFT,
    });
    expect(file.status).toBe(415);
    expect(inbound()).toHaveLength(0);

    // The page's own request goes through.
    expect((await send({ 'Content-Type': 'application/json', Origin: s.url, 'X-Console-Token': token })).status).toBe(200);
    expect(inbound()).toHaveLength(1);
  });
});

