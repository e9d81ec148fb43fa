import { afterEach, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { draftCandidates, inboxEvents } from '../../db/schema/index.js';
import { GENERIC_FAILURE } from '../../bot/errors.js';
import { cardText, Harness, P } from '../helpers/harness.js';
import { sampleDraft } from './flow.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('draft text stays out of error logs and last_error', () => {
  it('a database error while a draft is written logs the query and the constraint, not the draft', async () => {
    h = await Harness.start();
    // A constraint the insert breaks: PostgreSQL's error detail repeats the whole row, and drizzle's
    // error message lists every parameter.
    await h.db.db.execute(sql`alter table draft_candidates add constraint body_too_long_for_test check (length(body) < 10)`);
    const draft = sampleDraft();
    const res = await h.sendText(P.officer1, draft.text);
    expect(res.status).toBe(200);
    await h.settle();

    const [row] = await h.db.db.select().from(inboxEvents).where(eq(inboxEvents.key, `msg:${res.messageId}`));
    expect(row!.status).toBe('failed');
    expect(row!.attempts).toBe(3);
    expect(row!.lastError).toContain('insert into "draft_candidates"');
    expect(row!.lastError).toContain('body_too_long_for_test');
    const errors = h.logLines(50);
    expect(errors.length).toBeGreaterThanOrEqual(3);
    expect(JSON.stringify(errors)).toContain('body_too_long_for_test');
    const fragments = [draft.title, '三抓三促', '一千二百余人次', '便民服务窗口'];
    for (const f of fragments) {
      expect(row!.lastError).not.toContain(f);
      expect(JSON.stringify(h.logLines(30))).not.toContain(f);
    }
    expect(h.textsTo(P.officer1).at(-1)).toBe(GENERIC_FAILURE);
  }, 60_000);

  it('a message containing NUL and a lone surrogate is stored and handled, not refused on every retry', async () => {
    h = await Harness.start();
    const draft = sampleDraft();
    const text = draft.text.replace('今年以来', '今年\u0000以来').replace('城关镇党委', '城关镇\ud800党委');
    const res = await h.sendText(P.officer1, text);
    expect(res.status).toBe(200);
    await h.settle();
    const [row] = await h.db.db.select().from(inboxEvents).where(eq(inboxEvents.key, `msg:${res.messageId}`));
    expect(row!.status).toBe('done');
    const [candidate] = await h.db.db.select().from(draftCandidates);
    expect(candidate!.body).toContain('今年以来，城关镇\ufffd党委');
    expect(cardText(h.lastCardTo(P.officer1).content)).toContain(draft.title);
  }, 60_000);
});
