/**
 * Typed builders for the Card JSON 2.0 parts the bot uses. Only properties listed in
 * card-v2-whitelist.json appear here: Feishu rejects unknown properties in 2.0 cards.
 */

export type HeaderTemplate =
  | 'blue' | 'wathet' | 'turquoise' | 'green' | 'yellow' | 'orange' | 'red' | 'carmine' | 'violet' | 'purple' | 'indigo' | 'grey' | 'default';

export type Element = Record<string, unknown> & { tag: string };

export type Card = {
  schema: '2.0';
  config: { update_multi: true; summary?: { content: string }; width_mode?: 'default' | 'compact' | 'fill' };
  header?: Record<string, unknown>;
  body: { elements: Element[] };
};

export function card(opts: {
  title: string;
  subtitle?: string;
  template?: HeaderTemplate;
  tags?: { text: string; color: string }[];
  summary?: string;
  elements: (Element | false | null | undefined)[];
}): Card {
  const header: Record<string, unknown> = {
    title: { tag: 'plain_text', content: opts.title },
    template: opts.template ?? 'blue',
  };
  if (opts.subtitle) header.subtitle = { tag: 'plain_text', content: opts.subtitle };
  if (opts.tags?.length) {
    header.text_tag_list = opts.tags.map((t) => ({
      tag: 'text_tag',
      text: { tag: 'plain_text', content: t.text },
      color: t.color,
    }));
  }
  return {
    schema: '2.0',
    // 2.0 cards are always shared; patching requires saying so explicitly on every version.
    config: { update_multi: true, ...(opts.summary ? { summary: { content: opts.summary } } : {}) },
    header,
    body: { elements: opts.elements.filter((e): e is Element => Boolean(e)) },
  };
}

export const markdown = (content: string, extra: Record<string, unknown> = {}): Element => ({
  tag: 'markdown',
  content,
  ...extra,
});

export const hr = (): Element => ({ tag: 'hr' });

/** Grey small print, the 2.0 replacement for the removed `note` component. */
export const note = (content: string): Element => ({
  tag: 'markdown',
  content,
  text_size: 'notation',
});

/** Label/value pairs laid out two per row. */
export function fields(pairs: [label: string, value: string][]): Element {
  const cell = (pair: [string, string] | undefined): Element => ({
    tag: 'column',
    width: 'weighted',
    weight: 1,
    elements: pair ? [markdown(`**${pair[0]}**\n${escapeMd(pair[1])}`)] : [],
  });
  const rows: Element[] = [];
  for (let i = 0; i < pairs.length; i += 2) {
    rows.push({
      tag: 'column_set',
      flex_mode: 'none',
      horizontal_spacing: '8px',
      columns: [cell(pairs[i]), cell(pairs[i + 1])],
    });
  }
  return rows.length === 1 ? rows[0]! : { tag: 'column_set', flex_mode: 'none', columns: [{ tag: 'column', width: 'weighted', weight: 1, elements: rows }] };
}

export type ButtonType = 'default' | 'primary' | 'danger' | 'primary_filled' | 'danger_filled' | 'text' | 'primary_text';

/** A button whose tap calls back with `value` (an action id plus its arguments). */
export function button(opts: {
  text: string;
  value: Record<string, unknown>;
  type?: ButtonType;
  confirm?: { title: string; text: string };
  disabled?: boolean;
  width?: 'default' | 'fill';
}): Element {
  const el: Element = {
    tag: 'button',
    text: { tag: 'plain_text', content: opts.text },
    type: opts.type ?? 'default',
    behaviors: [{ type: 'callback', value: opts.value }],
  };
  if (opts.confirm) {
    el.confirm = {
      title: { tag: 'plain_text', content: opts.confirm.title },
      text: { tag: 'plain_text', content: opts.confirm.text },
    };
  }
  if (opts.disabled) el.disabled = true;
  if (opts.width) el.width = opts.width;
  return el;
}

