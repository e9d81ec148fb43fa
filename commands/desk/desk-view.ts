import type { Tx } from '../../db/client.js';
import { deskCard, type DeskState } from '../../cards/desk-queue.js';
import type { Card } from '../../cards/elements.js';
import { findOpenIssue, issueItems, issueLabel } from '../../domain/desk/issues.js';
import { deskQueue, picked, reserveCount } from '../../domain/desk/queue.js';

/** The desk card for a state, read fresh from the database (a button's state is only a hint). */
export async function renderDesk(tx: Tx, state: DeskState, timezone: string): Promise<Card> {
  const q = await deskQueue(tx, { view: state.view, page: state.page });
  // Picks that were adopted or declined meanwhile drop out of the merge panel.
  const pickedRows = (await picked(tx, state.picks)).filter((p) => p.state === 'approved' || (state.view === 'reserve' && p.state === 'archived'));
  const open = await findOpenIssue(tx);
  return deskCard({
    view: state.view,
    page: q.page,
    picks: pickedRows.map((p) => p.id),
    pages: q.pages,
    total: q.total,
    rows: q.rows,
    pickedRows,
    openIssue: open ? { label: issueLabel(open), items: (await issueItems(tx, open.id)).length } : undefined,
    reserveCount: await reserveCount(tx),
    timezone,
  });
}

