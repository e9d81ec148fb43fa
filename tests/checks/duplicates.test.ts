import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../db/client.js';
import { revisionBands, revisionSignatures } from '../../db/schema/index.js';
import { runChecks } from '../../domain/checks/run-checks.js';
import { BANDS, jaccard, shingleSet } from '../../domain/checks/minhash.js';
import { createTestDb } from '../helpers/test-db.js';
import { archiveDraft, NOW, seedOrg } from './archive.js';

const ORIGINAL = [
  '今年以来，城关镇党委坚持以习近平新时代中国特色社会主义思想为指导，聚焦党员教育管理中的薄弱环节，创新推行“积分制”管理，推动党员教育从“大水漫灌”向“精准滴灌”转变。',
  '一是建立积分台账。城关镇为全镇1860名党员逐一建立积分台账，把参加组织生活、志愿服务、结对帮扶等12项内容纳入积分，每月公示、每季度讲评。',
  '二是丰富学习载体。依托新时代文明实践站和村级党群服务中心，开设“田间课堂”“板凳课堂”36个，组织老党员、致富带头人现身说法，累计开展学习216场次。',
  '三是强化结果运用。把积分结果作为评选优秀党员、推荐发展对象的重要依据，对积分靠后的党员由支部书记谈心谈话，帮助查找差距、改进提高。',
];

/** Another unit's officer took the text, changed the unit name and a few numbers, and reworded a phrase. */
const LIGHTLY_EDITED = ORIGINAL.map((p) =>
  p
    .replaceAll('城关镇', '东街街道')
    .replace('1860名', '1420名')
    .replace('36个', '28个')
    .replace('累计开展学习216场次', '全年开展学习190余场次'),
);

/** Same theme, same stock phrases, written independently. */
const SAME_THEME = [
  '东街街道党工委坚持以习近平新时代中国特色社会主义思想为指导，围绕提升党员教育质效，探索“线上+线下”融合学习模式。',
  '街道依托“学习强国”平台和社区党群服务中心，每周推送学习专题，组织党员开展线上答题和线下研讨，参学率达到95%以上。',
  '同时，街道选派党校教师和社区党组织书记组成宣讲小分队，深入小区楼栋开展“微宣讲”，把党的创新理论讲到群众身边。',
  '下一步，东街街道将持续完善党员学习教育制度，推动党员在基层治理和服务群众中发挥先锋模范作用。',
];

let db: DbHandle;
let units: { chengguan: number; dongjie: number };
beforeEach(async () => {
  db = await createTestDb();
  units = await seedOrg(db.db);
});
afterEach(async () => db.close());

const duplicatesOf = async (paragraphs: string[], unitId: number, draftId?: number) =>
  (await runChecks(db.db, { title: '标题', paragraphs, category: '组工信息', unitId, draftId, now: NOW })).filter((f) => f.kind === 'duplicate');

describe('near-duplicates of earlier drafts', () => {
  it('the texts used here are what they claim: the edit is light, the same-theme text unrelated', () => {
    const a = shingleSet(ORIGINAL.join('\n'));
    expect(jaccard(a, shingleSet(LIGHTLY_EDITED.join('\n'))).jaccard).toBeGreaterThan(0.6);
    expect(jaccard(a, shingleSet(SAME_THEME.join('\n'))).jaccard).toBeLessThan(0.1);
  });

  it('find a lightly edited copy sent by another unit, with the serial, unit and similarity of the original', async () => {
    const original = await archiveDraft(db.db, { unitId: units.chengguan, paragraphs: ORIGINAL });
    await archiveDraft(db.db, { unitId: units.chengguan, paragraphs: SAME_THEME.map((p) => p.replaceAll('东街街道', '城关镇')) });
    const found = await duplicatesOf(LIGHTLY_EDITED, units.dongjie);
    const expected = jaccard(shingleSet(ORIGINAL.join('\n')), shingleSet(LIGHTLY_EDITED.join('\n'))).jaccard;
    expect(found).toEqual([
      {
        kind: 'duplicate',
        message: '与其他单位提交的稿件内容高度相似，疑似多个单位提交同一稿件。',
        other: { serial: original.serial, unit: '城关镇', similarity: Math.round(expected * 100) / 100 },
      },
    ]);
  });

  it('ignore an unrelated text on the same theme', async () => {
    await archiveDraft(db.db, { unitId: units.chengguan, paragraphs: ORIGINAL });
    expect(await duplicatesOf(SAME_THEME, units.dongjie)).toEqual([]);
  });

  it('tell the same unit re-sending apart, and never report a draft against its own earlier revisions', async () => {
    const first = await archiveDraft(db.db, { unitId: units.chengguan, paragraphs: ORIGINAL });
    expect(await duplicatesOf(ORIGINAL, units.chengguan, first.id)).toEqual([]);
    const found = await duplicatesOf(ORIGINAL, units.chengguan);
    expect(found).toEqual([{ kind: 'duplicate', message: '与本单位此前提交的稿件内容高度相似，疑似重复提交。', other: { serial: first.serial, unit: '城关镇', similarity: 1 } }]);
  });

  it('find text copied from an adopted item inside a longer draft', async () => {
    const adopted = await archiveDraft(db.db, { unitId: units.chengguan, paragraphs: ORIGINAL.slice(0, 3), state: 'adopted' });
    const longer = [...SAME_THEME, ...ORIGINAL.slice(0, 3).map((p) => p.replaceAll('城关镇', '东街街道'))];
    const [found] = await duplicatesOf(longer, units.dongjie);
    expect(found).toMatchObject({ kind: 'duplicate', message: '与已采用稿件大段内容相同，疑似照搬已采用的信息。', other: { serial: adopted.serial, unit: '城关镇' } });
    expect(found!.other!.similarity).toBeGreaterThanOrEqual(0.8);
  });

  it('find an earlier draft copied into a small part of a long text', async () => {
    const original = await archiveDraft(db.db, { unitId: units.chengguan, paragraphs: ORIGINAL });
    // About 4,000 characters of other text around the copy: the whole texts are far apart (Jaccard < 0.2).
    let seed = 42;
    const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const han = '党建引领基层治理服务群众组织干部人才队伍教育管理监督考核村社区网格志愿产业发展集体经济项目资金乡村振兴';
    const filler = Array.from({ length: 40 }, () => Array.from({ length: 100 }, () => han[Math.floor(rand() * han.length)]).join(''));
    const long = [...filler.slice(0, 20), ...ORIGINAL, ...filler.slice(20)];
    expect(jaccard(shingleSet(ORIGINAL.join('\n')), shingleSet(long.join('\n'))).jaccard).toBeLessThan(0.2);
    const [found] = await duplicatesOf(long, units.dongjie);
    expect(found).toMatchObject({ kind: 'duplicate', message: '与其他单位提交的稿件大段内容相同，疑似多个单位提交同一稿件。', other: { serial: original.serial, unit: '城关镇', similarity: 1 } });
  });

  it('index every revision once, whatever inserted it', async () => {
    await archiveDraft(db.db, { unitId: units.chengguan, paragraphs: ORIGINAL });
    await archiveDraft(db.db, { unitId: units.dongjie, paragraphs: ['太短了。'] });
    await duplicatesOf(SAME_THEME, units.dongjie);
    await duplicatesOf(SAME_THEME, units.dongjie);
    expect((await db.db.select().from(revisionSignatures)).map((s) => s.shingles > 0)).toEqual([true, false]);
    // One row per band for the long text; none for the short one, which is never a candidate.
    expect(await db.db.select().from(revisionBands)).toHaveLength(BANDS);
  });
});
