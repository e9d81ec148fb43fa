// Card JSON 2.0 -> DOM, close enough to the Lark client to read and use every card the bot sends.
// ctx: { nameOf(openId), people(), act(input) -> Promise, confirm(title, text) -> Promise<boolean> }
import { renderChart } from './chart.js';
import { escapeHtml, renderInline, renderMarkdown } from './markdown.js';
import { colorValue, tint } from './palette.js';

const h = (tag, cls, text) => {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
};

const SPACING = { small: '4px', medium: '8px', large: '12px', extra_large: '16px' };
const spacing = (v, dflt) => (v === undefined ? dflt : SPACING[v] ?? (/^\d+px$/.test(String(v)) ? v : dflt));
const px = (v) => (typeof v === 'number' ? `${v}px` : /^-?\d+px( -?\d+px){0,3}$/.test(String(v || '')) ? v : undefined);

/** The text of a text object (`plain_text` or `lark_md`), as an element. */
function text(t, ctx, cls = 'txt') {
  const e = h('span', cls);
  if (!t) return e;
  if (typeof t === 'string') {
    e.textContent = t;
    return e;
  }
  const content = t.content ?? '';
  if (t.tag === 'lark_md' || t.tag === 'markdown') e.innerHTML = renderInline(content, ctx).replace(/\n/g, '<br>');
  else e.textContent = content;
  if (t.text_size) e.classList.add(`size-${t.text_size}`);
  if (t.text_align) e.style.textAlign = t.text_align;
  const color = colorValue(t.text_color);
  if (color) e.style.color = color;
  if (t.lines) {
    e.classList.add('clamp');
    e.style.webkitLineClamp = String(t.lines);
  }
  return e;
}

const plain = (t) => (t && typeof t === 'object' ? String(t.content ?? '') : t ? String(t) : '');

function callbackOf(el) {
  const b = Array.isArray(el.behaviors) ? el.behaviors.find((x) => x && x.type === 'callback') : undefined;
  if (b) return { value: b.value ?? {} };
  // 1.0-style `value` still appears in official 2.0 examples.
  if (el.value !== undefined && typeof el.value === 'object') return { value: el.value };
  return undefined;
}

function urlOf(el) {
  const b = Array.isArray(el.behaviors) ? el.behaviors.find((x) => x && x.type === 'open_url') : undefined;
  const u = (b && (b.default_url || b.pc_url)) || el.url || (el.multi_url && el.multi_url.url);
  return /^https?:\/\//.test(u || '') ? u : undefined;
}

const tzSuffix = () => {
  const off = -new Date().getTimezoneOffset();
  const a = Math.abs(off);
  return `${off >= 0 ? '+' : '-'}${String(Math.floor(a / 60)).padStart(2, '0')}${String(a % 60).padStart(2, '0')}`;
};

/** Runs an action with the control shown busy, and a confirm dialog first when the card asks. */
async function run(ctx, control, el, input) {
  if (el.confirm) {
    const ok = await ctx.confirm(plain(el.confirm.title), plain(el.confirm.text));
    if (!ok) return;
  }
  control.classList.add('busy');
  control.setAttribute('aria-busy', 'true');
  try {
    await ctx.act(input);
  } finally {
    control.classList.remove('busy');
    control.removeAttribute('aria-busy');
  }
}

// ---------------------------------------------------------------------------------------------
// Form: children register their value getters; one submit sends them all.

class FormScope {
  constructor(el, rerender) {
    this.el = el;
    this.fields = new Map();
    this.rerender = rerender;
    this.error = h('div', 'form-error');
    this.error.hidden = true;
  }
  add(name, field) {
    if (name) this.fields.set(name, field);
  }
  values() {
    const out = {};
    for (const [name, f] of this.fields) {
      const v = f.get();
      if (v !== undefined) out[name] = v;
    }
    return out;
  }
  missing() {
    const missing = [];
    for (const [name, f] of this.fields) {
      const empty = f.empty();
      f.mark(f.required && empty);
      if (f.required && empty) missing.push(name);
    }
    return missing;
  }
}

