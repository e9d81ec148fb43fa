// The console shell: who you are, your chats, the timeline and the composer. Live updates come as
// server-sent events from the emulator (`message` for new messages, `update` for patched cards).
import { dayLabel, renderMessage, summary } from './message.js';
import { api, apiGet, confirmDialog, toast, withToken } from './ui.js';

const ROLE_NAMES = { officer: '信息员', reviewer: '组织委员', editor: '研究室', leader: '部领导' };
const SHORTCUTS = {
  officer: ['帮助'],
  reviewer: ['帮助'],
  editor: ['帮助', '待编稿件', '本期信息', '排行'],
  leader: ['帮助', '排行'],
};

const state = {
  bot: { name: '稿件助手', openId: '' },
  department: '',
  group: null,
  people: [],
  messages: new Map(),
  me: '',
  chat: 'p2p',
  waitingSince: 0,
  /** The bot message the next text or file answers (Lark's 回复), or ''. */
  replyTo: '',
};

const $ = (id) => document.getElementById(id);
const person = (id) => state.people.find((p) => p.openId === id);
const nameOf = (id) => (id === state.bot.openId ? state.bot.name : person(id)?.name);

function describe(p) {
  return p.roles
    .map((r) => (r.unit ? `${r.unit}${ROLE_NAMES[r.role]}${r.designated ? '（专职）' : ''}` : ROLE_NAMES[r.role]))
    .join('、');
}

function inChat(entry, chat = state.chat, me = state.me) {
  if (chat === 'group') return Boolean(state.group) && entry.chatId === state.group.chatId;
  const p2p = person(me)?.p2pChatId;
  return entry.chatType === 'p2p' && (entry.p2pUser === me || entry.chatId === p2p);
}

const sorted = () => [...state.messages.values()].sort((a, b) => a.createTime - b.createTime);

// ---- last seen, for unread counts ------------------------------------------------------------

const seenKey = (me, chat) => `gaojian-seen:${me}:${chat}`;
const lastSeen = (me, chat) => Number(localStorage.getItem(seenKey(me, chat)) || 0);
function markSeen() {
  const last = sorted().filter((e) => inChat(e)).pop();
  if (last) localStorage.setItem(seenKey(state.me, state.chat), String(last.updateTime || last.createTime));
}
function unread(chat) {
  const since = lastSeen(state.me, chat);
  return sorted().filter((e) => inChat(e, chat) && e.from !== state.me && Math.max(e.createTime, e.updateTime || 0) > since).length;
}

// ---- rendering ---------------------------------------------------------------------------------

function renderCtx() {
  return {
    me: state.me,
    botName: state.bot.name,
    nameOf,
    people: () => state.people,
    entry: (id) => state.messages.get(id),
    confirm: confirmDialog,
    act,
  };
}

function renderIdentity() {
  const quick = $('quick-people');
  quick.textContent = '';
  for (const role of ['officer', 'reviewer', 'editor', 'leader']) {
    const p =
      state.people.find((x) => x.roles.some((r) => r.role === role && (role !== 'officer' || r.designated))) ||
      state.people.find((x) => x.roles.some((r) => r.role === role));
    if (!p) continue;
    const b = document.createElement('button');
    b.type = 'button';
    b.className = `quick${p.openId === state.me ? ' active' : ''}`;
    b.dataset.role = role;
    b.innerHTML = `<span class="quick-role"></span><span class="quick-name"></span>`;
    b.querySelector('.quick-role').textContent = ROLE_NAMES[role];
    b.querySelector('.quick-name').textContent = p.name;
    b.addEventListener('click', () => switchTo(p.openId));
    quick.append(b);
  }
  const select = $('person');
  select.textContent = '';
  for (const role of ['officer', 'reviewer', 'editor', 'leader']) {
    const group = document.createElement('optgroup');
    group.label = ROLE_NAMES[role];
    for (const p of state.people.filter((x) => x.roles[0]?.role === role)) {
      const o = document.createElement('option');
      o.value = p.openId;
      o.textContent = `${p.name}　${describe(p)}`;
      group.append(o);
    }
    if (group.children.length) select.append(group);
  }
  select.value = state.me;
  const me = person(state.me);
  $('whoami').textContent = me ? `当前：${me.name}（${describe(me)}）` : '';
  $('department').textContent = `${state.department || '本地体验'} · 内置飞书模拟器`;
}

