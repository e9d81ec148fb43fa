import { excerptAround, type Located } from './excerpt.js';
import type { Finding } from './types.js';

const HAN = /[\u3400-\u9fff\uf900-\ufaff]/;
/** Han characters and the full-width punctuation around them: "Chinese context". */
const CHINESE = /[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef“”‘’]/;
const FULL_WIDTH: Record<string, string> = { ',': '，', ';': '；', ':': '：', '?': '？', '!': '！', '(': '（', ')': '）', '.': '。' };

/**
 * Half-width punctuation in Chinese sentences and mismatched or mixed quotation marks. One finding
 * per paragraph and problem, with the first spot as excerpt: a paragraph typed with an English
 * input method would otherwise bury the card in identical warnings.
 */
export function punctuationFindings(texts: Located[]): Finding[] {
  const findings: Finding[] = [];
  for (const { paragraph, text } of texts) {
    if (!text || !HAN.test(text)) continue;
    const half = halfWidthMarks(text);
    if (half.length) {
      const marks = [...new Set(half.map((h) => text[h]!))];
      findings.push({
        kind: 'punctuation',
        paragraph,
        excerpt: excerptAround(text, half[0]!, 1),
        message: `${half.length} 处半角标点（${marks.join(' ')}），中文句子应使用全角标点（${marks.map((m) => FULL_WIDTH[m]).join('')}）。`,
      });
    }
    const quote = quoteProblem(text);
    if (quote) findings.push({ kind: 'punctuation', paragraph, excerpt: excerptAround(text, quote.index, 1), message: quote.message });
  }
  return findings;
}

function halfWidthMarks(text: string): number[] {
  const at: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (!(c in FULL_WIDTH)) continue;
    const before = neighbour(text, i, -1);
    const after = neighbour(text, i, 1);
    const chineseBefore = CHINESE.test(before);
    const chineseAfter = CHINESE.test(after);
    if (c === '.') {
      // 1.5、3.2万、www.gov.cn stay; a full stop after a Chinese sentence does not.
      if (chineseBefore && (after === '' || chineseAfter)) at.push(i);
      continue;
    }
    if (c === '(' ? chineseBefore || chineseAfter : c === ')' ? chineseBefore || chineseAfter : chineseBefore || (chineseAfter && !/[0-9A-Za-z]/.test(before))) {
      at.push(i);
    }
  }
  return at;
}

/** The nearest non-space character on one side, or '' at the edge. */
function neighbour(text: string, i: number, step: 1 | -1): string {
  for (let j = i + step; j >= 0 && j < text.length; j += step) {
    if (text[j] !== ' ') return text[j]!;
  }
  return '';
}

function quoteProblem(text: string): { index: number; message: string } | undefined {
  const straight = text.search(/["']/);
  const curly = text.search(/[“”‘’]/);
  const corner = text.search(/[「」『』]/);
  if (straight >= 0 && (curly >= 0 || corner >= 0)) return { index: straight, message: '半角引号与中文引号混用，请统一使用中文引号“”。' };
  if (straight >= 0) return { index: straight, message: '使用了半角引号，中文句子应使用中文引号“”。' };
  // glossary-ok: the message names the corner quotes it asks people to replace
  if (corner >= 0 && curly >= 0) return { index: corner, message: '「」与“”混用，请统一使用“”。' };
  const open = count(text, '“');
  const close = count(text, '”');
  if (open !== close) return { index: text.search(/[“”]/), message: `中文引号不成对（“ ${open} 个，” ${close} 个）。` };
  return undefined;
}

function count(text: string, ch: string): number {
  let n = 0;
  for (const c of text) if (c === ch) n++;
  return n;
}
