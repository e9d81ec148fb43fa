// Toasts and the confirm dialog: what the Lark client shows around a card action.

const ICONS = { success: '✓', error: '✕', warning: '!', info: 'i' };

export function toast(t) {
  if (!t || !t.content) return;
  const type = ['success', 'error', 'warning', 'info'].includes(t.type) ? t.type : 'info';
  const e = document.createElement('div');
  e.className = `toast toast-${type}`;
  e.setAttribute('role', type === 'error' ? 'alert' : 'status');
  const icon = document.createElement('span');
  icon.className = 'toast-icon';
  icon.textContent = ICONS[type];
  const text = document.createElement('span');
  text.textContent = t.content;
  e.append(icon, text);
  document.getElementById('toasts').append(e);
  setTimeout(() => e.classList.add('leaving'), 3200);
  setTimeout(() => e.remove(), 3600);
}

export function confirmDialog(title, text) {
  const modal = document.getElementById('modal');
  document.getElementById('modal-title').textContent = title || '确认';
  document.getElementById('modal-text').textContent = text || '';
  modal.hidden = false;
  const ok = document.getElementById('modal-ok');
  ok.focus();
  return new Promise((resolve) => {
    const done = (value) => {
      modal.hidden = true;
      ok.onclick = null;
      document.getElementById('modal-cancel').onclick = null;
      resolve(value);
    };
    ok.onclick = () => done(true);
    document.getElementById('modal-cancel').onclick = () => done(false);
  });
}

/** The console API's per-start token, handed to this page by the server that served it. */
export function consoleToken() {
  return document.querySelector('meta[name="console-token"]')?.getAttribute('content') || '';
}

/** A console API address for a plain GET (an event stream, a download link): the token in the query. */
export function withToken(path) {
  return `${path}${path.includes('?') ? '&' : '?'}token=${encodeURIComponent(consoleToken())}`;
}

/** GET from the console API with the token. */
export function apiGet(path, init = {}) {
  return fetch(path, { ...init, headers: { 'X-Console-Token': consoleToken() } });
}

/** POST JSON (or bytes) to the console API; failures become an error toast and a rejected promise. */
export async function api(path, body, init = {}) {
  let res;
  try {
    res = await fetch(path, {
      method: 'POST',
      headers: {
        'Content-Type': body instanceof Blob ? 'application/octet-stream' : 'application/json',
        'X-Console-Token': consoleToken(),
      },
      body: body instanceof Blob ? body : JSON.stringify(body),
      ...init,
    });
  } catch {
    toast({ type: 'error', content: '连接不上本地机器人，请确认 npm start 仍在运行' });
    throw new Error('network');
  }
  const data = await res.json().catch(() => ({}));
  if (!res.ok || data.ok === false) {
    toast({ type: 'error', content: data.error || `请求失败（HTTP ${res.status}）` });
    throw new Error(data.error || String(res.status));
  }
  return data;
}
