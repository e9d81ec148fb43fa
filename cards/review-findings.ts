import { FINDING_LABELS, type Finding } from '../domain/checks/types.js';
import { escapeMd, excerpt, markdown, type Element } from './elements.js';

/**
 * The pre-review check results as one markdown block: warnings for the reviewer (and the officer),
 * never a verdict. Long lists are cut so a noisy text cannot push the card over its size limit.
 */
export function findingsSection(findings: Finding[], max = 15): Element {
  if (findings.length === 0) return markdown('**预审提示**\n未发现问题。');
  const lines = findings.slice(0, max).map((f) => {
    const where = f.paragraph === undefined ? '' : f.paragraph === 0 ? '（标题）' : `（第${f.paragraph}段）`;
    const quote = f.excerpt ? `“${escapeMd(excerpt(f.excerpt, 30))}”` : '';
    const other = f.other ? `（与 ${escapeMd(f.other.unit)} ${escapeMd(f.other.serial)} 相似度 ${Math.round(f.other.similarity * 100)}%）` : '';
    return `- **${FINDING_LABELS[f.kind] ?? f.kind}**${where}${quote}：${escapeMd(f.message)}${other}`;
  });
  const more = findings.length > max ? `\n另有 ${findings.length - max} 条提示未列出。` : '';
  return markdown(`**预审提示**（${findings.length} 条，仅供参考）\n${lines.join('\n')}${more}`);
}

/** Stored jsonb is untyped: keep only entries that look like findings. */
export function asFindings(value: unknown): Finding[] {
  if (!Array.isArray(value)) return [];
  return value.filter((f): f is Finding => Boolean(f) && typeof f === 'object' && typeof (f as Finding).message === 'string');
}