function field(control, scope, el, get, empty) {
  if (!scope) return;
  scope.add(el.name, { get, empty, required: Boolean(el.required), mark: (bad) => control.classList.toggle('invalid', bad) });
}

function labelled(el, control, ctx) {
  if (!el.label) return control;
  const wrap = h('label', `field label-${el.label_position === 'left' ? 'left' : 'top'}`);
  const l = text(el.label, ctx, 'field-label');
  if (el.required) l.classList.add('required');
  wrap.append(l, control);
  return wrap;
}

// ---------------------------------------------------------------------------------------------

const RENDERERS = {
  markdown(el, ctx) {
    const e = h('div', 'md');
    e.innerHTML = renderMarkdown(el.content ?? '', ctx);
    if (el.text_size) e.classList.add(`size-${el.text_size}`);
    if (el.text_align) e.style.textAlign = el.text_align;
    return e;
  },
  div(el, ctx) {
    const e = h('div', 'div');
    if (el.text) e.append(text(el.text, ctx));
    if (Array.isArray(el.fields)) {
      const grid = h('div', 'div-fields');
      for (const f of el.fields) {
        const c = text(f.text, ctx, 'div-field');
        if (f.is_short) c.classList.add('short');
        grid.append(c);
      }
      e.append(grid);
    }
    return e;
  },
  plain_text: (el, ctx) => text(el, ctx, 'txt block'),
  lark_md: (el, ctx) => text(el, ctx, 'txt block'),
  hr: () => h('hr', 'card-hr'),
  img(el, ctx) {
    const e = h('div', 'img-placeholder', '🖼 图片');
    const alt = plain(el.alt) || plain(el.title);
    if (alt) e.title = alt;
    if (el.title) e.append(text(el.title, ctx, 'img-title'));
    return e;
  },
  img_combination: () => h('div', 'img-placeholder', '🖼 多图'),
  audio: () => h('div', 'img-placeholder', '🔊 语音'),
  column_set(el, ctx, scope) {
    const e = h('div', `colset flex-${el.flex_mode || 'none'}`);
    e.style.gap = spacing(el.horizontal_spacing, '8px');
    if (el.horizontal_align) e.style.justifyContent = { left: 'flex-start', center: 'center', right: 'flex-end' }[el.horizontal_align] || '';
    const bg = tint(el.background_style, 0.9);
    if (bg) e.classList.add('has-bg'), (e.style.background = bg);
    for (const c of el.columns || []) e.append(renderElement(c, ctx, scope));
    const url = urlOf(el.action || {});
    if (url) e.classList.add('linked'), e.addEventListener('click', () => window.open(url, '_blank', 'noopener'));
    return e;
  },
  column(el, ctx, scope) {
    const e = h('div', 'col');
    if (el.width === 'weighted') e.style.flex = `${el.weight || 1} 1 0`;
    else if (px(el.width)) e.style.flex = `0 0 ${el.width}`;
    else e.classList.add('col-auto');
    e.style.gap = spacing(el.vertical_spacing, '8px');
    e.style.justifyContent = { center: 'center', bottom: 'flex-end' }[el.vertical_align] || 'flex-start';
    if (el.horizontal_align) e.style.alignItems = { left: 'flex-start', center: 'center', right: 'flex-end' }[el.horizontal_align];
    if (px(el.padding)) e.style.padding = px(el.padding);
    const bg = tint(el.background_style, 0.9);
    if (bg) e.classList.add('has-bg'), (e.style.background = bg);
    for (const c of el.elements || []) e.append(renderElement(c, ctx, scope));
    return e;
  },
  collapsible_panel(el, ctx, scope) {
    const e = h('details', 'panel');
    if (el.expanded) e.open = true;
    const summary = h('summary', 'panel-header');
    const title = el.header && el.header.title;
    if (title && title.tag === 'markdown') {
      const t = h('span', 'md inline');
      t.innerHTML = renderInline(title.content ?? '', ctx);
      summary.append(t);
    } else summary.append(text(title, ctx));
    const bg = tint(el.header && el.header.background_color, 0.9);
    if (bg) summary.style.background = bg;
    const body = h('div', 'panel-body');
    body.style.gap = spacing(el.vertical_spacing, '8px');
    for (const c of el.elements || []) body.append(renderElement(c, ctx, scope));
    e.append(summary, body);
    return e;
  },
  interactive_container(el, ctx, scope) {
    const e = h('div', 'icontainer');
    if (el.has_border) e.classList.add('bordered');
    const bg = tint(el.background_style, 0.9);
    if (bg) e.style.background = bg;
    e.style.gap = spacing(el.vertical_spacing, '4px');
    for (const c of el.elements || []) e.append(renderElement(c, ctx, scope));
    if (el.disabled) e.classList.add('disabled');
    else {
      const cb = callbackOf(el);
      const url = urlOf(el);
      if (cb || url) {
        e.classList.add('clickable');
        e.tabIndex = 0;
        e.addEventListener('click', (ev) => {
          // A button or select inside wins over the container.
          if (ev.target.closest('button, input, select, textarea, a, summary') !== null) return;
          if (url) window.open(url, '_blank', 'noopener');
          if (cb) run(ctx, e, el, { value: cb.value, tag: 'interactive_container', name: el.name });
        });
      }
    }
    if (el.hover_tips) e.title = plain(el.hover_tips);
    return e;
  },
  form(el, ctx) {
    const e = h('div', 'form');
    e.dataset.name = el.name || '';
    const build = () => {
      e.textContent = '';
      const scope = new FormScope(e, build);
      e.style.gap = spacing(el.vertical_spacing, '12px');
      for (const c of el.elements || []) e.append(renderElement(c, ctx, scope));
      e.append(scope.error);
    };
    build();
    return e;
  },
  button(el, ctx, scope) {
    const type = el.type || 'default';
    const b = h('button', `btn btn-${type} btn-${el.size || 'medium'}`);
    b.type = 'button';
    b.append(text(el.text, ctx, 'btn-text'));
    if (el.width === 'fill') b.classList.add('btn-fill');
    else if (px(el.width)) b.style.width = px(el.width);
    if (el.hover_tips) b.title = plain(el.hover_tips);
    if (el.disabled) {
      b.disabled = true;
      if (el.disabled_tips) b.title = plain(el.disabled_tips);
      return b;
    }
    const action = el.form_action_type || (el.action_type === 'form_submit' ? 'submit' : el.action_type === 'form_reset' ? 'reset' : undefined);
    b.addEventListener('click', async () => {
      if (b.classList.contains('busy')) return;
      if (scope && action === 'reset') return scope.rerender();
      if (scope && action === 'submit') {
        const missing = scope.missing();
        scope.error.hidden = missing.length === 0;
        scope.error.textContent = missing.length ? '有必填项未填写' : '';
        if (missing.length) return;
        const cb = callbackOf(el);
        return run(ctx, b, el, { value: cb ? cb.value : {}, tag: 'button', name: el.name, formValue: scope.values() });
      }
      const url = urlOf(el);
      if (url) window.open(url, '_blank', 'noopener');
      const cb = callbackOf(el);
      if (cb) await run(ctx, b, el, { value: cb.value, tag: 'button', name: el.name });
    });
    return b;
  },
  input(el, ctx, scope) {
    const multiline = el.input_type === 'multiline_text';
    const i = h(multiline ? 'textarea' : 'input', 'input');
    if (multiline) i.rows = el.rows || 5;
    else i.type = el.input_type === 'password' ? 'password' : 'text';
    if (el.name) i.name = el.name;
    i.placeholder = plain(el.placeholder);
    i.value = el.default_value ?? (typeof el.value === 'string' ? el.value : '');
    if (el.max_length) i.maxLength = el.max_length;
    if (el.disabled) i.disabled = true;
    if (px(el.width)) i.style.width = px(el.width);
    field(i, scope, el, () => i.value, () => !i.value.trim());
    const cb = callbackOf(el);
    if (!scope && cb && !multiline) {
      i.addEventListener('keydown', (ev) => {
        if (ev.key === 'Enter') run(ctx, i, el, { value: cb.value, tag: 'input', name: el.name, inputValue: i.value });
      });
    }
    return labelled(el, i, ctx);
  },
  select_static(el, ctx, scope) {
    const s = h('select', 'select');
    if (el.name) s.name = el.name;
    const ph = h('option', '', plain(el.placeholder) || '请选择');
    ph.value = '';
    s.append(ph);
    const options = el.options || [];
    for (const o of options) {
      const opt = h('option', '', plain(o.text) || o.value);
      opt.value = o.value;
      s.append(opt);
    }
    const initial = el.initial_option ?? (el.initial_index ? options[el.initial_index - 1]?.value : undefined);
    s.value = initial ?? '';
    if (el.disabled) s.disabled = true;
    if (el.width === 'fill') s.classList.add('fill');
    field(s, scope, el, () => s.value || undefined, () => !s.value);
    const cb = callbackOf(el);
    if (!scope && cb) s.addEventListener('change', () => run(ctx, s, el, { value: cb.value, tag: 'select_static', name: el.name, option: s.value }));
    return labelled(el, s, ctx);
  },
  multi_select_static(el, ctx, scope) {
    const box = h('div', 'multi');
    const chosen = new Set(el.selected_values || []);
    const ph = h('span', 'multi-ph', plain(el.placeholder) || '可多选');
    box.append(ph);
    for (const o of el.options || []) {
      const chip = h('button', 'chip');
      chip.type = 'button';
      chip.textContent = plain(o.text) || o.value;
      chip.setAttribute('aria-pressed', String(chosen.has(o.value)));
      if (el.disabled) chip.disabled = true;
      chip.addEventListener('click', () => {
        if (chosen.has(o.value)) chosen.delete(o.value);
        else chosen.add(o.value);
        chip.setAttribute('aria-pressed', String(chosen.has(o.value)));
      });
      box.append(chip);
    }
    field(box, scope, el, () => [...chosen], () => chosen.size === 0);
    return labelled(el, box, ctx);
  },
  select_person(el, ctx, scope) {
    const ids = (el.options || []).map((o) => o.value).filter(Boolean);
    const options = (ids.length ? ids : ctx.people().map((p) => p.openId)).map((id) => ({ value: id, text: { content: ctx.nameOf(id) || id } }));
    return RENDERERS.select_static({ ...el, options, initial_index: undefined }, ctx, scope);
  },
  multi_select_person(el, ctx, scope) {
    const ids = (el.options || []).map((o) => o.value).filter(Boolean);
    const options = (ids.length ? ids : ctx.people().map((p) => p.openId)).map((id) => ({ value: id, text: { content: ctx.nameOf(id) || id } }));
    return RENDERERS.multi_select_static({ ...el, options }, ctx, scope);
  },
  date_picker: (el, ctx, scope) => picker(el, ctx, scope, 'date', el.initial_date, (v) => `${v} ${tzSuffix()}`),
  picker_time: (el, ctx, scope) => picker(el, ctx, scope, 'time', el.initial_time, (v) => `${v} ${tzSuffix()}`),
  picker_datetime: (el, ctx, scope) =>
    picker(el, ctx, scope, 'datetime-local', el.initial_datetime && el.initial_datetime.replace(' ', 'T'), (v) => `${v.replace('T', ' ')} ${tzSuffix()}`),
  checker(el, ctx, scope) {
    const wrap = h('label', 'checker');
    const c = h('input');
    c.type = 'checkbox';
    c.checked = Boolean(el.checked);
    if (el.disabled) c.disabled = true;
    const t = text(el.text, ctx);
    wrap.append(c, t);
    const strike = () => el.checked_style && el.checked_style.show_strikethrough && t.classList.toggle('struck', c.checked);
    strike();
    field(wrap, scope, el, () => c.checked, () => false);
    const cb = callbackOf(el);
    c.addEventListener('change', () => {
      strike();
      if (!scope && cb) run(ctx, wrap, el, { value: cb.value, tag: 'checker', name: el.name, checked: c.checked });
    });
    return wrap;
  },
  overflow(el, ctx) {
    const wrap = h('div', 'overflow');
    const b = h('button', 'btn btn-text overflow-btn', '⋯');
    b.type = 'button';
    b.setAttribute('aria-label', '更多');
    const menu = h('div', 'overflow-menu');
    menu.hidden = true;
    const cb = callbackOf(el);
    for (const o of el.options || []) {
      const item = h('button', 'overflow-item', plain(o.text) || o.value);
      item.type = 'button';
      item.addEventListener('click', () => {
        menu.hidden = true;
        if (cb || o.value) run(ctx, wrap, el, { value: cb ? cb.value : {}, tag: 'overflow', option: o.value });
      });
      menu.append(item);
    }
    b.addEventListener('click', () => (menu.hidden = !menu.hidden));
    wrap.append(b, menu);
    return wrap;
  },
  person(el, ctx) {
    const name = ctx.nameOf(el.user_id) || el.user_id;
    const e = h('span', 'person');
    if (el.show_avatar !== false) e.append(avatar(name));
    if (el.show_name || el.show_avatar === false) e.append(h('span', '', name));
    e.title = name;
    return e;
  },
  person_list(el, ctx) {
    const e = h('div', 'person-list');
    for (const p of el.persons || []) {
      const name = ctx.nameOf(p.id) || p.id;
      const chip = h('span', 'person');
      if (el.show_avatar) chip.append(avatar(name));
      if (el.show_name !== false) chip.append(h('span', '', name));
      e.append(chip);
    }
    return e;
  },
  table: (el, ctx) => renderTable(el, ctx),
  chart: (el) => renderChart(el),
};