function renderChats() {
  const nav = $('chats');
  nav.textContent = '';
  const chats = [{ key: 'p2p', title: state.bot.name, sub: '私聊' }];
  if (state.group) chats.push({ key: 'group', title: state.group.name, sub: '工作群' });
  for (const c of chats) {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = `chat-item${c.key === state.chat ? ' active' : ''}`;
    b.dataset.chat = c.key;
    const last = sorted().filter((e) => inChat(e, c.key)).pop();
    const n = c.key === state.chat ? 0 : unread(c.key);
    b.innerHTML = `<span class="chat-avatar"></span><span class="chat-text"><span class="chat-name"></span><span class="chat-last"></span></span>`;
    b.querySelector('.chat-avatar').textContent = c.key === 'p2p' ? '稿' : '群';
    if (c.key === 'group') b.querySelector('.chat-avatar').classList.add('group');
    b.querySelector('.chat-name').textContent = c.title;
    b.querySelector('.chat-last').textContent = last ? summary(last, renderCtx()) : c.sub;
    if (n) {
      const badge = document.createElement('span');
      badge.className = 'unread';
      badge.textContent = String(n);
      b.append(badge);
    }
    b.addEventListener('click', () => {
      state.chat = c.key;
      saveLocation();
      renderAll();
    });
    nav.append(b);
  }
}

function renderHeader() {
  if (state.chat === 'group') {
    $('chat-title').textContent = state.group?.name || '工作群';
    $('chat-sub').textContent = `${state.people.length} 位成员 · 机器人只收到 @稿件助手 的消息`;
  } else {
    $('chat-title').textContent = state.bot.name;
    $('chat-sub').textContent = '机器人 · 私聊';
  }
  $('mention-wrap').hidden = state.chat !== 'group';
  const narrow = matchMedia('(max-width: 720px)').matches;
  $('input').placeholder =
    state.chat === 'group' ? (narrow ? '在工作群发言' : `在${state.group?.name || '工作群'}发言`) : narrow ? '发消息或粘贴稿件' : `发消息给 ${state.bot.name}（可直接粘贴稿件正文）`;
  const shortcuts = $('shortcuts');
  shortcuts.textContent = '';
  const roles = new Set((person(state.me)?.roles || []).map((r) => r.role));
  const words = [...new Set([...roles].flatMap((r) => SHORTCUTS[r] || []))];
  for (const w of words) {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'chip shortcut';
    b.textContent = w;
    b.addEventListener('click', () => sendText(w));
    shortcuts.append(b);
  }
}

function renderTimeline() {
  const tl = $('timeline');
  tl.textContent = '';
  const ctx = renderCtx();
  let day = '';
  const list = sorted().filter((e) => inChat(e));
  if (!list.length) {
    const empty = document.createElement('div');
    empty.className = 'empty';
    empty.textContent = state.chat === 'group' ? '群里还没有消息。' : '还没有消息。发送“帮助”看看能做什么。';
    tl.append(empty);
  }
  for (const e of list) {
    const d = dayLabel(e.createTime);
    if (d !== day) {
      day = d;
      const sep = document.createElement('div');
      sep.className = 'day';
      sep.textContent = d;
      tl.append(sep);
    }
    const node = renderMessage(e, ctx);
    if (e.from === 'bot' && e.msgType === 'interactive' && state.chat === 'p2p') {
      const r = document.createElement('button');
      r.type = 'button';
      r.className = 'reply-link';
      r.textContent = '回复';
      r.title = '回复这张卡片（例如向编审卡片发送修改后的全文或 Word 文件）';
      r.addEventListener('click', () => setReplyTo(e.messageId));
      node.append(r);
    }
    tl.append(node);
  }
  tl.scrollTop = tl.scrollHeight;
  markSeen();
}

function renderAll() {
  renderIdentity();
  renderChats();
  renderHeader();
  renderTimeline();
  document.body.dataset.me = state.me;
  document.body.dataset.chat = state.chat;
}

// ---- live updates ------------------------------------------------------------------------------

function upsert(entry, kind) {
  const prior = state.messages.get(entry.messageId);
  if (prior && prior.version > entry.version) return;
  state.messages.set(entry.messageId, entry);
  if (entry.from === 'bot' && inChat(entry)) {
    state.waitingSince = 0;
    $('typing').hidden = true;
  }
  if (!inChat(entry)) return renderChats();
  const tl = $('timeline');
  const nearBottom = tl.scrollHeight - tl.scrollTop - tl.clientHeight < 120;
  const node = tl.querySelector(`[data-message-id="${CSS.escape(entry.messageId)}"]`);
  if (node && kind === 'update') {
    node.replaceWith(renderMessage(entry, renderCtx()));
  } else if (!node) {
    tl.querySelector('.empty')?.remove();
    const last = sorted().filter((e) => inChat(e) && e.messageId !== entry.messageId).pop();
    if (!last || dayLabel(last.createTime) !== dayLabel(entry.createTime)) {
      const sep = document.createElement('div');
      sep.className = 'day';
      sep.textContent = dayLabel(entry.createTime);
      tl.append(sep);
    }
    tl.append(renderMessage(entry, renderCtx()));
  }
  if (nearBottom || entry.from === state.me) tl.scrollTop = tl.scrollHeight;
  markSeen();
  renderChats();
}

