import { UserError } from '../../bot/errors.js';

export type DraftFileProblem =
  | 'legacy'
  | 'unsupported'
  | 'too_large'
  | 'empty'
  | 'scanned'
  | 'encrypted'
  | 'corrupt'
  | 'renamed_doc'
  | 'too_complex'
  | 'too_many_pages'
  | 'too_slow';

/**
 * Every way a draft file can be unusable, each with its own message telling the officer what to do.
 * Thrown before anything is stored, so a bad file leaves no trace but the answer.
 */
export class DraftFileError extends UserError {
  constructor(
    readonly reason: DraftFileProblem,
    userMessage: string,
  ) {
    super(userMessage, `user:file_${reason}`);
    this.name = 'DraftFileError';
  }
}

const PASTE_HINT = '也可以直接把正文粘贴发给我。';

export const fileErrors = {
  legacy(fileName: string, ext: string): DraftFileError {
    const app = ext === 'wps' ? 'WPS' : 'Word 或 WPS';
    return new DraftFileError(
      'legacy',
      `“${fileName}”是旧版 .${ext} 格式，我读不了。请在 ${app} 中打开它，点“文件 → 另存为”，保存类型选“Word 文档（*.docx）”，再把新的 .docx 文件发给我。${PASTE_HINT}`,
    );
  },
  unsupported(fileName: string): DraftFileError {
    return new DraftFileError(
      'unsupported',
      `暂不支持“${fileName}”这种文件。稿件请发送 Word（.docx）、PDF、纯文本（.txt）或 Markdown（.md）文件；${PASTE_HINT}`,
    );
  },
  tooLarge(fileName: string, maxBytes: number): DraftFileError {
    const mb = Math.round(maxBytes / (1024 * 1024));
    return new DraftFileError(
      'too_large',
      `文件“${fileName}”超过 ${mb} MB，未提交。文件大多是图片撑大的：请删除或压缩文中图片后另存，再发给我；${PASTE_HINT}`,
    );
  },
  empty(fileName: string): DraftFileError {
    return new DraftFileError('empty', `文件“${fileName}”是空的，没有读到任何文字，未提交。请检查文件后重新发送。`);
  },
  scanned(fileName: string): DraftFileError {
    return new DraftFileError(
      'scanned',
      `“${fileName}”是扫描件或图片做成的 PDF，读不出文字，未提交。请发送 Word 原文件（.docx），或从 Word/WPS 直接“导出为 PDF”后再发；${PASTE_HINT}`,
    );
  },
  encrypted(fileName: string): DraftFileError {
    return new DraftFileError(
      'encrypted',
      `文件“${fileName}”设置了打开密码，我无法读取，未提交。请在 Word/WPS 中取消密码（“文件 → 文档加密”或“保护文档”）后另存，再发给我。`,
    );
  },
  corrupt(fileName: string): DraftFileError {
    return new DraftFileError(
      'corrupt',
      `文件“${fileName}”已损坏或不是它扩展名所说的格式，无法打开，未提交。请用 Word/WPS 打开确认无误后另存为 .docx（或导出为 PDF）再发送。`,
    );
  },
  /** A zip bomb, or a file whose parsing needs more memory than a draft ever does. */
  tooComplex(fileName: string): DraftFileError {
    return new DraftFileError(
      'too_complex',
      `文件“${fileName}”解压或读取后的内容异常庞大，不像一篇正常的稿件，未提交。请用 Word/WPS 打开确认无误后另存为 .docx（或导出为 PDF）再发送；${PASTE_HINT}`,
    );
  },
  tooManyPages(fileName: string, pages: number, max: number): DraftFileError {
    return new DraftFileError(
      'too_many_pages',
      `“${fileName}”共 ${pages} 页，超过稿件文件 ${max} 页的上限，未提交。请只发送稿件本身；${PASTE_HINT}`,
    );
  },
  tooSlow(fileName: string, seconds: number): DraftFileError {
    return new DraftFileError(
      'too_slow',
      `读取文件“${fileName}”超过 ${seconds} 秒仍未完成，已停止读取，未提交。请用 Word/WPS 打开后另存为 .docx（或导出为 PDF）再发送；${PASTE_HINT}`,
    );
  },
  renamedDoc(fileName: string): DraftFileError {
    return new DraftFileError(
      'renamed_doc',
      `文件“${fileName}”的扩展名是 .docx，但内容其实是旧版 .doc 格式。请在 Word 或 WPS 中打开，“另存为”Word 文档（*.docx）后再发送。`,
    );
  },
};