function picker(el, ctx, scope, type, initial, format) {
  const i = h('input', 'input picker');
  i.type = type;
  if (el.name) i.name = el.name;
  if (initial) i.value = initial;
  if (el.disabled) i.disabled = true;
  i.title = plain(el.placeholder);
  field(i, scope, el, () => (i.value ? format(i.value) : undefined), () => !i.value);
  const cb = callbackOf(el);
  if (!scope && cb) i.addEventListener('change', () => i.value && run(ctx, i, el, { value: cb.value, tag: el.tag, name: el.name, option: format(i.value) }));
  return labelled(el, i, ctx);
}

function avatar(name) {
  return h('span', 'avatar-mini', (name || '?').slice(0, 1));
}

// ---------------------------------------------------------------------------------------------

function cellHtml(col, v, ctx) {
  if (v === undefined || v === null || v === '') return '';
  switch (col.data_type) {
    case 'number': {
      const n = Number(v);
      if (Number.isNaN(n)) return escapeHtml(v);
      const f = col.format || {};
      let s = f.precision !== undefined ? n.toFixed(f.precision) : String(n);
      if (f.separator) s = s.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
      return escapeHtml((f.symbol || '') + s);
    }
    case 'lark_md':
    case 'markdown':
      return renderMarkdown(String(v), ctx);
    case 'options': {
      const list = Array.isArray(v) ? v : [{ text: v, color: 'neutral' }];
      return list
        .map((o) => (typeof o === 'object' ? o : { text: o, color: 'neutral' }))
        .map((o) => `<span class="tag tag-${/^[a-z]+$/.test(o.color || '') ? o.color : 'neutral'}">${escapeHtml(o.text)}</span>`)
        .join(' ');
    }
    case 'persons':
      return (Array.isArray(v) ? v : [v]).map((id) => `<span class="person">${escapeHtml(ctx.nameOf(id) || id)}</span>`).join(' ');
    case 'date': {
      const d = new Date(Number(v));
      if (Number.isNaN(d.getTime())) return escapeHtml(v);
      const p = (n) => String(n).padStart(2, '0');
      const fmt = col.date_format || 'YYYY/MM/DD';
      return escapeHtml(
        fmt
          .replace('YYYY', d.getFullYear())
          .replace('MM', p(d.getMonth() + 1))
          .replace('DD', p(d.getDate()))
          .replace('HH', p(d.getHours()))
          .replace('mm', p(d.getMinutes()))
          .replace('ss', p(d.getSeconds())),
      );
    }
    default:
      return escapeHtml(v);
  }
}

