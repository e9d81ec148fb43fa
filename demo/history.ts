import type { Logger } from '../bot/logger.js';
import { formatLocal } from '../bot/time.js';
import { buttonsOf, cardPlainText, optionValue } from './card-read.js';
import { DRAFTS, FILE_DRAFT, text, type DemoDraft } from './drafts.js';
import { HISTORY_DAYS, localDayAt } from './timeline.js';
import { DemoStepError, type DemoWorld } from './world.js';

/** A step the features of the moment could not take: which feature it needed, and why. */
export type SkippedStep = { feature: string; step: string; reason: string };
export type HistorySummary = {
  steps: number;
  skipped: SkippedStep[];
  /** The bot's own warnings and errors meanwhile, each with how often it was logged. */
  botWarnings: string[];
};

/** The demo people by what they do in the story (see demo/org.yaml). */
const P = {
  editor: 'ou_demo_editor_lin',
  leader: 'ou_demo_leader_huang',
  cgReviewer: 'ou_demo_rev_zhang',
  qsReviewerA: 'ou_demo_rev_wang',
  qsReviewerB: 'ou_demo_rev_li',
  lxReviewer: 'ou_demo_rev_zhou',
  dhReviewer: 'ou_demo_rev_zheng',
  eduReviewer: 'ou_demo_rev_he',
  cgOfficer: 'ou_demo_off_liu',
  cgOfficer2: 'ou_demo_off_chen',
  qsOfficer: 'ou_demo_off_zhao',
  qsOfficer2: 'ou_demo_off_sun',
  lxOfficer: 'ou_demo_off_wu',
  dhOfficer: 'ou_demo_off_feng',
  eduOfficer: 'ou_demo_off_xu',
} as const;

/** The feature (commands/index.ts) a step goes through. */
type Feature = 'drafts' | 'topics' | 'desk' | 'files' | 'ranking';

const TOPIC_TITLE = '基层党组织在乡村振兴中的作用';

/**
 * About a month of the department's information work, played through the bot's own entry points:
 * a topic, drafts that are approved, returned and revised, withdrawn, left waiting, adopted into a
 * numbered issue, recognised upstream, and a ranking. A step the current features do not offer is
 * skipped (and listed), so the demo still starts while features change.
 */
