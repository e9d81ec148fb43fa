import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// The layering docs/ARCHITECTURE.md describes, checked on the source: domain/ draws no cards and
// knows no commands, jobs or dispatcher; cards/ takes from domain/ only types and values of modules
// that never touch the database or the app (labels, formatting), so drawing a card cannot query.

const root = resolve(import.meta.dirname, '../..');

function sources(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => relative(root, join(e.parentPath, e.name)));
}

/** Files a module imports for their values (`import type` and type-only names left out), as paths from the root. */
function valueImports(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  const found: string[] = [];
  for (const m of text.matchAll(/^(import|export)\s+(type\s+)?([^;]*?)\s+from\s+'([^']+)'/gms)) {
    const [, , typeOnly, names, spec] = m;
    if (typeOnly || !spec!.startsWith('.')) {
      if (!typeOnly && !spec!.startsWith('.')) found.push(spec!);
      continue;
    }
    const inner = names!.replace(/^\{|\}$/g, '').split(',').map((n) => n.trim()).filter(Boolean);
    if (names!.startsWith('{') && inner.every((n) => n.startsWith('type '))) continue;
    found.push(relative(root, resolve(dirname(join(root, file)), spec!.replace(/\.js$/, '.ts'))));
  }
  for (const m of text.matchAll(/^import\s+'([^']+)'/gm)) found.push(m[1]!);
  return found;
}

describe('layers', () => {
  it('domain/ imports nothing from cards/, commands/, jobs/ or the dispatcher', () => {
    const offending = sources('domain').flatMap((f) =>
      valueImports(f)
        .concat([...readFileSync(join(root, f), 'utf8').matchAll(/from\s+'([^']+)'/g)].map((m) => relative(root, resolve(dirname(join(root, f)), m[1]!))))
        .filter((p) => /^(cards|commands|jobs)\//.test(p) || p === 'bot/dispatcher.ts')
        .map((p) => `${f} → ${p}`),
    );
    expect([...new Set(offending)]).toEqual([]);
  });

  it('cards/ takes values from domain/ only from modules that never reach the database or the app', () => {
    const impure = (file: string, seen = new Set<string>()): string | undefined => {
      if (seen.has(file)) return undefined;
      seen.add(file);
      for (const p of valueImports(file)) {
        if (p === 'drizzle-orm' || p.startsWith('drizzle-orm/') || p === 'postgres' || p.startsWith('@electric-sql/')) return `${file} imports ${p}`;
        if (/^(db\/(client|queries)|bot\/(?!time\.ts|errors\.ts)|commands\/|jobs\/)/.test(p)) return `${file} imports ${p}`;
        if (p.startsWith('domain/')) {
          const why = impure(p, seen);
          if (why) return why;
        }
      }
      return undefined;
    };
    const offending = sources('cards').flatMap((f) =>
      valueImports(f)
        .filter((p) => p.startsWith('domain/'))
        .map((p) => impure(p))
        .filter((why): why is string => why !== undefined)
        .map((why) => `${f}: ${why}`),
    );
    expect(offending).toEqual([]);
  });

  it('the checker sees value imports and skips type-only ones', () => {
    // cards/notices.ts draws notices: it takes splitBody's value from domain/drafts/text.ts and only types from domain/notices.ts.
    const imports = valueImports('cards/notices.ts');
    expect(imports).toContain('domain/drafts/text.ts');
    expect(imports).not.toContain('domain/notices.ts');
  });
});
