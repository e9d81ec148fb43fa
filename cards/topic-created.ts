import { chineseDateTime } from '../bot/time.js';
import type { Topic } from '../db/schema/index.js';
import { topicCode } from '../domain/topics/code.js';
import { card, escapeMd, fields, markdown, note, type Card } from './elements.js';

/** Replaces the 点题 form once the topic is posted, so the form cannot be submitted again. */
export function topicCreatedCard(topic: Topic, unitCount: number, timezone: string): Card {
  const code = topicCode(topic.id);
  return card({
    title: `已发布点题 ${code}`,
    template: 'green',
    summary: `已发布点题 ${code}`,
    elements: [
      markdown(`**${escapeMd(topic.title)}**`),
      fields([
        ['截止时间', chineseDateTime(topic.deadline, timezone)],
        ['面向单位', topic.allUnits ? `全部单位（${unitCount} 个）` : `${unitCount} 个单位`],
      ]),
      topic.unitId
        ? note('本单位点题：点题卡片已私信本单位信息员，进度会实时更新；不发到部机关工作群。')
        : note(`点题卡片已发到工作群，进度会实时更新。可用“延期 ${code} 2026-12-08 18:00”调整截止时间，“关闭 ${code}”结束征集。`),
    ],
  });
}