function connect() {
  const es = new EventSource(withToken('/console/api/stream'));
  let broken = false;
  es.addEventListener('message', (ev) => upsert(JSON.parse(ev.data), 'new'));
  es.addEventListener('update', (ev) => upsert(JSON.parse(ev.data), 'update'));
  es.addEventListener('open', () => {
    document.body.classList.remove('offline');
    // After a reconnect some events may have been missed: reload everything once.
    if (broken) load().catch(() => {});
    broken = false;
  });
  es.addEventListener('error', () => {
    broken = true;
    document.body.classList.add('offline');
  });
}

// ---- actions -----------------------------------------------------------------------------------

async function act(messageId, input) {
  const res = await api('/console/api/action', { as: state.me, messageId, ...input }).catch(() => null);
  if (!res) return;
  if (res.toast) toast(res.toast);
  if (res.card) {
    const e = state.messages.get(messageId);
    if (e) upsert({ ...e, content: res.card, version: e.version + 1 }, 'update');
  }
}

function expectReply() {
  state.waitingSince = Date.now();
  setTimeout(() => {
    if (state.waitingSince && Date.now() - state.waitingSince >= 600) $('typing').hidden = false;
  }, 600);
  setTimeout(() => {
    if (Date.now() - state.waitingSince >= 8000) $('typing').hidden = true;
  }, 8000);
}

function setReplyTo(messageId) {
  state.replyTo = messageId;
  const e = state.messages.get(messageId);
  $('replying').hidden = !messageId;
  $('replying-text').textContent = messageId && e ? `回复：${summary(e, renderCtx())}` : '';
  if (messageId) $('input').focus();
}

async function sendText(text) {
  const body = { as: state.me, chat: state.chat, text, mentionBot: $('mention').checked, ...(state.replyTo ? { replyTo: state.replyTo } : {}) };
  await api('/console/api/send', body);
  setReplyTo('');
  if (state.chat === 'p2p' || $('mention').checked) expectReply();
}

function setupComposer() {
  const input = $('input');
  const coarse = matchMedia('(pointer: coarse)').matches;
  const grow = () => {
    input.style.height = 'auto';
    input.style.height = `${Math.min(input.scrollHeight, 180)}px`;
  };
  input.addEventListener('input', grow);
  input.addEventListener('keydown', (ev) => {
    // As in Lark: Enter sends, Shift+Enter starts a new line (on touch screens the button sends).
    if (ev.key === 'Enter' && !ev.shiftKey && !coarse && !ev.isComposing) {
      ev.preventDefault();
      $('composer').requestSubmit();
    }
  });
  $('composer').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    $('send').disabled = true;
    try {
      await sendText(text);
      input.value = '';
      grow();
    } catch {
      // the toast already says why
    } finally {
      $('send').disabled = false;
      input.focus();
    }
  });
  $('replying-cancel').addEventListener('click', () => setReplyTo(''));
  $('file').addEventListener('change', async () => {
    const file = $('file').files[0];
    $('file').value = '';
    if (!file) return;
    const q = new URLSearchParams({ as: state.me, chat: state.chat, name: file.name, ...(state.replyTo ? { replyTo: state.replyTo } : {}) });
    try {
      await api(`/console/api/file?${q}`, file);
      setReplyTo('');
      expectReply();
    } catch {
      // toast shown
    }
  });
  $('person').addEventListener('change', () => switchTo($('person').value));
}

function switchTo(openId) {
  setReplyTo('');
  state.me = openId;
  saveLocation();
  renderAll();
}

// ---- where we are: #as=ou_x&chat=group, remembered across reloads --------------------------------

function saveLocation() {
  const hash = `#as=${encodeURIComponent(state.me)}&chat=${state.chat}`;
  history.replaceState(null, '', hash);
  localStorage.setItem('gaojian-location', hash);
}

function restoreLocation() {
  const params = new URLSearchParams((location.hash || localStorage.getItem('gaojian-location') || '').slice(1));
  const as = params.get('as');
  state.me = as && person(as) ? as : (state.people.find((p) => p.roles.some((r) => r.designated)) || state.people[0] || {}).openId || '';
  state.chat = params.get('chat') === 'group' && state.group ? 'group' : 'p2p';
}

async function load() {
  const res = await apiGet('/console/api/state', { cache: 'no-store' });
  const data = await res.json().catch(() => ({}));
  if (!res.ok) {
    toast({ type: 'error', content: data.error || `读取失败（HTTP ${res.status}）` });
    throw new Error(data.error || String(res.status));
  }
  state.bot = data.bot;
  state.department = data.department;
  state.group = data.group;
  state.people = data.people;
  state.messages = new Map(data.messages.map((m) => [m.messageId, m]));
  if (!state.me || !person(state.me)) restoreLocation();
  renderAll();
}

window.addEventListener('hashchange', () => {
  const before = `${state.me}|${state.chat}`;
  restoreLocation();
  if (`${state.me}|${state.chat}` !== before) renderAll();
});

setupComposer();
load()
  .then(() => {
    restoreLocation();
    renderAll();
    connect();
    document.body.classList.add('ready');
  })
  .catch(() => toast({ type: 'error', content: '加载失败，请刷新页面' }));

