import type { Db } from '../../db/client.js';
import {
  publications,
  bulletinIssues,
  bulletinItems,
  bulletinItemSources,
  drafts,
  people,
  recognitions,
  units,
  type Category,
  type DraftState,
  type RecognitionKind,
} from '../../db/schema/index.js';
import type { Level } from '../../domain/scoring/types.js';

/**
 * A hand-written history for ranking tests, inserted straight into the tables (the ranking reads
 * them; how the desk writes them is the desk's tests' business). Times are local (+08:00).
 */
export class History {
  private seq = 0;
  private issueNumber = 0;
  private position = 0;
  private publicationId: number | undefined;

  constructor(readonly db: Db) {}

  /** The one publication the history's issues belong to, made on first use. */
  private async publication(): Promise<number> {
    if (this.publicationId === undefined) {
      const [p] = await this.db.insert(publications).values({ name: '测试组工信息' }).returning({ id: publications.id });
      this.publicationId = p!.id;
    }
    return this.publicationId;
  }

  async unit(name: string, o: { createdAt?: string; active?: boolean; sortOrder?: number } = {}): Promise<number> {
    const [u] = await this.db
      .insert(units)
      .values({ name, active: o.active ?? true, sortOrder: o.sortOrder ?? 0, createdAt: new Date(o.createdAt ?? '2026-01-01T00:00:00+08:00') })
      .returning({ id: units.id });
    return u!.id;
  }

  async person(openId: string, name: string) {
    await this.db.insert(people).values({ openId, name }).onConflictDoNothing();
  }

  async draft(
    unitId: number,
    author: string,
    submittedAt: string,
    o: { state?: DraftState; category?: Category; title?: string; topicId?: number } = {},
  ): Promise<number> {
    this.seq += 1;
    const at = new Date(submittedAt);
    const [d] = await this.db
      .insert(drafts)
      .values({
        serial: `2026-${String(this.seq).padStart(4, '0')}`,
        year: 2026,
        seq: this.seq,
        unitId,
        authorOpenId: author,
        category: o.category ?? '组工信息',
        state: o.state ?? 'pending_review',
        topicId: o.topicId ?? null,
        title: o.title ?? `稿件${this.seq}`,
        submittedAt: at,
        updatedAt: at,
      })
      .returning({ id: drafts.id });
    return d!.id;
  }

  /** Adopts drafts into a new published issue as one item (merged when several). */
  async adopt(sources: { draftId: number; unitId: number }[], adoptedAt: string, category: Category = '组工信息'): Promise<number> {
    this.issueNumber += 1;
    this.position += 1;
    const at = new Date(adoptedAt);
    const [issue] = await this.db
      .insert(bulletinIssues)
      .values({ publicationId: await this.publication(), year: 2026, number: this.issueNumber, status: 'published', openedAt: at, openedBy: 'ou_editor1', publishedAt: at, publishedBy: 'ou_editor1' })
      .returning({ id: bulletinIssues.id });
    const [item] = await this.db
      .insert(bulletinItems)
      .values({
        issueId: issue!.id,
        position: this.position,
        kind: sources.length > 1 ? 'merged' : 'single',
        category,
        title: `条目${this.position}`,
        body: '正文',
        adoptedAt: at,
        adoptedBy: 'ou_editor1',
      })
      .returning({ id: bulletinItems.id });
    for (const s of sources) await this.db.insert(bulletinItemSources).values({ itemId: item!.id, ...s });
    return item!.id;
  }

  async recognize(itemId: number, kind: RecognitionKind, level: Level, occurredOn: string) {
    await this.db.insert(recognitions).values({
      itemId,
      kind,
      level,
      occurredOn,
      status: 'confirmed',
      reportedBy: 'ou_editor1',
      reportedAt: new Date(`${occurredOn}T12:00:00+08:00`),
    });
  }
}
