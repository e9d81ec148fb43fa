import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const SCANNED = ['cards', 'commands', 'domain'];

/** The words docs/glossary.md marks as replaced: the lines of its ```replaced block. */
function replacedWords(): string[] {
  const text = readFileSync(join(ROOT, 'docs', 'glossary.md'), 'utf8');
  const block = /```replaced\n([\s\S]*?)```/.exec(text);
  if (!block) throw new Error('docs/glossary.md has no ```replaced block');
  return block[1]!.split('\n').map((l) => l.trim()).filter(Boolean);
}

type Hit = { file: string; line: number; word: string; text: string };

/**
 * Every string literal and template piece in a TypeScript source that contains a replaced word.
 * Comments and identifiers are not strings; a command's `aliases` keep old names on purpose; a line
 * marked `glossary-ok` (on it or the line above) says why it keeps a word.
 */
function scanSource(file: string, source: string, words: string[]): Hit[] {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const lines = source.split('\n');
  const hits: Hit[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isPropertyAssignment(node) && node.name.getText(sf) === 'aliases') return;
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) return;
    if (
      ts.isStringLiteral(node) ||
      ts.isNoSubstitutionTemplateLiteral(node) ||
      ts.isTemplateHead(node) ||
      ts.isTemplateMiddle(node) ||
      ts.isTemplateTail(node)
    ) {
      const text = node.text;
      const line = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line;
      const marked = /glossary-ok/.test(lines[line] ?? '') || /glossary-ok/.test(lines[line - 1] ?? '');
      if (!marked) for (const word of words) if (text.includes(word)) hits.push({ file, line: line + 1, word, text });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return hits;
}

/**
 * Dates and counts written the way docs/glossary.md says: an instant put into a user-visible
 * template through the ISO formatters (formatLocal, formatLocalDate) instead of chineseDateTime /
 * chineseLocalDate; a count with a thousands separator (1,234) or a space before 字 (1234 字).
 */
function scanFormats(file: string, source: string): Hit[] {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const hits: Hit[] = [];
  const at = (node: ts.Node) => sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
  const visit = (node: ts.Node, inTemplate: boolean) => {
    if (ts.isImportDeclaration(node)) return;
    if (inTemplate && ts.isCallExpression(node) && ts.isIdentifier(node.expression) && /^formatLocal(Date)?$/.test(node.expression.text))
      hits.push({ file, line: at(node), word: node.expression.text, text: node.getText(sf) });
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node)) {
      const text = node.text;
      const spaced = /\d[ \u3000]+字/.test(text) || ((ts.isTemplateMiddle(node) || ts.isTemplateTail(node)) && /^[ \u3000]+字/.test(text));
      if (/\d,\d{3}/.test(text)) hits.push({ file, line: at(node), word: '1,234', text });
      if (spaced) hits.push({ file, line: at(node), word: '1234 字', text });
    }
    ts.forEachChild(node, (child) => visit(child, inTemplate || ts.isTemplateExpression(node)));
  };
  visit(sf, false);
  return hits;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

describe('vocabulary (docs/glossary.md)', () => {
  const words = replacedWords();

  it('the glossary lists the words it replaces', () => {
    for (const w of ['选题', '约稿', '我来写', '采编', '编辑台', '投递状态', '期刊', '已归档', '「', '确认报送']) expect(words).toContain(w);
  });

  it('no user-visible string under cards/, commands/ or domain/ uses a replaced word', () => {
    const hits = SCANNED.flatMap((d) => sourceFiles(join(ROOT, d))).flatMap((f) => scanSource(relative(ROOT, f), readFileSync(f, 'utf8'), words));
    expect(hits.map((h) => `${h.file}:${h.line} “${h.word}” in ${JSON.stringify(h.text)}`)).toEqual([]);
  });

  it('dates in user-visible text read 2026年10月12日 and counts 1234字', () => {
    const hits = SCANNED.flatMap((d) => sourceFiles(join(ROOT, d))).flatMap((f) => scanFormats(relative(ROOT, f), readFileSync(f, 'utf8')));
    expect(hits.map((h) => `${h.file}:${h.line} ${h.word} in ${JSON.stringify(h.text)}`)).toEqual([]);
  });

  it('the format scan finds ISO dates in templates, separators and spaced counts', () => {
    const source = [
      'const a = `截止 ${formatLocal(d, tz)}`;',
      'const b = formatLocalDate(d, tz);',
      "const c = '共 1,234 字';",
      'const e = `正文 ${n} 字`;',
      'const f = `正文 ${n}字，截止 ${chineseDateTime(d, tz)}`;',
    ].join('\n');
    expect(scanFormats('x.ts', source).map((h) => [h.line, h.word])).toEqual([
      [1, 'formatLocal'],
      [3, '1,234'],
      [3, '1234 字'],
      [4, '1234 字'],
    ]);
  });

  it('the scan finds words in strings and templates, not in comments, identifiers or aliases', () => {
    const source = [
      '// 编辑台 in a comment',
      'const 编辑台 = 1;',
      "export const c = { name: '待编稿件', aliases: ['编辑台'], summary: '查看编辑台' };",
      'const t = `点题 ${x}「标题」`;',
      "const ok = '「」'; // glossary-ok: names the marks it warns about",
    ].join('\n');
    const hits = scanSource('x.ts', source, ['编辑台', '「']);
    expect(hits.map((h) => [h.line, h.word])).toEqual([
      [3, '编辑台'],
      [4, '「'],
    ]);
  });
});
