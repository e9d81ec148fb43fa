import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../db/client.js';
import { MAX_FINDINGS_PER_KIND, runChecks, type CheckInput } from '../../domain/checks/run-checks.js';
import type { Finding, FindingKind } from '../../domain/checks/types.js';
import { createTestDb } from '../helpers/test-db.js';
import { NOW, seedOrg } from './archive.js';

/** Paragraphs with nothing to report: every check must stay silent on them. */
const CLEAN = [
  '今年以来，城关镇党委坚持以习近平新时代中国特色社会主义思想为指导，深入学习贯彻党的二十大精神，扎实推进基层党组织标准化规范化建设。',
  '党的十八大以来，全镇累计发展党员326名，其中35岁以下的占58.3%，党员队伍结构持续优化。',
  '镇党委毕竟争取到了项目资金，下一步将坚持“三会一课”制度，推动党建工作与乡村振兴深度融合。',
];
const TITLE = '城关镇扎实推进基层党组织标准化规范化建设';

let db: DbHandle;
let unitId: number;
beforeAll(async () => {
  db = await createTestDb();
  ({ chengguan: unitId } = await seedOrg(db.db));
});
afterAll(async () => db.close());

async function check(paragraphs: string[], title = TITLE, extra: Partial<CheckInput> = {}): Promise<Finding[]> {
  return runChecks(db.db, { title, paragraphs, category: '组工信息', unitId, now: NOW, ...extra });
}

const ofKind = (findings: Finding[], kind: FindingKind) => findings.filter((f) => f.kind === kind);

describe('pre-review checks on a clean draft', () => {
  it('find nothing but the length of a short text', async () => {
    const findings = await check([...CLEAN, CLEAN[0]!]);
    expect(findings).toEqual([]);
  });
});

describe('each check finds its planted error at the right paragraph', () => {
  it('易错词: a typo, with the right form and an excerpt; the correct phrase 毕竟争取 is not 竞争', async () => {
    const findings = await check([CLEAN[0]!, '今年村里新按装了路灯，群众纷纷点赞；但不正当竟争问题仍需关注。', CLEAN[2]!]);
    const typos = ofKind(findings, 'typo');
    expect(typos).toEqual([
      { kind: 'typo', paragraph: 2, excerpt: '今年村里新按装了路灯，群众纷纷…', message: '“按装”应为“安装”。' },
      { kind: 'typo', paragraph: 2, excerpt: '…纷点赞；但不正当竟争问题仍需关注。', message: '“竟争”应为“竞争”。' },
    ]);
  });

  it('易错词 in the title is reported at paragraph 0', async () => {
    const findings = await check(CLEAN, '城关镇再接再励推进党建工作');
    expect(ofKind(findings, 'typo')).toEqual([expect.objectContaining({ paragraph: 0, message: '“再接再励”应为“再接再厉”。' })]);
  });

  it('规范表述: 十八大以来 without 党的 is flagged, 党的十八大以来 is not', async () => {
    const findings = await check([CLEAN[1]!, CLEAN[0]!, '十八大以来，全镇党员队伍不断壮大，习总书记的重要指示精神得到全面落实。']);
    expect(ofKind(findings, 'wording')).toEqual([
      { kind: 'wording', paragraph: 3, excerpt: '十八大以来，全镇党员队伍不…', message: '“十八大以来”不规范，应写作“党的十八大以来”。' },
      { kind: 'wording', paragraph: 3, excerpt: '…员队伍不断壮大，习总书记的重要指示精神得…', message: '“习总书记”不规范，应写作“习近平总书记”。' },
    ]);
  });

  it('规范表述: the full name of the Thought and the exact wording of 两个维护', async () => {
    const findings = await check([
      '全镇党员深入学习习近平新时代特色社会主义思想。',
      CLEAN[0]!,
      '坚决维护党中央权威和统一领导，坚决做到两个维护。',
    ]);
    expect(ofKind(findings, 'wording').map((f) => [f.paragraph, f.message])).toEqual([
      [1, '“习近平新时代特色社会主义思想”不规范，应写作“习近平新时代中国特色社会主义思想”。'],
      [3, '“维护党中央权威和统一领导”不规范，应写作“维护党中央权威和集中统一领导”。'],
      [3, '“做到两个维护”不规范，应写作“做到“两个维护””。'],
    ]);
  });

  it('敏感词: reported with its note', async () => {
    const findings = await check([CLEAN[0]!, CLEAN[1]!, '会议传达了绝密文件精神。']);
    expect(ofKind(findings, 'sensitive')).toEqual([
      { kind: 'sensitive', paragraph: 3, excerpt: '会议传达了绝密文件精神。', message: '含敏感词“绝密”：涉密标识，组工信息不得涉及国家秘密，请确认内容可以报送。' },
    ]);
  });

  it('标点: half-width marks in a Chinese sentence and mixed quotation marks, one finding each; 58.3% and 3.5 stay', async () => {
    const findings = await check([CLEAN[0]!, '全镇共有党员1200名,其中女党员300名.', '开展"三会一课"和“主题党日”活动，GDP增长3.5%。']);
    expect(ofKind(findings, 'punctuation')).toEqual([
      { kind: 'punctuation', paragraph: 2, excerpt: '…有党员1200名,其中女党员300…', message: '2 处半角标点（, .），中文句子应使用全角标点（，。）。' },
      { kind: 'punctuation', paragraph: 3, excerpt: '开展"三会一课"和“主…', message: '半角引号与中文引号混用，请统一使用中文引号“”。' },
    ]);
  });

  it('标点: unbalanced Chinese quotation marks', async () => {
    const findings = await check([CLEAN[0]!, '坚持“四下基层制度，推动问题解决。']);
    expect(ofKind(findings, 'punctuation')).toEqual([expect.objectContaining({ paragraph: 2, message: '中文引号不成对（“ 1 个，” 0 个）。' })]);
  });

  it('标题: missing, or too long', async () => {
    expect(ofKind(await check(CLEAN, ''), 'title')).toEqual([{ kind: 'title', paragraph: 0, message: '缺少标题：请在第一行写标题。' }]);
    const long = '城关镇坚持以党建引领基层治理推动党员教育管理提质增效为全面推进乡村振兴提供坚强组织保证的做法与启示';
    expect(ofKind(await check(CLEAN, long), 'title')).toEqual([expect.objectContaining({ paragraph: 0, message: expect.stringContaining('偏长') })]);
  });

  it('篇幅: a body too short for its category', async () => {
    const findings = await check(CLEAN, TITLE, { category: '调研文稿' });
    expect(ofKind(findings, 'length')).toEqual([{ kind: 'length', message: expect.stringContaining('调研文稿一般不少于 1500字') }]);
  });

  it('a text full of one kind of error lists ten and counts the rest', async () => {
    const noisy = Array.from({ length: 14 }, (_, i) => `第${i + 1}个村新按装了路灯。`);
    const typos = ofKind(await check(noisy), 'typo');
    expect(typos).toHaveLength(MAX_FINDINGS_PER_KIND + 1);
    expect(typos[MAX_FINDINGS_PER_KIND]).toEqual({ kind: 'typo', message: '另有 4 处易错字词问题未逐条列出，请通读全文核对。' });
  });
});
