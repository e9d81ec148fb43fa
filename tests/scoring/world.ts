import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import {
  bulletinIssues,
  bulletinItems,
  bulletinItemSources,
  draftRevisions,
  drafts,
  publications,
  recognitions,
  topics,
  topicTargets,
  units,
  type Category,
  type RecognitionKind,
  type RecognitionStatus,
  type TopicOutcome,
} from '../../db/schema/index.js';
import { activePublications } from '../../domain/desk/publications.js';
import { importOrg } from '../../domain/roster/import-org.js';
import { parseOrgFile } from '../../domain/roster/org-file.js';
import type { Level } from '../../domain/scoring/types.js';

/** Three units (甲镇, 乙镇, 丙镇) so that splits by 2 and by 3 both occur. */
export const SCORING_ORG = `
department: 测试县委组织部
bulletin: 测试组工信息
group_chat_id: oc_test_group
editors: [{id: ou_ed, name: 编辑}]
leaders: [{id: ou_ld, name: 领导}]
units:
  - {name: 甲镇, reviewers: [{id: ou_ra, name: 甲委员}], officers: [{id: ou_oa, name: 甲信息}], designated_officer: ou_oa}
  - {name: 乙镇, reviewers: [{id: ou_rb, name: 乙委员}], officers: [{id: ou_ob, name: 乙信息}], designated_officer: ou_ob}
  - {name: 丙镇, reviewers: [{id: ou_rc, name: 丙委员}], officers: [{id: ou_oc, name: 丙信息}], designated_officer: ou_oc}
`;

export const OFFICER_OF: Record<string, string> = { 甲镇: 'ou_oa', 乙镇: 'ou_ob', 丙镇: 'ou_oc' };

/**
 * Rows for scoring tests, written straight into the tables: these tests are about the rule engine,
 * not about how the desk creates the rows.
 */
export class World {
  private seq = 0;
  /** The open issue of the main publication, then of the second (测试专报). */
  readonly issueIds: number[] = [];
  private position = 0;
  readonly unitIds = new Map<string, number>();

  constructor(readonly db: Db) {}

  /** With `issue: false` no issue is opened (tests of numbering open their own). */
  async init(o: { issue?: boolean } = {}) {
    await importOrg(this.db, parseOrgFile(SCORING_ORG), { actor: 'test', now: new Date('2026-01-01T00:00:00Z') });
    for (const u of await this.db.select().from(units)) this.unitIds.set(u.name, u.id);
    if (o.issue === false) return this;
    const [second] = await this.db.insert(publications).values({ name: '测试专报', sortOrder: 1 }).returning();
    for (const publicationId of [(await activePublications(this.db))[0]!.id, second!.id]) {
      const [issue] = await this.db
        .insert(bulletinIssues)
        .values({ publicationId, year: 2026, number: 1, status: 'open', openedAt: new Date('2026-01-01T00:00:00Z'), openedBy: 'ou_ed' })
        .returning();
      this.issueIds.push(issue!.id);
    }
    return this;
  }

  unit(name: string): number {
    const id = this.unitIds.get(name);
    if (id === undefined) throw new Error(`no unit ${name}`);
    return id;
  }

  async draft(unit: string, o: { title?: string; category?: Category; state?: 'approved' | 'adopted'; at?: string } = {}) {
    this.seq += 1;
    const at = new Date(o.at ?? '2026-01-02T00:00:00Z');
    const title = o.title ?? `稿件${this.seq}`;
    const [d] = await this.db
      .insert(drafts)
      .values({
        serial: `2026-${String(this.seq).padStart(4, '0')}`,
        year: 2026,
        seq: this.seq,
        unitId: this.unit(unit),
        authorOpenId: OFFICER_OF[unit]!,
        category: o.category ?? '组工信息',
        state: o.state ?? 'approved',
        title,
        submittedAt: at,
        updatedAt: at,
      })
      .returning();
    await this.db.insert(draftRevisions).values({ draftId: d!.id, revision: 1, title, body: `${title}的正文。`, charCount: 10, sourceType: 'text', createdAt: at });
    return d!;
  }

  /**
   * An item made of one draft per listed unit (merged when more than one), in the main publication's
   * issue unless `issue` names another of `issueIds`.
   */
  async item(unitNames: string[], adoptedAt: string, o: { title?: string; category?: Category; issue?: number } = {}) {
    const sources = [];
    for (const u of unitNames) sources.push(await this.draft(u, { state: 'adopted', category: o.category }));
    this.position += 1;
    const [item] = await this.db
      .insert(bulletinItems)
      .values({
        issueId: o.issue ?? this.issueIds[0]!,
        position: this.position,
        kind: unitNames.length > 1 ? 'merged' : 'single',
        category: o.category ?? '组工信息',
        title: o.title ?? sources[0]!.title,
        body: '正文',
        adoptedAt: new Date(adoptedAt),
        adoptedBy: 'ou_ed',
      })
      .returning();
    for (const s of sources) await this.db.insert(bulletinItemSources).values({ itemId: item!.id, draftId: s.id, unitId: s.unitId });
    return { item: item!, drafts: sources };
  }

  /** Puts an approved draft into the bulletin later (its recognitions then belong to the item). */
  async adoptExisting(draftId: number, adoptedAt: string) {
    const [d] = await this.db.update(drafts).set({ state: 'adopted' }).where(eq(drafts.id, draftId)).returning();
    this.position += 1;
    const [item] = await this.db
      .insert(bulletinItems)
      .values({ issueId: this.issueIds[0]!, position: this.position, kind: 'single', category: d!.category, title: d!.title, body: '正文', adoptedAt: new Date(adoptedAt), adoptedBy: 'ou_ed' })
      .returning();
    await this.db.insert(bulletinItemSources).values({ itemId: item!.id, draftId, unitId: d!.unitId });
    return item!;
  }

  async recognize(
    target: { itemId: number } | { draftId: number },
    kind: RecognitionKind,
    level: Level,
    occurredOn: string,
    o: { status?: RecognitionStatus; outlet?: string; wholeIssueId?: number } = {},
  ) {
    await this.db.insert(recognitions).values({
      ...('itemId' in target ? { itemId: target.itemId } : { draftId: target.draftId }),
      wholeIssueId: o.wholeIssueId ?? null,
      kind,
      level,
      outlet: o.outlet ?? null,
      occurredOn,
      status: o.status ?? 'confirmed',
      reportedBy: 'ou_ed',
      reportedAt: new Date(`${occurredOn}T12:00:00+08:00`),
    });
  }

  /** A settled topic for one unit with its recorded outcome (the topics feature's tables). */
  async topicOutcome(unit: string, outcome: TopicOutcome, deadline: Date, title = '乡村振兴') {
    const [topic] = await this.db
      .insert(topics)
      .values({ title, category: '组工信息', deadline, deadlineSetAt: new Date(deadline.getTime() - 7 * 86_400_000), allUnits: false, createdBy: 'ou_ed', createdAt: new Date(deadline.getTime() - 7 * 86_400_000), settledAt: deadline })
      .returning();
    await this.db.insert(topicTargets).values({ topicId: topic!.id, unitId: this.unit(unit), outcome, outcomeAt: deadline });
    return topic!;
  }
}
