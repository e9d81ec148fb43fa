import { afterEach, describe, expect, it } from 'vitest';
import { draftCandidates } from '../../db/schema/index.js';
import { GROUP_DRAFT_REFUSAL } from '../../domain/drafts/intake.js';
import { SHARE_WITH_BOT_TEXT } from '../../domain/files/cloud-doc.js';
import { postMessage, type PostNode } from '../../emulator/lark-events.js';
import { cardText, Harness, P } from '../helpers/harness.js';
import { DOCX_DRAFT } from './fixtures.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** Document ids and wiki tokens are 27 characters. */
const DOC_ID = 'doxcnQ8TQz1ZbqU2vW3xY4zA5bC';
const WIKI_TOKEN = 'wikcnR9UaX2YcrV3wX4yZ5aB6cD';
const CONTENT = [DOCX_DRAFT.title, ...DOCX_DRAFT.paragraphs].join('\n');

async function answer(from: string, text: string, o: { group?: boolean } = {}) {
  const cards = h!.cardsTo(o.group ? 'oc_example_group' : from).length;
  const texts = h!.textsTo(o.group ? 'oc_example_group' : from).length;
  await h!.sendText(from, text, o);
  await h!.settle();
  return {
    cards: h!.cardsTo(o.group ? 'oc_example_group' : from).slice(cards),
    texts: h!.textsTo(o.group ? 'oc_example_group' : from).slice(texts),
  };
}

// Each test boots the whole app against the fake Lark: slow on a loaded 2-core box.
describe('a cloud-document link as a draft', { timeout: 90_000 }, () => {
  it('a docx link is read through the API and offered as a candidate; a short note beside the link is fine', async () => {
    h = await Harness.start();
    h.fake.addDocument({ documentId: DOC_ID, content: CONTENT, title: DOCX_DRAFT.title });
    const { cards } = await answer(P.officer1, `请审阅 https://xxcounty.feishu.cn/docx/${DOC_ID}?from=from_copylink`);
    expect(cards).toHaveLength(1);
    expect(cardText(cards[0]!.content)).toContain(DOCX_DRAFT.title);
    expect(cardText(cards[0]!.content)).toContain('云文档');
    const [c] = await h.db.db.select().from(draftCandidates);
    expect(c).toMatchObject({ sourceType: 'cloud_doc', title: DOCX_DRAFT.title, body: DOCX_DRAFT.paragraphs.join('\n'), blobSha256: null, fileName: null });
    expect(h.fake.callsTo(`/docx/v1/documents/${DOC_ID}/raw_content`)).toHaveLength(1);
  });

  it('a wiki link is resolved to its document first', async () => {
    h = await Harness.start();
    h.fake.addDocument({ documentId: DOC_ID, content: CONTENT });
    h.fake.addWikiNode({ nodeToken: WIKI_TOKEN, objToken: DOC_ID, objType: 'docx', title: DOCX_DRAFT.title });
    const { cards } = await answer(P.officer1, `https://xxcounty.feishu.cn/wiki/${WIKI_TOKEN}`);
    expect(cards).toHaveLength(1);
    const [c] = await h.db.db.select().from(draftCandidates);
    expect(c).toMatchObject({ sourceType: 'cloud_doc', title: DOCX_DRAFT.title });
    expect(h.fake.callsTo('/wiki/v2/spaces/get_node')).toHaveLength(1);
  });

  it('a document the bot may not read: the officer is told to share it with 稿件助手, and nothing is stored', async () => {
    h = await Harness.start();
    h.fake.addDocument({ documentId: DOC_ID, content: CONTENT, readable: false });
    h.fake.addWikiNode({ nodeToken: WIKI_TOKEN, objToken: DOC_ID, readable: false });
    for (const link of [`https://xxcounty.feishu.cn/docx/${DOC_ID}`, `https://xxcounty.feishu.cn/wiki/${WIKI_TOKEN}`]) {
      const { texts, cards } = await answer(P.officer1, link);
      expect(cards).toHaveLength(0);
      expect(texts).toEqual([SHARE_WITH_BOT_TEXT]);
    }
    expect(SHARE_WITH_BOT_TEXT).toContain('请在文档右上角“分享”中添加“稿件助手”为可阅读者');
    expect(await h.db.db.select().from(draftCandidates)).toHaveLength(0);
  });

  it('other links get their own answers: not found, a spreadsheet, two documents at once', async () => {
    h = await Harness.start();
    h.fake.addWikiNode({ nodeToken: WIKI_TOKEN, objToken: 'shtcnAAAAAAAAAAAAAAAAAAAAAA', objType: 'sheet' });
    expect((await answer(P.officer1, `https://xxcounty.feishu.cn/docx/${DOC_ID}`)).texts[0]).toContain('找不到这篇文档');
    expect((await answer(P.officer1, `https://xxcounty.feishu.cn/wiki/${WIKI_TOKEN}`)).texts[0]).toContain('是电子表格，不是文档');
    const two = `https://xxcounty.feishu.cn/docx/${DOC_ID} https://xxcounty.feishu.cn/wiki/${WIKI_TOKEN}`;
    expect((await answer(P.officer1, two)).texts[0]).toContain('一次只能提交一篇文档');
    expect(await h.db.db.select().from(draftCandidates)).toHaveLength(0);
  });

  it('a full draft that merely contains a link stays a text draft; a link in the group is refused unread', async () => {
    h = await Harness.start();
    h.fake.addDocument({ documentId: DOC_ID, content: CONTENT });
    const text = [DOCX_DRAFT.title, ...DOCX_DRAFT.paragraphs, `详见 https://xxcounty.feishu.cn/docx/${DOC_ID}`].join('\n');
    expect((await answer(P.officer1, text)).cards).toHaveLength(1);
    const [c] = await h.db.db.select().from(draftCandidates);
    expect(c!.sourceType).toBe('text');

    const group = await answer(P.officer1, `https://xxcounty.feishu.cn/docx/${DOC_ID}`, { group: true });
    expect(group.texts).toEqual([GROUP_DRAFT_REFUSAL]);
    expect(h.fake.callsTo('/raw_content')).toHaveLength(0);
  });

  it('a link that only looks like a document (a host that is not Feishu or Lark) is answered as a short text, not with 我没有听懂', async () => {
    h = await Harness.start();
    const { texts, cards } = await answer(P.officer1, `https://feishu.example.com/docx/${DOC_ID}`);
    expect([...texts, ...cards.map((c) => cardText(c.content))].join('\n')).not.toContain('我没有听懂');
    expect(texts.length + cards.length).toBe(1);
    expect(h.fake.callsTo('/raw_content')).toHaveLength(0);
  });

  it('a post whose link label is the document title is read as that document', async () => {
    h = await Harness.start();
    h.fake.addDocument({ documentId: DOC_ID, content: CONTENT, title: DOCX_DRAFT.title });
    const before = h.cardsTo(P.officer1).length;
    const link = { tag: 'a', text: DOCX_DRAFT.title, href: `https://xxcounty.feishu.cn/docx/${DOC_ID}` } as PostNode;
    await h.post(postMessage({ ...h.envelope(P.officer1, 'om_post_with_doc_link'), title: '', paragraphs: [[link]] }));
    await h.settle();
    const cards = h.cardsTo(P.officer1).slice(before);
    expect(cards).toHaveLength(1);
    expect(cardText(cards[0]!.content)).toContain('云文档');
    const [c] = await h.db.db.select().from(draftCandidates);
    expect(c).toMatchObject({ sourceType: 'cloud_doc', title: DOCX_DRAFT.title });
  });
});
