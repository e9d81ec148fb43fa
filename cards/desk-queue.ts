import { z } from 'zod';
import { actionSpec, id } from '../bot/declare.js';
import { chineseDateTime } from '../bot/time.js';
import type { QueueRow, QueueView } from '../domain/desk/queue.js';
import { button, buttonRow, card, escapeMd, excerpt, form, hr, input, markdown, note, selectStatic, submitButton, type Card, type Element } from './elements.js';

/**
 * Where the editor is on the desk; every button carries it so the card can be redrawn in place.
 * `pub`: the publication chosen for adoptions, when the department has several.
 */
export type DeskState = { view: QueueView; page: number; picks: number[]; pub?: number };

/** The desk state a button carries; picks deduplicated and capped (the value comes from the client). */
const deskState = {
  view: z.enum(['approved', 'reserve']),
  page: id(),
  picks: z.array(id()).transform((p) => [...new Set(p)].slice(0, 20)),
  pub: id().optional(),
};
const draftOnDesk = z.object({ id: id(), ...deskState });

export const DESK_ACTIONS = {
  page: actionSpec('desk.page', z.object(deskState)),
  adopt: actionSpec('desk.adopt', draftOnDesk),
  declineForm: actionSpec('desk.decline_form', draftOnDesk),
  decline: actionSpec('desk.decline', draftOnDesk),
  /** `picks` is the selection after the tap; `id` the row tapped. */
  pick: actionSpec('desk.pick', draftOnDesk),
  merge: actionSpec('desk.merge', z.object(deskState)),
  /** The publication select: the chosen one arrives as the callback's option. */
  publication: actionSpec('desk.publication', z.object(deskState)),
  view: actionSpec('desk.view', z.object({ id: id() })),
};

export type DeskCardData = DeskState & {
  pages: number;
  total: number;
  rows: QueueRow[];
  pickedRows: { id: number; serial: string; title: string; unitName: string }[];
  /** Every active publication with its open issue; one entry means the desk never asks. */
  publications: { id: number; name: string; openIssue: { label: string; items: number } | undefined }[];
  reserveCount: number;
  timezone: string;
};

const EXCERPT_CHARS = 90;

export function deskCard(d: DeskCardData): Card {
  const state = (over: Partial<DeskState> = {}): DeskState => ({ view: d.view, page: d.page, picks: d.picks, ...(d.pub !== undefined ? { pub: d.pub } : {}), ...over });
  const several = d.publications.length > 1;
  const target = several ? d.publications.find((p) => p.id === d.pub) : d.publications[0];
  const named = (p: { name: string }) => (several ? `《${escapeMd(p.name)}》` : '');
  const issueLines = d.publications.map((p) =>
    p.openIssue
      ? `${several ? named(p) : '本期信息：'}**${p.openIssue.label}**（未印发，已编 ${p.openIssue.items} 条）`
      : `${named(p)}当前没有正在编辑的一期信息，采用时将自动开启下一期。`,
  );
  const targetLabel = target ? `${several ? `《${target.name}》` : ''}${target.openIssue?.label ?? '下一期'}` : '所选刊物';
  const heading = d.view === 'approved' ? `待采用稿件 **${d.total}** 篇，按通过时间从新到旧排列。` : `备用稿 **${d.total}** 篇。`;
  const rows: Element[] = [];
  for (const r of d.rows) {
    const picked = d.picks.includes(r.id);
    rows.push(hr());
    rows.push(
      markdown(
        `**${r.position}. 《${escapeMd(r.title)}》**${picked ? '　（已选入合并）' : ''}\n` +
          `${r.serial} · ${escapeMd(r.unitName)} · ${r.category} · ${r.charCount}字 · ${chineseDateTime(r.since, d.timezone)}\n` +
          `${escapeMd(excerpt(r.body.replace(/\n/g, ' '), EXCERPT_CHARS))}`,
      ),
    );
    rows.push(
      buttonRow([
        button({
          text: '采用',
          type: 'primary',
          value: DESK_ACTIONS.adopt.value({ id: r.id, ...state() }),
          confirm: { title: '采用稿件', text: `将《${r.title}》编入${targetLabel}？` },
        }),
        button({ text: '不采用', type: 'danger', value: DESK_ACTIONS.declineForm.value({ id: r.id, ...state() }) }),
        button({ text: '全文', type: 'text', value: DESK_ACTIONS.view.value({ id: r.id }) }),
        button({
          text: picked ? '取消合并' : '合并',
          value: DESK_ACTIONS.pick.value({ id: r.id, ...state({ picks: picked ? d.picks.filter((p) => p !== r.id) : [...d.picks, r.id] }) }),
        }),
      ]),
    );
  }
  return card({
    title: d.view === 'approved' ? '待编稿件' : '待编稿件 · 备用稿',
    template: 'indigo',
    summary: `待编稿件：待采用 ${d.total} 篇`,
    elements: [
      markdown(`${heading}\n${issueLines.join('\n')}`),
      ...(several ? publicationPicker(d, state) : []),
      ...rows,
      d.total === 0 && markdown(d.view === 'approved' ? '暂无待采用的稿件。' : '暂无备用稿。'),
      ...mergePanel(d, state),
      hr(),
      d.pages > 1 &&
        buttonRow([
          d.page > 1 && button({ text: '上一页', value: DESK_ACTIONS.page.value(state({ page: d.page - 1 })) }),
          d.page < d.pages && button({ text: '下一页', value: DESK_ACTIONS.page.value(state({ page: d.page + 1 })) }),
        ]),
      note(
        `第 ${d.page}/${d.pages} 页。` +
          (d.view === 'approved'
            ? `备用稿 ${d.reserveCount} 篇，发送“待编稿件 备用”查看。发送“本期信息”查看和印发本期。`
            : '发送“待编稿件”回到待采用稿件。'),
      ),
    ],
  });
}

/** With several publications the desk asks where pieces go: a select whose choice every button then carries. */
function publicationPicker(d: DeskCardData, state: (o?: Partial<DeskState>) => DeskState): Element[] {
  return [
    markdown('**编入刊物**（采用、合并前请先选择）'),
    selectStatic({
      name: 'publication',
      options: d.publications.map((p) => ({ text: p.name, value: String(p.id) })),
      ...(d.pub !== undefined ? { initial: String(d.pub) } : {}),
      placeholder: '选择编入的刊物',
      width: 'fill',
      value: DESK_ACTIONS.publication.value(state()),
    }),
  ];
}

function mergePanel(d: DeskCardData, state: (o?: Partial<DeskState>) => DeskState): Element[] {
  if (!d.pickedRows.length) return [];
  const list = d.pickedRows.map((p, i) => `${i + 1}. 《${escapeMd(p.title)}》（${escapeMd(p.unitName)}，${p.serial}）`).join('\n');
  const out: Element[] = [hr(), markdown(`**合并为综合稿**（已选 ${d.pickedRows.length} 篇）\n${list}`)];
  if (d.pickedRows.length >= 2) {
    out.push(
      form('merge', [
        input({ name: 'title', label: '综合稿标题', placeholder: '例如：我县多措并举推进基层党建', required: true, maxLength: 60 }),
        submitButton({ name: 'merge_submit', text: '合并采用', value: DESK_ACTIONS.merge.value(state()) }),
      ]),
    );
  } else {
    out.push(note('再选至少 1 篇即可合并。'));
  }
  out.push(buttonRow([button({ text: '清空所选', value: DESK_ACTIONS.page.value(state({ picks: [] })) })]));
  return out;
}