function renderTable(el, ctx) {
  const wrap = h('div', 'table-wrap');
  const cols = el.columns || [];
  const rows = el.rows || [];
  const pageSize = Math.min(Math.max(el.page_size || 5, 1), 10);
  const pages = Math.max(1, Math.ceil(rows.length / pageSize));
  const hs = el.header_style || {};
  let page = 0;
  const table = h('table', 'card-table');
  const nav = h('div', 'table-nav');
  const draw = () => {
    const head = cols
      .map((c) => {
        const align = c.horizontal_align || (c.data_type === 'number' ? 'right' : hs.text_align || 'left');
        const style = `text-align:${align};${px(c.width) ? `width:${c.width};` : ''}`;
        return `<th style="${style}">${escapeHtml(c.display_name ?? c.name)}</th>`;
      })
      .join('');
    const body = rows
      .slice(page * pageSize, page * pageSize + pageSize)
      .map(
        (r) =>
          `<tr>${cols
            .map((c) => `<td style="text-align:${c.horizontal_align || (c.data_type === 'number' ? 'right' : 'left')}">${cellHtml(c, r[c.name], ctx)}</td>`)
            .join('')}</tr>`,
      )
      .join('');
    table.innerHTML = `<thead class="${hs.background_style === 'none' ? '' : 'grey'}${hs.bold === false ? '' : ' bold'}"><tr>${head}</tr></thead><tbody>${body}</tbody>`;
    if (el.freeze_first_column) table.classList.add('freeze');
    nav.hidden = pages <= 1;
    nav.textContent = '';
    const prev = h('button', 'btn btn-text btn-small', '‹');
    const next = h('button', 'btn btn-text btn-small', '›');
    prev.type = next.type = 'button';
    prev.disabled = page === 0;
    next.disabled = page >= pages - 1;
    prev.addEventListener('click', () => ((page = Math.max(0, page - 1)), draw()));
    next.addEventListener('click', () => ((page = Math.min(pages - 1, page + 1)), draw()));
    nav.append(prev, h('span', '', `${page + 1} / ${pages}`), next);
  };
  draw();
  const scroller = h('div', 'table-scroll');
  scroller.append(table);
  wrap.append(scroller, nav);
  return wrap;
}

