import { afterEach, describe, expect, it } from 'vitest';
import { units } from '../../db/schema/index.js';
import { adoptAll, approvedDraft, ask } from '../desk/flow.js';
import { cardText, GROUP, Harness, P } from '../helpers/harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

function groupTitles(h: Harness): string[] {
  return h.cardsTo(GROUP).map((m) => String((m.content as { header?: { title?: { content?: string } } }).header?.title?.content ?? ''));
}

/** The text of a unit's row in a ranking card's table: rank, unit, points and the rest. */
function rowOf(content: unknown, unit: string): Record<string, unknown> | undefined {
  const table = (content as { body: { elements: { tag: string; rows?: Record<string, unknown>[] }[] } }).body.elements.find((e) => e.tag === 'table');
  return table?.rows?.find((r) => r.u === unit);
}

/**
 * The first minute of a month, and of a year: the minute the calendar turns is where "this month"
 * changes under everything that counts by period. A piece adopted two minutes before midnight
 * belongs to the old period; one adopted in the first minute to the new one; the bulletin that
 * fires at 00:00 reports the old period whole.
 */
describe.each([
  { edge: '2026-12-01T00:00:00+08:00', old: '2026年11月', now: '2026年12月', oldArg: '2026-11', bulletins: ['2026年11月信息工作通报'] },
  {
    edge: '2027-01-01T00:00:00+08:00',
    old: '2026年12月',
    now: '2027年1月',
    oldArg: '2026-12',
    bulletins: ['2026年12月信息工作通报', '2026年第四季度信息工作通报', '2026年信息工作通报'],
  },
])('at the first minute of $now', { timeout: 120_000 }, ({ edge, old, now, oldArg, bulletins }) => {
  const at = (ms: number) => new Date(new Date(edge).getTime() + ms);

  it('counts a piece by the minute it was adopted, and the bulletin fired at 00:00 reports the old period whole', async () => {
    h = await Harness.start({
      start: at(-5 * 60_000).toISOString(),
      // Every bulletin at the first minute of its period, instead of 09:00.
      // About period boundaries, not 审定: the bulletin goes straight to the group.
      env: { BULLETIN_APPROVAL: 'off', BULLETIN_MONTHLY_CRON: '0 0 1 * *', BULLETIN_QUARTERLY_CRON: '0 0 1 1,4,7,10 *', BULLETIN_ANNUAL_CRON: '0 0 1 1 *' },
    });
    await h.db.db.update(units).set({ createdAt: new Date('2026-01-01T00:00:00+08:00') });

    // 23:55 to 23:58 on the last day: 城关镇's piece is approved and adopted.
    await approvedDraft(h, P.officer1, '城关镇年末冬训有序开展');
    await adoptAll(h, ['城关镇年末冬训有序开展']);
    expect(h.clock.now().getTime()).toBeLessThan(new Date(edge).getTime());

    // 00:00: the bulletins of the periods that just ended go out, with the piece in them.
    h.clock.set(edge);
    await h.app.scheduler.tick(new Date(edge));
    await h.settle();
    expect(groupTitles(h).sort()).toEqual([...bulletins].sort());
    const monthly = h.cardsTo(GROUP).find((m) => cardText(m.content).includes(`${old}信息工作通报`))!;
    expect(rowOf(monthly.content, '城关镇')).toMatchObject({ r: 1 });
    // Only the piece of the last day; 东街街道 sent nothing in the old month.
    expect(cardText(monthly.content)).toContain('本月得分 **1**');
    expect(cardText(monthly.content)).toContain('**零报送（1 个单位）**：东街街道');

    // 00:00:30: 东街街道's piece, in the new period.
    h.clock.set(at(30_000));
    await approvedDraft(h, P.officer3, '东街街道新年第一条信息');
    await adoptAll(h, ['东街街道新年第一条信息']);

    const current = await ask(h, P.editor, '排行');
    expect(cardText(current.content)).toContain(`${now}信息工作排行`);
    expect(rowOf(current.content, '东街街道')).toMatchObject({ r: 1 });
    expect(cardText(current.content)).toContain('**零报送（1 个单位）**：城关镇');
    // 城关镇 earned nothing in the new month: it is not ranked first beside 东街街道.
    expect(rowOf(current.content, '城关镇')?.r).not.toBe(1);

    const previous = await ask(h, P.editor, `排行 ${oldArg}`);
    expect(cardText(previous.content)).toContain(`${old}信息工作排行`);
    expect(rowOf(previous.content, '城关镇')).toMatchObject({ r: 1 });
    expect(rowOf(previous.content, '东街街道')?.r).not.toBe(1);

    // The same minute again fires nothing twice.
    await h.app.scheduler.tick(at(45_000));
    await h.settle();
    expect(groupTitles(h)).toHaveLength(bulletins.length);
  });
});
