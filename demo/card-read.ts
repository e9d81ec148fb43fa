/** Reading cards the way a person does: their text, their buttons, the options of a select. */

export type Button = { text: string; value: Record<string, unknown>; name?: string };

type Obj = Record<string, unknown>;

/** Every markdown and plain text on a card, in reading order. */
export function cardPlainText(card: unknown): string {
  const out: string[] = [];
  walk(card, (o) => {
    if ((o.tag === 'markdown' || o.tag === 'plain_text' || o.tag === 'lark_md') && typeof o.content === 'string') out.push(o.content);
  });
  return out.join('\n');
}

/** Enabled buttons with a callback, in reading order. */
export function buttonsOf(card: unknown): Button[] {
  return buttonsWithContext(card).map((b) => b.button);
}

/**
 * The button with this text that follows the latest text mentioning `near` (a list card repeats
 * the same buttons under each row).
 */
export function buttonNear(card: unknown, text: string, near: string): Button | undefined {
  return buttonsWithContext(card).find((b) => b.button.text === text && b.before.includes(near))?.button;
}

/** The value of the option whose text includes `label`, in the select named `name`. */
export function optionValue(card: unknown, name: string, label: string): string | undefined {
  let found: string | undefined;
  walk(card, (o) => {
    if (found || o.tag !== 'select_static' || o.name !== name || !Array.isArray(o.options)) return;
    const opt = (o.options as { text?: { content?: string }; value: string }[]).find((x) => x.text?.content?.includes(label));
    if (opt) found = opt.value;
  });
  return found;
}

function buttonsWithContext(card: unknown): { button: Button; before: string }[] {
  const out: { button: Button; before: string }[] = [];
  let lastText = '';
  walk(card, (o) => {
    if (o.tag === 'markdown' && typeof o.content === 'string') lastText = o.content;
    if (o.tag !== 'button' || o.disabled) return;
    const cb = (o.behaviors as { type: string; value: Obj }[] | undefined)?.find((b) => b.type === 'callback');
    if (!cb) return;
    const text = (o.text as { content?: string } | undefined)?.content ?? '';
    out.push({ button: { text, value: cb.value, ...(o.name ? { name: String(o.name) } : {}) }, before: lastText });
  });
  return out;
}

function walk(v: unknown, visit: (o: Obj) => void): void {
  if (Array.isArray(v)) return v.forEach((x) => walk(x, visit));
  if (!v || typeof v !== 'object') return;
  const o = v as Obj;
  visit(o);
  for (const [k, val] of Object.entries(o)) if (k !== 'behaviors') walk(val, visit);
}
