/**
 * People and chats: contact users (get, batch) and chat members.
 *
 * - Unknown user → 41050 "no user authority" (获取单个用户信息 doc): to an app,
 *   a user outside its contact scope and a non-existent one look the same.
 * - Batch silently omits unknown ids; at most 50 ids.
 * - batch_get_id (通过手机号或邮箱获取用户 ID): POST, body {emails, mobiles, include_resigned}, at most
 *   50 of each; answers `user_list` in request order (emails first), a person not found (or outside the
 *   app's availability scope) without `user_id`; scope contact:user.id:readonly, else 99991672.
 * - Chat members exclude bots, page_size default 20, max 100 (获取群成员列表 doc);
 *   unknown chat → 232006, bot not in chat → 232011.
 */
import { fieldError, larkError } from '../lark-error.js';
import type { LarkState } from '../lark-state.js';
import { ok, type Route } from '../route.js';
import type { FakeUser } from '../types.js';

const USER_ID_TYPES: ReadonlySet<string> = new Set(['open_id', 'union_id', 'user_id']);
const BATCH_MAX = 50;
const CONTACT_READ_SCOPES = ['contact:user.base:readonly', 'contact:contact.base:readonly', 'contact:contact:readonly_as_app'];
const USER_ID_SCOPES = ['contact:user.id:readonly'];
const MEMBERS_PAGE_DEFAULT = 20;
const MEMBERS_PAGE_MAX = 100;

function userIdType(query: URLSearchParams, param = 'user_id_type'): string {
  const type = query.get(param) ?? 'open_id';
  if (!USER_ID_TYPES.has(type)) throw fieldError(param, `${param} must be open_id, union_id or user_id`);
  return type;
}

function userView(user: FakeUser, state: LarkState): Record<string, unknown> {
  return {
    open_id: user.openId,
    union_id: user.unionId ?? '',
    ...(user.userId ? { user_id: user.userId } : {}),
    name: user.name,
    en_name: user.enName ?? '',
    ...(user.email ? { email: user.email } : {}),
    avatar: { avatar_72: '', avatar_240: '', avatar_640: '', avatar_origin: '' },
    status: { is_frozen: false, is_resigned: false, is_activated: true, is_exited: false, is_unjoin: false },
    tenant_key: state.tenantKey,
  };
}

const userGetRoute: Route = {
  method: 'GET',
  pattern: '/open-apis/contact/v3/users/:user_id',
  name: 'contact.user.get',
  scopes: CONTACT_READ_SCOPES,
  handle(req, state) {
    const type = userIdType(req.query);
    const user = state.findUser(type, req.params['user_id'] ?? '');
    if (!user || user.inContactScope === false) throw larkError(41050);
    return ok({ user: userView(user, state) });
  },
};

const userBatchRoute: Route = {
  method: 'GET',
  pattern: '/open-apis/contact/v3/users/batch',
  name: 'contact.user.batch',
  scopes: CONTACT_READ_SCOPES,
  handle(req, state) {
    const type = userIdType(req.query);
    const ids = req.query.getAll('user_ids');
    if (ids.length === 0 || ids.length > BATCH_MAX) {
      throw fieldError('user_ids', `user_ids needs 1 to ${BATCH_MAX} ids`);
    }
    const items = ids.map((id) => state.findUser(type, id)).filter((u): u is FakeUser => u !== undefined);
    return ok({ items: items.map((u) => userView(u, state)) });
  },
};

function stringList(body: Record<string, unknown>, field: string): string[] {
  const v = body[field];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw fieldError(field, `${field} must be an array of strings`);
  if (v.length > BATCH_MAX) throw fieldError(field, `${field} accepts at most ${BATCH_MAX} items`);
  return v as string[];
}

const batchGetIdRoute: Route = {
  method: 'POST',
  pattern: '/open-apis/contact/v3/users/batch_get_id',
  name: 'contact.user.batch_get_id',
  body: 'json',
  scopes: USER_ID_SCOPES,
  limits: { perSecond: 50, perMinute: 1000 },
  handle(req, state) {
    const type = userIdType(req.query);
    const emails = stringList(req.body, 'emails');
    const mobiles = stringList(req.body, 'mobiles');
    if (emails.length + mobiles.length === 0) throw fieldError('emails', 'emails or mobiles is required');
    const idOf = (u: FakeUser | undefined) => {
      if (!u || u.inContactScope === false) return undefined;
      return type === 'union_id' ? u.unionId : type === 'user_id' ? u.userId : u.openId;
    };
    const entry = (key: 'email' | 'mobile', value: string) => {
      const user = state.findUser(key, value);
      const id = idOf(user);
      return id
        ? { user_id: id, [key]: value, status: { is_frozen: false, is_resigned: false, is_activated: true, is_exited: false, is_unjoin: false } }
        : { [key]: value };
    };
    return ok({ user_list: [...emails.map((e) => entry('email', e)), ...mobiles.map((m) => entry('mobile', m))] });
  },
};

const chatMembersRoute: Route = {
  method: 'GET',
  pattern: '/open-apis/im/v1/chats/:chat_id/members',
  name: 'im.chat_members.get',
  handle(req, state) {
    const memberIdType = userIdType(req.query, 'member_id_type');
    const pageSize = Number(req.query.get('page_size') ?? MEMBERS_PAGE_DEFAULT);
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MEMBERS_PAGE_MAX) {
      throw fieldError('page_size', `page_size must be 1..${MEMBERS_PAGE_MAX}`);
    }
    const chat = state.chat(req.params['chat_id'] ?? '');
    if (!chat) throw larkError(232006);
    if (chat.botIsMember === false) throw larkError(232011);
    const token = req.query.get('page_token');
    const start = token ? Number(Buffer.from(token, 'base64').toString('utf8')) : 0;
    if (!Number.isInteger(start) || start < 0) throw fieldError('page_token', 'invalid page_token');

    const members = (chat.members ?? []).filter((id) => id !== state.botOpenId);
    const page = members.slice(start, start + pageSize);
    const hasMore = start + pageSize < members.length;
    const items = page.map((openId) => {
      const user = state.user(openId);
      const memberId =
        memberIdType === 'union_id' ? user?.unionId ?? '' : memberIdType === 'user_id' ? user?.userId ?? '' : openId;
      return { member_id_type: memberIdType, member_id: memberId, name: user?.name ?? '', tenant_key: state.tenantKey };
    });
    return ok({
      items,
      has_more: hasMore,
      ...(hasMore ? { page_token: Buffer.from(String(start + pageSize)).toString('base64') } : {}),
      member_total: members.length,
    });
  },
};

// batch must come before :user_id so "batch" is not taken for an id.
export const directoryRoutes: Route[] = [batchGetIdRoute, userBatchRoute, userGetRoute, chatMembersRoute];