export async function writeHistory(w: DemoWorld, o: { end: Date; timezone: string; log: Logger }): Promise<HistorySummary> {
  const skipped: SkippedStep[] = [];
  let steps = 0;
  const serials = new Map<string, string>();
  /** Moves the clock forward to hh:mm on the day `day` days into the history (never back). */
  const at = async (day: number, hour: number, minute = 0) => {
    const started = Date.now();
    await w.advanceTo(localDayAt(o.end, day - HISTORY_DAYS, hour, minute, o.timezone));
    o.log.debug({ day, ms: Date.now() - started }, 'demo clock moved');
  };
  const step = async (feature: Feature, what: string, fn: () => Promise<void>) => {
    const started = Date.now();
    try {
      await fn();
      steps++;
      o.log.debug({ step: what, ms: Date.now() - started }, 'demo step done');
    } catch (err) {
      if (!(err instanceof DemoStepError)) o.log.warn({ err, step: what }, 'demo history step failed');
      skipped.push({ feature, step: what, reason: (err as Error).message });
    }
  };

  // ---- the flows ------------------------------------------------------------------------------
  const submit = async (officer: string, d: DemoDraft, opts: { category?: string; topic?: boolean } = {}) => {
    await w.say(officer, text(d));
    await w.tapOn(officer, {
      card: '确认',
      button: '提交审核',
      formValue: (card) => {
        const fv: Record<string, unknown> = { category: opts.category ?? '组工信息' };
        const topic = opts.topic ? optionValue(card, 'topic', TOPIC_TITLE) : undefined;
        if (topic) fv.topic = topic;
        return fv;
      },
    });
    const receipt = w.content(w.findCard(officer, d.title));
    const serial = /\d{4}-\d{3,}/.exec(cardPlainText(receipt) + JSON.stringify(receipt))?.[0];
    if (serial) serials.set(d.title, serial);
  };
  const approve = (reviewer: string, d: DemoDraft) => w.tapOn(reviewer, { card: d.title, button: '通过' }).then(() => undefined);
  const returnDraft = async (reviewer: string, d: DemoDraft, reason: string) => {
    const message = w.findCard(reviewer, d.title, '退回');
    const form = await w.tap(reviewer, message, { text: '退回', value: buttonValue(w.content(message), '退回') });
    await w.tap(reviewer, message, { text: '确认退回', value: buttonValue(form, '确认退回'), name: 'confirm_return' }, { formValue: { reason } });
  };
  const revise = async (officer: string, revised: DemoDraft) => {
    await w.tapOn(officer, { card: revised.title, button: '提交修改稿' });
    await w.say(officer, text(revised));
    await w.tapOn(officer, { card: '修改稿', button: '提交审核', formValue: () => ({}) });
  };
  const adopt = (d: DemoDraft) => async () => {
    await w.say(P.editor, '待编稿件');
    await w.tapOn(P.editor, { card: '待编稿件', button: '采用', near: d.title });
  };
  /** 送审 by the research office, then 签发 by the leader on the preview card. */
  const submitIssue = async () => {
    await w.say(P.editor, '期刊');
    await w.tapOn(P.editor, { card: '期', button: '送审' });
  };
  const signIssue = () => w.tapOn(P.leader, { card: '本期信息送审签发', button: '签发' }).then(() => undefined);
  const publishIssue = async () => {
    await w.say(P.editor, '本期信息');
    await w.tapOn(P.editor, { card: '期', button: '印发' });
  };
  /** The editor edits a piece on its 编审 card: a sharper title and an 编者按. */
  const editPiece = (d: DemoDraft, title: string, note: string) => async () => {
    await w.say(P.editor, `编审 ${serialOf(d)}`);
    await w.tapOn(P.editor, { card: '编审', button: '保存修改', formValue: (card) => ({ ...inputDefaults(card), title, note }) });
  };
  const endorse = (d: DemoDraft, text: string, by: string, level: string) => async () => {
    await w.say(P.leader, `查看 ${serialOf(d)}`);
    await w.tapOn(P.leader, { card: `稿件 ${serialOf(d)}`, button: '批示' });
    await w.tapOn(P.leader, { card: '领导批示', button: '记录批示', formValue: () => ({ text, by, level }) });
  };
  const serialOf = (d: DemoDraft) => {
    const s = serials.get(d.title);
    if (!s) throw new DemoStepError(`不知道《${d.title}》的编号`);
    return s;
  };
  const recognise = (who: string, d: DemoDraft, kind: string, level: string, outlet: string) => async () => {
    await w.say(who, `登记 ${serialOf(d)}`);
    await w.tapOn(who, {
      card: '登记：',
      button: '登记',
      formValue: () => ({ kind, level, outlet, date: `${formatLocal(w.clock.now(), o.timezone).slice(0, 10)} +0800`, link: '', note: '' }),
    });
  };

  // ---- week 1: a topic, the first drafts ------------------------------------------------------
  await at(1, 9, 30);
  const deadline = formatLocal(localDayAt(o.end, 12 - HISTORY_DAYS, 18, 0, o.timezone), o.timezone);
  await step('topics', '研究室发布点题', () => w.say(P.editor, `点题 ${TOPIC_TITLE} | 截止 ${deadline} | 单位 城关镇,青石镇,柳溪乡,东湖街道 | 类别 组工信息 | 说明 围绕党建引领乡村振兴，写实做法和成效，800字以内`));

  await at(2, 10, 12);
  await step('drafts', '城关镇提交点题稿', () => submit(P.cgOfficer, DRAFTS.cgTopic, { topic: true }));
  await at(2, 15, 40);
  await step('drafts', '城关镇组织委员审核通过', () => approve(P.cgReviewer, DRAFTS.cgTopic));

  await at(3, 9, 5);
  await step('drafts', '青石镇提交点题稿', () => submit(P.qsOfficer, DRAFTS.qsTopic, { topic: true }));
  await at(3, 11, 20);
  await step('drafts', '青石镇组织委员退回', () => returnDraft(P.qsReviewerA, DRAFTS.qsTopic, '内容偏单薄，请按“三带”分条写实做法，补充茶园面积变化和品牌建设数据。'));
  await at(4, 16, 10);
  await step('drafts', '青石镇提交修改稿', () => revise(P.qsOfficer, DRAFTS.qsTopicRevised));
  await at(5, 9, 30);
  await step('drafts', '青石镇另一名组织委员审核通过', () => approve(P.qsReviewerB, DRAFTS.qsTopicRevised));

  await at(5, 14, 0);
  await step('drafts', '柳溪乡提交点题稿', () => submit(P.lxOfficer, DRAFTS.lxTopic, { topic: true }));
  await at(6, 8, 50);
  await step('drafts', '柳溪乡组织委员审核通过', () => approve(P.lxReviewer, DRAFTS.lxTopic));

  await at(6, 10, 30);
  await step('drafts', '东湖街道提交调研文稿', () => submit(P.dhOfficer, DRAFTS.dhResearch, { category: '调研文稿' }));
  await at(7, 9, 15);
  await step('drafts', '东湖街道组织委员审核通过', () => approve(P.dhReviewer, DRAFTS.dhResearch));

  // ---- week 2: a return that stays returned, a withdrawal, the desk ---------------------------
  await at(8, 10, 0);
  await step('drafts', '县教育局提交稿件', () => submit(P.eduOfficer, DRAFTS.eduReturned));
  await at(8, 17, 30);
  await step('drafts', '县教育局组织委员退回', () => returnDraft(P.eduReviewer, DRAFTS.eduReturned, '表述较笼统，请补充具体事例，并核实“党员示范岗”数量。'));

  await at(9, 9, 40);
  await step('drafts', '城关镇提交会议稿', () => submit(P.cgOfficer2, DRAFTS.cgWithdrawn));
  await at(9, 10, 5);
  await step('drafts', '城关镇信息员撤回会议稿', () => w.tapOn(P.cgOfficer2, { card: DRAFTS.cgWithdrawn.title, button: '撤回' }).then(() => undefined));

  await at(10, 11, 0);
  await step('drafts', '青石镇提交志愿服务稿', () => submit(P.qsOfficer2, DRAFTS.qsReserve));
  await at(10, 15, 0);
  await step('drafts', '青石镇组织委员审核通过志愿服务稿', () => approve(P.qsReviewerA, DRAFTS.qsReserve));

  await at(11, 9, 0);
  await step('drafts', '柳溪乡提交人才稿', () => submit(P.lxOfficer, DRAFTS.lxTalent));
  await at(11, 14, 0);
  await step('drafts', '柳溪乡组织委员审核通过人才稿', () => approve(P.lxReviewer, DRAFTS.lxTalent));

  await at(13, 10, 0);
  await step('desk', '研究室采用城关镇点题稿', adopt(DRAFTS.cgTopic));
  await step('desk', '研究室采用东湖街道调研文稿', adopt(DRAFTS.dhResearch));
  await step('desk', '研究室采用柳溪乡点题稿', adopt(DRAFTS.lxTopic));
  await at(13, 10, 30);
  await step('desk', '研究室将志愿服务稿存为备用', async () => {
    await w.say(P.editor, '待编稿件');
    const queue = await w.tapOn(P.editor, { card: '待编稿件', button: '不采用', near: DRAFTS.qsReserve.title });
    const message = w.findCard(P.editor, '待编稿件');
    await w.tap(P.editor, message, { text: '确认不采用', value: buttonValue(queue, '确认不采用'), name: 'decline_submit' }, { formValue: { disposition: 'reserve', reason: '主题与本期重复，存入备用稿' } });
  });
  await at(13, 11, 0);
  await step('desk', '研究室编审城关镇点题稿', editPiece(DRAFTS.cgTopic, `${DRAFTS.cgTopic.title}`, '城关镇以党建引领乡村振兴的做法，值得各地学习借鉴。'));
  await step('desk', '研究室送审第一期', submitIssue);
  await at(13, 15, 0);
  await step('desk', '部领导签发第一期', signIssue);
  await at(13, 16, 0);
  await step('desk', '研究室印发第一期', publishIssue);

  // ---- weeks 3-4: recognition, more drafts, a second issue ------------------------------------
  await at(15, 9, 30);
  await step('desk', '登记城关镇点题稿被市委组织部采用', recognise(P.editor, DRAFTS.cgTopic, 'upper_adoption', 'city', '市委组织部《组工信息》'));
  await at(16, 10, 0);
  await step('desk', '部领导记录东湖街道调研文稿获市领导批示', endorse(DRAFTS.dhResearch, '此调研有深度，请组织部总结推广。', '市委常委、组织部部长', 'city'));

  await at(17, 9, 20);
  await step('drafts', '东湖街道提交红色物业稿', () => submit(P.dhOfficer, DRAFTS.dhGrid));
  await at(17, 15, 0);
  await step('drafts', '东湖街道组织委员审核通过红色物业稿', () => approve(P.dhReviewer, DRAFTS.dhGrid));

  await at(18, 10, 0);
  await step('files', '县教育局以文件提交稿件', () => w.sendFile(P.eduOfficer, `${FILE_DRAFT.title}.txt`, Buffer.from(text(FILE_DRAFT))));
  await step('files', '县教育局确认提交文件稿', () => w.tapOn(P.eduOfficer, { card: '确认', button: '提交审核', formValue: () => ({ category: '组工信息' }) }).then(() => undefined));
  await at(19, 9, 0);
  await step('files', '县教育局组织委员审核通过文件稿', () => approve(P.eduReviewer, FILE_DRAFT));

  await at(20, 10, 30);
  await step('drafts', '县教育局提交青蓝工程稿', () => submit(P.eduOfficer, DRAFTS.eduTeacher));
  await at(21, 9, 45);
  await step('drafts', '县教育局组织委员审核通过青蓝工程稿', () => approve(P.eduReviewer, DRAFTS.eduTeacher));

  await at(22, 14, 0);
  await step('drafts', '城关镇提交擂台比武稿', () => submit(P.cgOfficer, DRAFTS.cgCadre));
  await at(23, 9, 10);
  await step('drafts', '城关镇组织委员审核通过擂台比武稿', () => approve(P.cgReviewer, DRAFTS.cgCadre));

  await at(24, 10, 0);
  await step('desk', '研究室采用青石镇点题稿', adopt(DRAFTS.qsTopicRevised));
  await step('desk', '研究室采用红色物业稿', adopt(DRAFTS.dhGrid));
  await step('desk', '研究室采用青蓝工程稿', adopt(DRAFTS.eduTeacher));
  await at(24, 11, 0);
  await step('desk', '研究室送审第二期', submitIssue);
  await at(24, 14, 0);
  await step('desk', '部领导签发第二期', signIssue);
  await at(24, 15, 0);
  await step('desk', '研究室印发第二期', publishIssue);
  await at(26, 11, 0);
  await step('desk', '登记红色物业稿在市级媒体刊发', recognise(P.editor, DRAFTS.dhGrid, 'media', 'city', '青山日报'));

  // ---- the last days: drafts still waiting, so every role has something to do today -----------
  await at(28, 16, 30);
  await step('drafts', '青石镇提交红色代办稿（待审）', () => submit(P.qsOfficer, DRAFTS.qsPending));
  await at(29, 10, 20);
  await step('drafts', '城关镇提交积分制稿（待审）', () => submit(P.cgOfficer, DRAFTS.cgPending));
  await at(29, 15, 10);
  await step('drafts', '东湖街道提交小区党支部稿（待审）', () => submit(P.dhOfficer, DRAFTS.dhPending));
  await at(29, 17, 0);
  await step('ranking', '部领导查看排行', () => w.say(P.leader, '排行'));
  // A third issue waiting for the leader's 签发, so a visitor can play 部领导 (签发 / 退回修改) and
  // 研究室 (编审, 送审, 印发) today.
  await at(29, 17, 30);
  await step('desk', '研究室采用擂台比武稿', adopt(DRAFTS.cgCadre));
  await step('desk', '研究室编审擂台比武稿', editPiece(DRAFTS.cgCadre, DRAFTS.cgCadre.title, '干部擂台比武是检验能力作风的好办法。'));
  await step('desk', '研究室送审第三期', submitIssue);

  return { steps, skipped, botWarnings: [...w.botWarnings].map(([m, n]) => (n > 1 ? `${m}（${n} 次）` : m)) };
}

/** The default values of a card's form inputs (what the form would send unchanged). */
function inputDefaults(card: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const walk = (v: unknown) => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (!v || typeof v !== 'object') return;
    const o = v as Record<string, unknown>;
    if (o.tag === 'input' && typeof o.name === 'string') out[o.name] = o.default_value ?? '';
    Object.values(o).forEach(walk);
  };
  walk(card);
  return out;
}

/** The callback value of a button on a card, or a skipped step. */
function buttonValue(card: unknown, text: string): Record<string, unknown> {
  const found = buttonsOf(card).find((b) => b.text === text);
  if (!found) throw new DemoStepError(`卡片上没有按钮“${text}”`);
  return found.value;
}
