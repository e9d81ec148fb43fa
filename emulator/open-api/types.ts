/**
 * Public data types of the fake Lark Open API: what it stores and records, and
 * what tests (and the demo console) can register or inject.
 */

export interface FakeLarkOptions {
  appId: string;
  appSecret: string;
  botOpenId?: string;
  botName?: string;
  tenantKey?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Clock in ms; inject one to make rate limits, token expiry and windows deterministic. */
  now?: () => number;
  /**
   * When true (default), sending to an unknown `oc_` chat creates it as a group
   * the bot belongs to, and unknown users are accepted. Register chats/users
   * explicitly to simulate "bot not in group" or "user out of scope".
   */
  autoCreateChats?: boolean;
}

export type ChatType = 'p2p' | 'group';

/** Who sent a stored message. */
export interface MessageSender {
  id: string;
  idType: 'app_id' | 'open_id';
  senderType: 'app' | 'user';
}

export type ChangeVia = 'patch' | 'delayed_update' | 'edit';

/** One content change of a stored message (PATCH, delayed update or PUT edit). */
export interface ContentChange {
  at: number;
  via: ChangeVia;
  content: unknown;
  raw: string;
}

export interface StoredMessage {
  messageId: string;
  chatId: string;
  chatType: ChatType;
  /** How the sender addressed it (`chat_id`, `open_id`, ...) and to whom; replies use `message_id`. */
  receiveIdType: string;
  receiveId: string;
  /** The open_id of the p2p counterpart, when the chat is p2p. */
  p2pUserOpenId?: string;
  msgType: string;
  /** Current content, parsed. */
  content: unknown;
  /** Current content string as sent. */
  raw: string;
  /** Content as first sent, parsed. */
  originalContent: unknown;
  sender: MessageSender;
  createTime: number;
  updateTime: number;
  uuid?: string;
  parentId?: string;
  rootId?: string;
  threadId?: string;
  /** Chronological content changes. */
  history: ContentChange[];
  recalled: boolean;
  deleted: boolean;
  /** True for messages registered from inbound events/resources (sent by users). */
  inbound: boolean;
}

export interface RecordedCall {
  method: string;
  path: string;
  query: Record<string, string | string[]>;
  /** Parsed JSON body, a multipart summary, or undefined. */
  body: unknown;
  status: number;
  /** Parsed JSON response, or a summary for binary/text responses. */
  response: unknown;
  responseHeaders: Record<string, string>;
  time: number;
  /** True when the response came from {@link FailureRule} injection. */
  injected: boolean;
}

export interface FailureRule {
  method?: string;
  /** Substring of the path. Without it, every path but the token endpoint matches. */
  pathIncludes?: string;
  /** How many matching requests fail (default 1). */
  times?: number;
  status: number;
  /** Defaults: 99991400 for 429; -1 otherwise. */
  code?: number;
  msg?: string;
  /** For 429 the x-ogw-ratelimit-* headers default to limit 50, reset 1 s. */
  headers?: Record<string, string>;
}

export interface UploadedFile {
  fileKey: string;
  fileType: string;
  fileName: string;
  bytes: Buffer;
  duration?: number;
  uploadedAt: number;
}

export interface FakeUser {
  openId: string;
  name: string;
  unionId?: string;
  userId?: string;
  email?: string;
  /** As batch_get_id matches it: 11 digits in mainland China, else `+` and the country code. */
  mobile?: string;
  enName?: string;
  /** False: outside the app's availability scope (可用范围), so contact APIs do not find them. Default true. */
  inContactScope?: boolean;
  /** False simulates a user outside the bot's availability (230013). Default true. */
  available?: boolean;
}

export interface FakeChat {
  chatId: string;
  chatType: ChatType;
  name?: string;
  /** Open ids of human members; undefined means "unknown" (auto-created chats). */
  members?: string[];
  /** False simulates "bot not in group" (230002). Default true. */
  botIsMember?: boolean;
  dissolved?: boolean;
}

export interface FakeDocument {
  /** docx document ids are 27 characters. */
  documentId: string;
  content: string;
  /** False simulates "app has no access" (1770032). Default true. */
  readable?: boolean;
  title?: string;
}

export interface FakeWikiNode {
  nodeToken: string;
  objToken: string;
  objType?: string;
  title?: string;
  spaceId?: string;
  /** False simulates "permission denied" (131006). Default true. */
  readable?: boolean;
}

export interface MessageResource {
  messageId: string;
  fileKey: string;
  bytes: Buffer;
  fileName: string;
  type: 'file' | 'image';
  contentType: string;
}

export interface UrgentRecord {
  messageId: string;
  userIdType: string;
  userIds: string[];
  invalidUserIds: string[];
  at: number;
}

export interface CardUpdateToken {
  token: string;
  messageId: string;
  issuedAt: number;
  uses: number;
}

export interface PatchEvent {
  message: StoredMessage;
  change: ContentChange;
}

/** Events the fake emits; the demo console streams these. */
export interface FakeLarkEvents {
  message: [StoredMessage];
  patch: [PatchEvent];
  call: [RecordedCall];
  upload: [UploadedFile];
  urgent: [UrgentRecord];
  recall: [StoredMessage];
  reset: [];
}
