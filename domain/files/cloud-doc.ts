import { UserError } from '../../bot/errors.js';
import { LarkApiError, type LarkApi } from '../../bot/lark-api.js';
import type { DocLink } from './doc-links.js';
import { textBlocks } from './plain-text.js';
import { shapeDraft } from './shape.js';

/** The one fix for an unreadable document, in the words of the Feishu client. */
export const SHARE_WITH_BOT_TEXT =
  '我没有这篇文档的阅读权限，无法读取。请在文档右上角“分享”中添加“稿件助手”为可阅读者，然后把链接重新发给我。也可以把文档导出为 Word（.docx）文件后发给我。';

const ERRORS = {
  notFound: '找不到这篇文档：链接可能不完整，或文档已被删除。请在文档里点右上角“分享”→“复制链接”，再发给我。',
  tooLarge: '这篇文档太大，无法读取。请把文档导出为 Word（.docx）文件后发给我。',
  noScope: '机器人还没有开通读取云文档的权限，暂时读不了链接。请把文档导出为 Word（.docx）文件后发给我，并告知研究室为机器人开通“查看云文档”权限。',
  oldDoc: '这是旧版飞书文档，我读不了。请在文档中点右上角“…”→“导出为”→“Word”，把导出的 .docx 文件发给我；或把内容复制到新版文档后发送新链接。',
  notDocument: (what: string) => `这个知识库页面是${what}，不是文档，无法作为稿件读取。请发送文档链接，或把稿件导出为 Word（.docx）文件发给我。`,
  empty: '这篇文档是空的，没有读到任何文字。请检查后重新发送。',
};

const OBJ_TYPE_NAMES: Record<string, string> = {
  sheet: '电子表格',
  bitable: '多维表格',
  mindnote: '思维笔记',
  slides: '幻灯片',
  file: '上传的文件',
};

/**
 * Reads the text of a cloud document the officer linked: a wiki link is first resolved to the
 * document behind it. Permission and not-found answers become the officer's instructions;
 * rate limits and outages are rethrown, so the message is retried later.
 */
export async function readCloudDoc(lark: LarkApi, link: DocLink): Promise<{ title: string | undefined; paragraphs: string[] }> {
  if (link.kind === 'docs') throw new UserError(ERRORS.oldDoc, 'user:doc_old');
  let documentId = link.token;
  let wikiTitle: string | undefined;
  if (link.kind === 'wiki') {
    const node = await translate(() => lark.resolveWikiNode(link.token));
    if (node.objType === 'doc') throw new UserError(ERRORS.oldDoc, 'user:doc_old');
    if (node.objType !== 'docx') throw new UserError(ERRORS.notDocument(OBJ_TYPE_NAMES[node.objType] ?? '其他类型'), 'user:doc_type');
    documentId = node.objToken;
    wikiTitle = node.title;
  }
  const content = await translate(() => lark.readDocxText(documentId));
  const blocks = textBlocks(content);
  if (blocks.length === 0) throw new UserError(ERRORS.empty, 'user:doc_empty');
  // raw_content starts with the document's title line, which reads as a title-like first block.
  return shapeDraft(blocks, wikiTitle);
}

async function translate<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (!(err instanceof LarkApiError)) throw err;
    switch (err.code) {
      case 1770032: // docx: the app has no access
      case 131006: // wiki: permission denied
        throw new UserError(SHARE_WITH_BOT_TEXT, 'user:doc_forbidden');
      case 1770002:
      case 131005:
      case 99992402: // the id in the link is malformed (cut short when copied)
        throw new UserError(ERRORS.notFound, 'user:doc_not_found');
      case 1770033:
        throw new UserError(ERRORS.tooLarge, 'user:doc_too_large');
      case 99991672: // the app lacks the docx/wiki scope
        throw new UserError(ERRORS.noScope, 'user:doc_scope');
      default:
        throw err;
    }
  }
}