// ---------------------------------------------------------------------------------------------

export function renderElement(el, ctx, scope = null) {
  if (!el || typeof el !== 'object') return h('span');
  const r = RENDERERS[el.tag];
  const e = r ? r(el, ctx, scope) : h('div', 'unsupported', `［暂不支持显示的组件：${el.tag}］`);
  e.classList.add(`el-${el.tag}`);
  if (el.element_id) e.dataset.elementId = el.element_id;
  const m = px(el.margin);
  if (m) e.style.margin = m;
  return e;
}

function renderHeader(header, ctx) {
  const e = h('div', `card-header tpl-${header.template || 'default'}`);
  const bg = tint(header.template, 0.86);
  if (bg) e.style.background = `linear-gradient(180deg, ${bg}, ${tint(header.template, 0.93)})`;
  const titleRow = h('div', 'card-title-row');
  const title = text(header.title, ctx, 'card-title');
  titleRow.append(title);
  const tags = Array.isArray(header.text_tag_list) ? header.text_tag_list.slice(0, 3) : [];
  for (const t of tags) {
    const color = /^[a-z]+$/.test(t.color || '') ? t.color : 'blue';
    titleRow.append(h('span', `tag tag-${color}`, plain(t.text)));
  }
  e.append(titleRow);
  if (header.subtitle && plain(header.subtitle)) e.append(text(header.subtitle, ctx, 'card-subtitle'));
  return e;
}

/** A whole card message. */
export function renderCard(card, ctx) {
  const e = h('div', 'card');
  if (!card || typeof card !== 'object') {
    e.append(h('div', 'unsupported', '［无法显示的卡片］'));
    return e;
  }
  const width = card.config && card.config.width_mode;
  e.classList.add(`width-${width || 'default'}`);
  if (card.header) e.append(renderHeader(card.header, ctx));
  const body = card.body || { elements: card.elements || [] };
  const b = h('div', 'card-body');
  if (body.direction === 'horizontal') b.classList.add('horizontal');
  b.style.gap = spacing(body.vertical_spacing, '12px');
  if (px(body.padding)) b.style.padding = px(body.padding);
  for (const el of body.elements || []) b.append(renderElement(el, ctx));
  e.append(b);
  return e;
}
