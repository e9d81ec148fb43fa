/**
 * Everything the fake Lark tenant knows: tokens, the directory (users, chats,
 * documents, wiki nodes), stored messages, uploads and rate-limit windows.
 * Handlers read and change it; FakeLark exposes it to tests.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { EventEmitter } from 'node:events';
import { larkError } from './lark-error.js';
import { SlidingWindowLimiter } from './rate-limiter.js';
import type {
  CardUpdateToken,
  ChangeVia,
  ContentChange,
  FakeChat,
  FakeDocument,
  FakeLarkEvents,
  FakeLarkOptions,
  FakeUser,
  FakeWikiNode,
  MessageResource,
  RecordedCall,
  StoredMessage,
  UploadedFile,
  UrgentRecord,
} from './types.js';

const HOUR = 3600_000;
/** tenant_access_token lifetime (tenant_access_token_internal doc). */
export const TOKEN_TTL_MS = 2 * HOUR;
/** With less than this left, a token request issues a new token (both stay valid). */
const TOKEN_REFRESH_MS = 30 * 60_000;

/** What a caller says about a message to store; the rest of a StoredMessage (ids, times, history) is filled in. */
export type NewMessage = Pick<StoredMessage, 'chatId' | 'chatType' | 'receiveIdType' | 'receiveId' | 'msgType' | 'content' | 'raw' | 'sender'> &
  Partial<Pick<StoredMessage, 'p2pUserOpenId' | 'uuid' | 'parentId' | 'rootId' | 'threadId' | 'inbound' | 'messageId' | 'createTime'>>;

function hex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

function stableHex(input: string, chars: number): string {
  return createHash('sha256').update(input).digest('hex').slice(0, chars);
}

export class LarkState {
  readonly appId: string;
  /** Changed by `FakeLark.resetAppSecret` (重置 App Secret in the developer console). */
  appSecret: string;
  readonly botOpenId: string;
  readonly botName: string;
  readonly tenantKey: string;
  readonly autoCreateChats: boolean;

  readonly calls: RecordedCall[] = [];
  readonly messages: StoredMessage[] = [];
  readonly uploadedFiles: UploadedFile[] = [];
  readonly urgents: UrgentRecord[] = [];
  readonly limiter = new SlidingWindowLimiter();

  private readonly messagesById = new Map<string, StoredMessage>();
  private readonly filesByKey = new Map<string, UploadedFile>();
  private readonly uuids = new Map<string, { messageId: string; at: number }>();
  private readonly tokens = new Map<string, number>();
  private readonly users = new Map<string, FakeUser>();
  private readonly chats = new Map<string, FakeChat>();
  private readonly p2pChats = new Map<string, string>();
  private readonly documents = new Map<string, FakeDocument>();
  private readonly wikiNodes = new Map<string, FakeWikiNode>();
  private readonly resources = new Map<string, MessageResource>();
  private readonly cardTokens = new Map<string, CardUpdateToken>();
  /** Scopes the tenant admin has not granted (every scope is granted unless revoked). */
  private readonly revokedScopes = new Set<string>();

  constructor(
    options: FakeLarkOptions,
    readonly events: EventEmitter<FakeLarkEvents>,
    readonly now: () => number,
  ) {
    this.appId = options.appId;
    this.appSecret = options.appSecret;
    this.botOpenId = options.botOpenId ?? `ou_${stableHex(`bot:${options.appId}`, 32)}`;
    this.botName = options.botName ?? 'Gaojian (emulated)';
    this.tenantKey = options.tenantKey ?? stableHex(`tenant:${options.appId}`, 16);
    this.autoCreateChats = options.autoCreateChats ?? true;
  }

  // ---- tenant_access_token -------------------------------------------------

  /**
   * Same token while ≥30 min remain, else a new one; old ones stay valid until
   * they expire (tenant_access_token_internal doc).
   */
  issueToken(): { token: string; expireSeconds: number } {
    const now = this.now();
    for (const [token, expiresAt] of this.tokens) {
      if (expiresAt - now >= TOKEN_REFRESH_MS) return { token, expireSeconds: Math.floor((expiresAt - now) / 1000) };
    }
    const token = `t-${hex(20)}`;
    this.tokens.set(token, now + TOKEN_TTL_MS);
    return { token, expireSeconds: TOKEN_TTL_MS / 1000 };
  }