/** A form's submit button: one callback carries every field's value in `form_value`. */
export function submitButton(opts: { name: string; text: string; value: Record<string, unknown>; type?: ButtonType }): Element {
  return {
    tag: 'button',
    name: opts.name,
    form_action_type: 'submit',
    text: { tag: 'plain_text', content: opts.text },
    type: opts.type ?? 'primary',
    behaviors: [{ type: 'callback', value: opts.value }],
  };
}

/** Buttons side by side. */
export function buttonRow(buttons: (Element | false | null | undefined)[]): Element {
  const present = buttons.filter((b): b is Element => Boolean(b));
  return {
    tag: 'column_set',
    flex_mode: 'flow',
    horizontal_spacing: '8px',
    columns: present.map((b) => ({ tag: 'column', width: 'auto', elements: [b] })),
  };
}

/** A list row: text on the left, one action button on the right (待审, 发送失败记录 and the like). */
export function listRow(text: string, action: Element): Element {
  return {
    tag: 'column_set',
    flex_mode: 'none',
    horizontal_spacing: '8px',
    columns: [
      { tag: 'column', width: 'weighted', weight: 3, vertical_align: 'center', elements: [markdown(text)] },
      { tag: 'column', width: 'auto', vertical_align: 'center', elements: [action] },
    ],
  };
}

export function form(name: string, elements: Element[]): Element {
  return { tag: 'form', name, elements };
}

export function input(opts: {
  name: string;
  placeholder: string;
  required?: boolean;
  multiline?: boolean;
  maxLength?: number;
  defaultValue?: string;
  label?: string;
}): Element {
  const el: Element = {
    tag: 'input',
    name: opts.name,
    placeholder: { tag: 'plain_text', content: opts.placeholder },
  };
  if (opts.required) el.required = true;
  if (opts.multiline) {
    el.input_type = 'multiline_text';
    el.rows = 3;
  }
  if (opts.maxLength) el.max_length = opts.maxLength;
  if (opts.defaultValue) el.default_value = opts.defaultValue;
  if (opts.label) {
    el.label = { tag: 'plain_text', content: opts.label };
    el.label_position = 'top';
  }
  return el;
}

export function selectStatic(opts: {
  name: string;
  options: { text: string; value: string }[];
  initial?: string;
  placeholder?: string;
  required?: boolean;
  width?: 'default' | 'fill';
  /** Outside a form: the callback value sent (with the chosen option) as soon as a choice is made. */
  value?: Record<string, unknown>;
}): Element {
  const el: Element = {
    tag: 'select_static',
    name: opts.name,
    options: opts.options.map((o) => ({ text: { tag: 'plain_text', content: o.text }, value: o.value })),
  };
  if (opts.initial !== undefined) el.initial_option = opts.initial;
  if (opts.placeholder) el.placeholder = { tag: 'plain_text', content: opts.placeholder };
  if (opts.required) el.required = true;
  if (opts.width) el.width = opts.width;
  if (opts.value) el.behaviors = [{ type: 'callback', value: opts.value }];
  return el;
}

export function collapsible(title: string, elements: Element[], expanded = false): Element {
  return {
    tag: 'collapsible_panel',
    expanded,
    header: { title: { tag: 'markdown', content: title } },
    elements,
  };
}

/** Markdown special characters in user text would restyle it (or break a card); show them literally. */
export function escapeMd(text: string): string {
  // CommonMark backslash escapes; only the characters that start styling, links, tags or headings.
  return text.replace(/([\\`*_\[\]<>~|])/g, '\\$1').replace(/^(\s*)([#>+-])/gm, '$1\\$2');
}

/** Byte size of a card as Lark counts it: the UTF-8 JSON string sent as `content`. */
export function cardBytes(c: Card): number {
  return Buffer.byteLength(JSON.stringify(c), 'utf8');
}

/** Lark refuses cards over 30 KB; the bot's own budget leaves headroom. */
export const CARD_BUDGET_BYTES = 28 * 1024;

/** Cuts text to at most `max` characters, marking the cut. */
export function excerpt(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : chars.slice(0, max).join('') + '…';
}
