import { LineCounter, parseDocument, isNode } from 'yaml';
import { z } from 'zod';

const openId = z.string().trim().regex(/^ou_[0-9A-Za-z_-]+$/, '应为飞书 open_id（以 ou_ 开头）');

/** Mainland mobiles are 11 digits; others carry + and the country code (as batch_get_id wants them). */
export const MOBILE_RE = /^(1\d{10}|\+\d{6,15})$/;
export const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const MOBILE_LIKE_RE = /^[+\d][\d\s-]*$/;

/** What a bare value or an entry's id/mobile/email names. */
export type PersonRefKind = 'open_id' | 'mobile' | 'email';
export function refKindOf(v: string): PersonRefKind | undefined {
  if (/^ou_[0-9A-Za-z_-]+$/.test(v)) return 'open_id';
  if (MOBILE_RE.test(v)) return 'mobile';
  if (EMAIL_RE.test(v)) return 'email';
  return undefined;
}

// YAML reads an unquoted 13800000000 as a number.
const asString = (v: unknown) => (typeof v === 'number' ? String(v) : v);
const mobile = z.preprocess(
  asString,
  z.string().trim().regex(MOBILE_RE, '手机号格式不正确（应为 11 位手机号，境外号码以 + 和国家代码开头）'),
);
const email = z.string().trim().regex(EMAIL_RE, '邮箱格式不正确');
/** A bare person reference: an open_id, a mobile or an email. */
const personRef = z.preprocess(
  asString,
  z
    .string()
    .trim()
    .superRefine((v, ctx) => {
      if (refKindOf(v)) return;
      ctx.addIssue({
        code: 'custom',
        message: MOBILE_LIKE_RE.test(v)
          ? `手机号格式不正确：${v}（应为 11 位手机号，境外号码以 + 和国家代码开头）`
          : '应为飞书 open_id（以 ou_ 开头）、手机号或邮箱',
      });
    }),
);
const person = z.union([
  personRef,
  z
    .object({
      id: openId.optional(),
      mobile: mobile.optional(),
      email: email.optional(),
      name: z.string().trim().min(1, '姓名不能为空').optional(),
    })
    .strict()
    .refine((p) => [p.id, p.mobile, p.email].filter((x) => x !== undefined).length === 1, '每个人要写且只写 id、mobile、email 中的一项'),
]);

const unitSchema = z
  .object({
    name: z.string().trim().min(1, '单位名称不能为空'),
    reviewers: z.array(person).min(1, '每个单位至少要有一名组织委员（reviewers）'),
    officers: z.array(person).min(1, '每个单位至少要有一名信息员（officers）'),
    designated_officer: personRef.optional(),
  })
  .strict();

const orgSchema = z
  .object({
    department: z.string().trim().min(1, '部门名称不能为空'),
    /** One publication, or a list (the first is the main one; each is numbered per year on its own). */
    bulletin: z
      .union([
        z.string().trim().min(1, '刊物名称不能为空'),
        z.array(z.string().trim().min(1, '刊物名称不能为空').max(30, '刊物名称不超过 30 个字')).min(1, '至少要有一个刊物'),
      ])
      .transform((b) => (typeof b === 'string' ? [b] : b).map((n) => n.replace(/^《(.*)》$/, '$1'))),
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
    if (new Set(org.bulletin).size !== org.bulletin.length) ctx.addIssue({ code: 'custom', path: ['bulletin'], message: '刊物名称重复' });
    const seen = new Map<string, number>();
    org.units.forEach((u, i) => {
      if (seen.has(u.name)) ctx.addIssue({ code: 'custom', path: ['units', i, 'name'], message: `单位名称“${u.name}”重复` });
      seen.set(u.name, i);
      const officers = u.officers.map(keyOf);
      const reviewers = new Set(u.reviewers.map(keyOf));
      u.officers.forEach((o, j) => {
        if (reviewers.has(keyOf(o))) {
          ctx.addIssue({
            code: 'custom',
            path: ['units', i, 'officers', j],
            message: '同一人不能既是本单位的信息员又是组织委员（组织委员不能审核自己的稿件）',
          });
        }
      });
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

/** The value that names the person in the file: open_id, mobile or email. */
export function keyOf(p: PersonEntry): string {
  return typeof p === 'string' ? p : (p.id ?? p.mobile ?? p.email)!;
}

/** The person's open_id; entries by mobile or email must be resolved first (resolveOrgPeople). */
export function idOf(p: PersonEntry): string {
  const key = keyOf(p);
  if (refKindOf(key) !== 'open_id') throw new Error(`roster entry ${key.replace(/.(?=.{4})/g, '*')} not resolved to an open_id`);
  return key;
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
  return parseOrgFileLocated(text).org;
}

/** parseOrgFile, keeping a way to find the line of any path in the file (for later problems). */
export function parseOrgFileLocated(text: string): { org: OrgFile; lineAt: (path: (string | number)[]) => number | undefined } {
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
  if (result.success) return { org: result.data, lineAt: (path) => lineOf(doc, lineCounter, path) };
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
