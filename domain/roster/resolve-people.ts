import type { LarkApi } from '../../bot/lark-api.js';
import { LarkApiError } from '../../bot/lark-api.js';
import { keyOf, nameOf, OrgFileError, refKindOf, type OrgFile, type PersonEntry } from './org-file.js';

/** The contact API as the roster uses it (the real SDK client in production and tests). */
export type ContactDirectory = Pick<LarkApi, 'findOpenIds' | 'fetchUserName'>;

/** batch_get_id takes at most 50 emails and 50 mobiles per call. */
export const BATCH_GET_ID_MAX = 50;

/** What each scope is called in the developer console, for messages that name a missing one. */
const SCOPE_LABELS: Record<string, string> = {
  'contact:user.id:readonly': '通过手机号或邮箱获取用户 ID',
  'contact:user.base:readonly': '获取用户基本信息',
  'contact:contact.base:readonly': '获取通讯录基本信息',
  'contact:contact:readonly_as_app': '以应用身份读取通讯录',
};

/** The contact API refused or failed: nothing was changed; the message says what to fix. */
export class ContactLookupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ContactLookupError';
  }
}

/** A Chinese explanation of a contact API failure, naming a missing permission when that was the cause. */
export function contactFailureText(err: unknown, neededScope: string): string {
  if (err instanceof LarkApiError) {
    const scopes = err.missingScopes;
    if (scopes) {
      const list = (scopes.length ? scopes : [neededScope]).map((s) => `${s}（${SCOPE_LABELS[s] ?? '通讯录权限'}）`).join(' 或 ');
      return `飞书应用缺少权限 ${list}（错误码 99991672）。请在开发者后台“权限管理”中开通，并发布新版本后重试。`;
    }
    return `调用飞书通讯录接口失败（错误码 ${err.code}：${err.larkMsg}）。需要的权限：${neededScope}（${SCOPE_LABELS[neededScope] ?? ''}）。`;
  }
  return `连接飞书通讯录接口失败：${err instanceof Error ? err.message : String(err)}`;
}

type Ref = { path: (string | number)[]; kind: 'mobile' | 'email'; value: string };

/** Every person in the file written by mobile or email, wherever a key holds people. */
function refsByContact(org: OrgFile): Ref[] {
  const refs: Ref[] = [];
  const walk = (v: unknown, path: (string | number)[]) => {
    if (typeof v === 'string') {
      const kind = refKindOf(v);
      if (kind === 'mobile' || kind === 'email') refs.push({ path, kind, value: v });
    } else if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...path, i]));
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (typeof o.mobile === 'string') refs.push({ path, kind: 'mobile', value: o.mobile });
      else if (typeof o.email === 'string') refs.push({ path, kind: 'email', value: o.email });
      else for (const [k, x] of Object.entries(o)) walk(x, [...path, k]);
    }
  };
  walk(org, []);
  return refs;
}

function chunks<T>(xs: T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}

/**
 * Turns every mobile and email in the file into the person's open_id (batch_get_id, 50 of each per
 * call). People Lark does not find are all listed with their lines; a failed call names the missing
 * permission. Either way it throws before anything is written.
 */
export async function resolveOrgPeople(
  parsed: { org: OrgFile; lineAt: (path: (string | number)[]) => number | undefined },
  contact: ContactDirectory | undefined,
): Promise<OrgFile> {
  const refs = refsByContact(parsed.org);
  if (refs.length === 0) return parsed.org;
  if (!contact) {
    throw new OrgFileError(
      refs.map((r) => ({
        line: parsed.lineAt(r.path),
        path: '',
        message: `${r.value}：未配置飞书应用（LARK_APP_ID），无法按手机号或邮箱查找人员，请改写为 open_id 或配置飞书应用后再导入`,
      })),
    );
  }
  const emails = [...new Set(refs.filter((r) => r.kind === 'email').map((r) => r.value))];
  const mobiles = [...new Set(refs.filter((r) => r.kind === 'mobile').map((r) => r.value))];
  const found = { email: new Map<string, string>(), mobile: new Map<string, string>() };
  const emailBatches = chunks(emails, BATCH_GET_ID_MAX);
  const mobileBatches = chunks(mobiles, BATCH_GET_ID_MAX);
  for (let i = 0; i < Math.max(emailBatches.length, mobileBatches.length); i++) {
    let res;
    try {
      res = await contact.findOpenIds({ emails: emailBatches[i] ?? [], mobiles: mobileBatches[i] ?? [] });
    } catch (err) {
      throw new ContactLookupError(contactFailureText(err, 'contact:user.id:readonly'));
    }
    for (const [k, v] of res.emails) found.email.set(k, v);
    for (const [k, v] of res.mobiles) found.mobile.set(k, v);
  }
  const missing = refs.filter((r) => !found[r.kind].has(r.value));
  if (missing.length) {
    throw new OrgFileError(
      missing.map((r) => ({
        line: parsed.lineAt(r.path),
        path: '',
        message: `找不到${r.kind === 'mobile' ? '手机号' : '邮箱'} ${r.value} 对应的飞书用户（请核对，并确认此人在应用的可用范围内${r.kind === 'email' ? '；企业邮箱别名无法查找，须用本人邮箱' : ''}）`,
      })),
    );
  }
  const resolve = (v: unknown): unknown => {
    if (typeof v === 'string') {
      const kind = refKindOf(v);
      return kind === 'mobile' || kind === 'email' ? found[kind].get(v) : v;
    }
    if (Array.isArray(v)) return v.map(resolve);
    if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (typeof o.mobile === 'string' || typeof o.email === 'string') {
        const p = o as PersonEntry;
        const id = typeof o.mobile === 'string' ? found.mobile.get(o.mobile) : found.email.get(o.email as string);
        const name = nameOf(p);
        return name ? { id, name } : { id };
      }
      return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, resolve(x)]));
    }
    return v;
  };
  return resolve(parsed.org) as OrgFile;
}

/** Every open_id in a resolved file with the name typed there, if any. */
export function peopleOf(org: OrgFile): Map<string, string | undefined> {
  const names = new Map<string, string | undefined>();
  const entries: PersonEntry[] = [...org.editors, ...org.leaders, ...org.units.flatMap((u) => [...u.reviewers, ...u.officers])];
  for (const e of entries) {
    const id = keyOf(e);
    if (!names.has(id) || nameOf(e)) names.set(id, nameOf(e) ?? names.get(id));
  }
  return names;
}
