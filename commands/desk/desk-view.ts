import type { Tx } from '../../db/client.js';
import { deskCard, type DeskState } from '../../cards/desk-queue.js';
import type { Card } from '../../cards/elements.js';
import { findOpenIssue, issueItems, issueLabel } from '../../domain/desk/issues.js';
import { publicationsOrDefault } from '../../domain/desk/publications.js';
import { deskQueue, picked, reserveCount } from '../../domain/desk/queue.js';

/** The desk card for a state, read fresh from the database (a button's state is only a hint). */
export async function renderDesk(tx: Tx, state: DeskState, timezone: string): Promise<Card> {
  const q = await deskQueue(tx, { view: state.view, page: state.page });
  // Picks that were adopted or declined meanwhile drop out of the merge panel.
  const pickedRows = (await picked(tx, state.picks)).filter((p) => p.state === 'approved' || (state.view === 'reserve' && p.state === 'archived'));
  const publications = [];
  for (const p of await publicationsOrDefault(tx)) {
    const open = await findOpenIssue(tx, p.id);
    publications.push({ id: p.id, name: p.name, openIssue: open ? { label: issueLabel(open), items: (await issueItems(tx, open.id)).length } : undefined });
  }
  // A publication chosen before it was deactivated is no choice any more.
  const pub = publications.length > 1 && publications.some((p) => p.id === state.pub) ? state.pub : undefined;
  return deskCard({
    view: state.view,
    page: q.page,
    picks: pickedRows.map((p) => p.id),
    ...(pub !== undefined ? { pub } : {}),
    pages: q.pages,
    total: q.total,
    rows: q.rows,
    pickedRows,
    publications,
    reserveCount: await reserveCount(tx),
    timezone,
  });
}
