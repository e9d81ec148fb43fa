/** A topic's short number for commands and cards: T12 is topic id 12. */
export function topicCode(id: number): string {
  return `T${id}`;
}

/** Reads `T12`, `t12` or `Ｔ１２` (full-width, as Chinese input methods type it); undefined otherwise. */
export function parseTopicCode(text: string): number | undefined {
  const ascii = text.trim().replace(/[Ｔｔ０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
  const m = /^[Tt](\d{1,9})$/.exec(ascii);
  return m ? Number(m[1]) : undefined;
}
