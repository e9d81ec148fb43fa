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