  isValidToken(token: string): boolean {
    const expiresAt = this.tokens.get(token);
    return expiresAt !== undefined && expiresAt > this.now();
  }

  expireTokens(): void {
    this.tokens.clear();
  }

  // ---- scopes ------------------------------------------------------------------

  hasScope(scope: string): boolean {
    return !this.revokedScopes.has(scope);
  }

  setScope(scope: string, granted: boolean): void {
    if (granted) this.revokedScopes.delete(scope);
    else this.revokedScopes.add(scope);
  }

  // ---- directory -------------------------------------------------------------

  addUser(user: FakeUser): void {
    this.users.set(user.openId, { available: true, ...user });
  }

  user(openId: string): FakeUser | undefined {
    return this.users.get(openId);
  }

  /** Find a registered user by any id type the APIs accept. */
  findUser(idType: string, id: string): FakeUser | undefined {
    if (idType === 'open_id') return this.users.get(id);
    for (const user of this.users.values()) {
      if (idType === 'union_id' && user.unionId === id) return user;
      if (idType === 'user_id' && user.userId === id) return user;
      if (idType === 'email' && user.email === id) return user;
      if (idType === 'mobile' && user.mobile === id) return user;
    }
    return undefined;
  }

  addChat(chat: FakeChat): void {
    this.chats.set(chat.chatId, { botIsMember: true, ...chat });
    if (chat.chatType === 'p2p' && chat.members?.length === 1 && chat.members[0]) {
      this.p2pChats.set(chat.members[0], chat.chatId);
    }
  }

  chat(chatId: string): FakeChat | undefined {
    return this.chats.get(chatId);
  }

  /** Add a human to a chat's member list, if the list is known. */
  addChatMember(chatId: string, openId: string): void {
    const chat = this.chats.get(chatId);
    if (!chat) return;
    const members = new Set(chat.members ?? []);
    members.add(openId);
    chat.members = [...members];
  }

  /**
   * The bot↔user p2p chat: the id seen in an event for that user, else a stable
   * id derived from app and user, so repeated sends land in one chat.
   */
  p2pChatIdFor(openId: string): string {
    const known = this.p2pChats.get(openId);
    if (known) return known;
    const chatId = `oc_${stableHex(`p2p:${this.appId}:${openId}`, 32)}`;
    this.addChat({ chatId, chatType: 'p2p', members: [openId] });
    return chatId;
  }

  /** Register a chat seen in an inbound event, learning p2p mappings and members. */
  noteChat(chatId: string, chatType: FakeChat['chatType'], memberOpenId: string): void {
    if (!this.chats.has(chatId)) {
      this.addChat({ chatId, chatType, members: [memberOpenId] });
    } else {
      this.addChatMember(chatId, memberOpenId);
    }
    if (chatType === 'p2p') this.p2pChats.set(memberOpenId, chatId);
  }

  /** Auto-create an unknown group chat when allowed (see FakeLarkOptions.autoCreateChats). */
  chatOrAutoCreate(chatId: string): FakeChat | undefined {
    const known = this.chats.get(chatId);
    if (known || !this.autoCreateChats || !chatId.startsWith('oc_')) return known;
    this.addChat({ chatId, chatType: 'group' });
    return this.chats.get(chatId);
  }

  addDocument(doc: FakeDocument): void {
    this.documents.set(doc.documentId, { readable: true, ...doc });
  }

  document(documentId: string): FakeDocument | undefined {
    return this.documents.get(documentId);
  }

  addWikiNode(node: FakeWikiNode): void {
    this.wikiNodes.set(node.nodeToken, { objType: 'docx', readable: true, ...node });
  }

  wikiNode(token: string, objType: string): FakeWikiNode | undefined {
    if (objType === 'wiki') return this.wikiNodes.get(token);
    return [...this.wikiNodes.values()].find((n) => n.objToken === token && n.objType === objType);
  }

  // ---- messages ---------------------------------------------------------------

  message(messageId: string): StoredMessage | undefined {
    return this.messagesById.get(messageId);
  }

