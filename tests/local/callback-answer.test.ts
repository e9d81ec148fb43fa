import { describe, expect, it } from 'vitest';
import { interpretAnswer } from '../../emulator/console/callback-answer.js';

const card = { schema: '2.0', config: { update_multi: true }, body: { elements: [{ tag: 'markdown', content: '已通过' }] } };

/** What the Lark client makes of a callback's answer. */
describe('interpretAnswer', () => {
  it('shows the toast and swaps in a raw card', () => {
    expect(interpretAnswer({ toast: { type: 'success', content: '已通过' }, card: { type: 'raw', data: card } })).toEqual({
      toast: { type: 'success', content: '已通过' },
      card,
    });
    expect(interpretAnswer({})).toEqual({});
  });

  it('refuses a bare card, as the client does (200672), instead of applying it', () => {
    const r = interpretAnswer({ card: card as never });
    expect(r.card).toBeUndefined();
    expect(r.toast).toMatchObject({ type: 'error' });
    expect(r.toast!.content).toContain('200672');
  });

  it('refuses an invalid or oversized card, and a 1.0 card in answer to a 2.0 one', () => {
    const bad = interpretAnswer({ card: { type: 'raw', data: { schema: '2.0', body: { elements: [{ tag: 'note', elements: [] }] } } } });
    expect(bad.toast!.content).toContain('200673');
    const big = interpretAnswer({ card: { type: 'raw', data: { ...card, body: { elements: [{ tag: 'markdown', content: 'x'.repeat(31_000) }] } } } });
    expect(big.toast!.content).toContain('30 KB');
    const old = interpretAnswer({ card: { type: 'raw', data: { elements: [{ tag: 'markdown', content: 'x' }] } } });
    expect(old.card).toBeUndefined();
    expect(old.toast!.type).toBe('error');
  });
});
