import { LineCounter, parseDocument, isNode } from 'yaml';
import { z } from 'zod';

const openId = z.string().trim().regex(/^ou_[0-9A-Za-z_-]+$/, '应为飞书 open_id（以 ou_ 开头）');
const person = z.union([
  openId,
  z.object({ id: openId, name: z.string().trim().min(1, '姓名不能为空').optional() }).strict(),
]);

const unitSchema = z
  .object({
    name: z.string().trim().min(1, '单位名称不能为空'),
    reviewers: z.array(person).min(1, '每个单位至少要有一名组织委员（reviewers）'),
    officers: z.array(person).min(1, '每个单位至少要有一名信息员（officers）'),
    designated_officer: openId.optional(),
  })
  .strict();

const orgSchema = z
  .object({
    department: z.string().trim().min(1, '部门名称不能为空'),
    bulletin: z.string().trim().min(1, '刊物名称不能为空'),
    group_chat_id: z.string().trim().regex(/^oc_[0-9A-Za-z_-]+$/, '应为飞书群 chat_id（以 oc_ 开头）'),
    editors: z.array(person).min(1, '至少要有一名研究室成员（editors）'),
    leaders: z.array(person).default([]),
    /** Who signs (签发) issues; default: every leader. Each must be one of the leaders. */
    signers: z.array(openId).default([]),
    /** The 报/送/发 lines printed at the foot of every issue. */
    distribution: z
      .object({ 报: z.string().trim().optional(), 送: z.string().trim().optional(), 发: z.string().trim().optional() })
      .strict()
      .default({}),
    units: z.array(unitSchema).min(1, '至少要有一个单位（units）'),
  })
  .strict()
  .superRefine((org, ctx) => {
    const leaderIds = org.leaders.map(idOf);
    org.signers.forEach((s, i) => {
      if (!leaderIds.includes(s)) ctx.addIssue({ code: 'custom', path: ['signers', i], message: '签发人必须是 leaders（部领导）中的一员' });
    });
    const seen = new Map<string, number>();
    org.units.forEach((u, i) => {
      if (seen.has(u.name)) ctx.addIssue({ code: 'custom', path: ['units', i, 'name'], message: `单位名称“${u.name}”重复` });
      seen.set(u.name, i);
      const officers = u.officers.map(idOf);
      if (u.designated_officer && !officers.includes(u.designated_officer)) {
        ctx.addIssue({
          code: 'custom',
          path: ['units', i, 'designated_officer'],
          message: '专职信息员必须是本单位 officers 中的一员',
        });
      }
    });
  });

export type PersonEntry = z.infer<typeof person>;
export type OrgFile = z.infer<typeof orgSchema>;

export function idOf(p: PersonEntry): string {
  return typeof p === 'string' ? p : p.id;
}
export function nameOf(p: PersonEntry): string | undefined {
  return typeof p === 'string' ? undefined : p.name;
}

export class OrgFileError extends Error {
  constructor(readonly problems: { line: number | undefined; path: string; message: string }[]) {
    super(
      problems
        .map((p) => `${p.line ? `第 ${p.line} 行` : '文件'}${p.path ? `（${p.path}）` : ''}：${p.message}`)
        .join('\n'),
    );
    this.name = 'OrgFileError';
  }
}

/** Parses and validates org.yaml; every problem is reported with its line. */
export function parseOrgFile(text: string): OrgFile {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length) {
    throw new OrgFileError(
      doc.errors.map((e) => ({
        line: lineCounter.linePos(e.pos[0]).line,
        path: '',
        message: `YAML 格式错误：${e.message.split('\n')[0]}`,
      })),
    );
  }
  const result = orgSchema.safeParse(doc.toJS());
  if (result.success) return result.data;
  throw new OrgFileError(
    result.error.issues.map((issue) => {
      const path = issue.path as (string | number)[];
      return { line: lineOf(doc, lineCounter, path), path: formatPath(path), message: issue.message };
    }),
  );
}

function lineOf(doc: ReturnType<typeof parseDocument>, lc: LineCounter, path: (string | number)[]): number | undefined {
  // The deepest node that exists on the path: a missing key is reported at its parent.
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
    if (isNode(node) && node.range) return lc.linePos(node.range[0]).line;
  }
  return undefined;
}

function formatPath(path: (string | number)[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}