  storeMessage(input: NewMessage): StoredMessage {
    const now = input.createTime ?? this.now();
    const message: StoredMessage = {
      messageId: input.messageId ?? `om_${hex(16)}`,
      chatId: input.chatId,
      chatType: input.chatType,
      receiveIdType: input.receiveIdType,
      receiveId: input.receiveId,
      msgType: input.msgType,
      content: input.content,
      raw: input.raw,
      originalContent: input.content,
      sender: input.sender,
      createTime: now,
      updateTime: now,
      history: [],
      recalled: false,
      deleted: false,
      inbound: input.inbound ?? false,
    };
    if (input.p2pUserOpenId) message.p2pUserOpenId = input.p2pUserOpenId;
    if (input.uuid) message.uuid = input.uuid;
    if (input.parentId) message.parentId = input.parentId;
    if (input.rootId) message.rootId = input.rootId;
    if (input.threadId) message.threadId = input.threadId;
    this.messages.push(message);
    this.messagesById.set(message.messageId, message);
    if (input.uuid) this.uuids.set(input.uuid, { messageId: message.messageId, at: now });
    this.events.emit('message', message);
    return message;
  }

  /** The message an earlier request with this uuid created, within the 1 h window. */
  messageForUuid(uuid: string): StoredMessage | undefined {
    const seen = this.uuids.get(uuid);
    if (!seen || this.now() - seen.at >= HOUR) return undefined;
    return this.messagesById.get(seen.messageId);
  }

  changeContent(message: StoredMessage, via: ChangeVia, raw: string, content: unknown): ContentChange {
    const change: ContentChange = { at: this.now(), via, content, raw };
    message.history.push(change);
    message.content = content;
    message.raw = raw;
    message.updateTime = change.at;
    this.events.emit('patch', { message, change });
    return change;
  }

  /** A message the bot did not send but must know (inbound user messages). */
  noteInboundMessage(input: Omit<NewMessage, 'sender' | 'inbound' | 'receiveIdType' | 'receiveId'> & {
    senderOpenId: string;
    messageId: string;
  }): StoredMessage {
    const existing = this.messagesById.get(input.messageId);
    if (existing) return existing;
    this.noteChat(input.chatId, input.chatType, input.senderOpenId);
    return this.storeMessage({
      ...input,
      receiveIdType: 'chat_id',
      receiveId: input.chatId,
      sender: { id: input.senderOpenId, idType: 'open_id', senderType: 'user' },
      inbound: true,
    });
  }

  // ---- files and resources ------------------------------------------------------

  storeUpload(file: UploadedFile): void {
    this.uploadedFiles.push(file);
    this.filesByKey.set(file.fileKey, file);
    this.events.emit('upload', file);
  }

  upload(fileKey: string): UploadedFile | undefined {
    return this.filesByKey.get(fileKey);
  }

  addResource(resource: MessageResource): void {
    this.resources.set(`${resource.messageId}\n${resource.fileKey}`, resource);
  }

  resource(messageId: string, fileKey: string): MessageResource | undefined {
    return this.resources.get(`${messageId}\n${fileKey}`);
  }

  // ---- delayed-update tokens -------------------------------------------------

  issueCardToken(messageId: string, token = `c-${hex(20)}`): string {
    this.cardTokens.set(token, { token, messageId, issuedAt: this.now(), uses: 0 });
    return token;
  }

  cardToken(token: string): CardUpdateToken | undefined {
    return this.cardTokens.get(token);
  }

  // ---- lifecycle -----------------------------------------------------------------

  /** Forget traffic (calls, messages, uploads, windows, tokens for card updates). */
  resetTraffic(): void {
    this.calls.length = 0;
    this.messages.length = 0;
    this.uploadedFiles.length = 0;
    this.urgents.length = 0;
    this.messagesById.clear();
    this.filesByKey.clear();
    this.uuids.clear();
    this.cardTokens.clear();
    this.limiter.reset();
  }

  requireMessage(messageId: string): StoredMessage {
    const message = this.messagesById.get(messageId);
    if (!message) {
      throw larkError(
        230001,
        `invalid message_id ${messageId} (emulator: unknown message; register inbound messages with fake.registerEvent())`,
      );
    }
    return message;
  }
}
