/**
 * FakeLark: a local stand-in for the Lark Open API that the real
 * `@larksuiteoapi/node-sdk` Client can talk to (`domain: fake.url`).
 *
 * Used by the test suite and as the built-in emulator of the demo mode, so the
 * controls below double as "simulate an outage" features and the emitted events
 * feed the browser console.
 *
 * Directory vs traffic: users, chats, documents, wiki nodes and message
 * resources are the "directory" and survive `reset()`; calls, messages,
 * uploads, buzzes, rate-limit windows, uuids, card-update tokens, queued
 * failures and the outage flag are "traffic" and are cleared. Issued tenant
 * tokens also survive, because the SDK caches them process-wide per appId.
 */
import { EventEmitter } from 'node:events';
import type { CardActionTriggerEvent, MessageReceiveEvent } from '../lark-events.js';
import { FailureInjector } from './failure-injector.js';
import { contentTypeFor } from './routes/file-routes.js';
import { allRoutes } from './routes/index.js';
import { OpenApiServer } from './http-server.js';
import { LarkState, type NewMessage } from './lark-state.js';
import { StallInjector, type Stall, type StallRule } from './stall.js';
import type {
  FailureRule,
  FakeChat,
  FakeDocument,
  FakeLarkEvents,
  FakeLarkOptions,
  FakeUser,
  FakeWikiNode,
  RecordedCall,
  StoredMessage,
  UploadedFile,
  UrgentRecord,
} from './types.js';

/** A file or image a user attached to a message. */
export interface ResourceInput {
  messageId: string;
  fileKey: string;
  bytes: Buffer | Uint8Array | string;
  fileName: string;
  /** Resource type the download must ask for (default `file`). */
  type?: 'file' | 'image';
  /** Defaults from the file extension. */
  contentType?: string;
}

export class FakeLark extends EventEmitter<FakeLarkEvents> {
  private readonly state: LarkState;
  private readonly failures = new FailureInjector();
  private readonly stalls = new StallInjector();
  private readonly server: OpenApiServer;
  private port = 0;

  private constructor(options: FakeLarkOptions) {
    super();
    this.state = new LarkState(options, this, options.now ?? Date.now);
    this.server = new OpenApiServer(this.state, allRoutes, this.failures, this.stalls);
  }

  /** Start listening on 127.0.0.1 (`port` 0 = any free port). */
  static async start(options: FakeLarkOptions): Promise<FakeLark> {
    const fake = new FakeLark(options);
    fake.port = await fake.server.listen(options.port ?? 0);
    return fake;
  }

  /** Base URL to pass as the SDK Client's `domain`. */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get appId(): string {
    return this.state.appId;
  }

  get botOpenId(): string {
    return this.state.botOpenId;
  }

  get botName(): string {
    return this.state.botName;
  }

  get tenantKey(): string {
    return this.state.tenantKey;
  }

  /** The fake's clock (the injected `now`, or Date.now). */
  now(): number {
    return this.state.now();
  }

  // ---- what happened ------------------------------------------------------------

  /** Every request in arrival order, with status and response. */
  get calls(): readonly RecordedCall[] {
    return this.state.calls;
  }

  /** Every stored message: sent by the bot, or registered inbound ones (`inbound: true`). */
  get messages(): readonly StoredMessage[] {
    return this.state.messages;
  }

  /** Files the bot uploaded through /im/v1/files, with their bytes. */
  get uploadedFiles(): readonly UploadedFile[] {
    return this.state.uploadedFiles;
  }

  /** Buzzes (urgent_app) the bot sent. */
  get urgents(): readonly UrgentRecord[] {
    return this.state.urgents;
  }

  message(messageId: string): StoredMessage | undefined {
    return this.state.message(messageId);
  }

  /**
   * Bot messages that landed in a chat (by chat_id) or in the p2p chat with a
   * user (by open_id), including replies there.
   */
  messagesTo(openIdOrChatId: string): StoredMessage[] {
    return this.state.messages.filter(
      (m) =>
        !m.inbound &&
        (m.chatId === openIdOrChatId || m.receiveId === openIdOrChatId || m.p2pUserOpenId === openIdOrChatId),
    );
  }

  /** Interactive messages among {@link messagesTo}; `content` is the current card. */
  cardsTo(openIdOrChatId: string): StoredMessage[] {
    return this.messagesTo(openIdOrChatId).filter((m) => m.msgType === 'interactive');
  }

  /** The text of text messages among {@link messagesTo}. */
  textsTo(openIdOrChatId: string): string[] {
    return this.messagesTo(openIdOrChatId)
      .filter((m) => m.msgType === 'text')
      .map((m) => String((m.content as { text?: unknown }).text ?? ''));
  }

  /** Calls whose path contains `pathIncludes` (and match `method`, if given). */
  callsTo(pathIncludes: string, method?: string): RecordedCall[] {
    return this.state.calls.filter(
      (c) => c.path.includes(pathIncludes) && (!method || c.method === method.toUpperCase()),
    );
  }

  // ---- directory ------------------------------------------------------------------

  addUser(user: FakeUser): this {
    this.state.addUser(user);
    return this;
  }

  /** Take a scope away from the app (or give it back): calls needing it get 99991672. */
  setScope(scope: string, granted: boolean): this {
    this.state.setScope(scope, granted);
    return this;
  }

  addChat(chat: FakeChat): this {
    this.state.addChat(chat);
    return this;
  }

  addDocument(doc: FakeDocument): this {
    this.state.addDocument(doc);
    return this;
  }

  addWikiNode(node: FakeWikiNode): this {
    this.state.addWikiNode(node);
    return this;
  }

  /**
   * Bytes a user attached to a message, served by GET …/messages/:id/resources/:key.
   * Positional or object form.
   */
  addMessageResource(resource: ResourceInput): this;
  addMessageResource(
    messageId: string,
    fileKey: string,
    bytes: ResourceInput['bytes'],
    fileName: string,
    options?: Pick<ResourceInput, 'type' | 'contentType'>,
  ): this;
  addMessageResource(
    first: string | ResourceInput,
    fileKey?: string,
    bytes?: ResourceInput['bytes'],
    fileName?: string,
    options: Pick<ResourceInput, 'type' | 'contentType'> = {},
  ): this {
    const input: ResourceInput =
      typeof first === 'string'
        ? { messageId: first, fileKey: fileKey ?? '', bytes: bytes ?? '', fileName: fileName ?? '', ...options }
        : first;
    this.state.addResource({
      messageId: input.messageId,
      fileKey: input.fileKey,
      bytes: Buffer.from(input.bytes),
      fileName: input.fileName,
      type: input.type ?? 'file',
      contentType: input.contentType ?? contentTypeFor(input.fileName),
    });
    return this;
  }

  /** The chat id the bot's p2p chat with this user has (stable per user). */
  p2pChatIdFor(openId: string): string {
    return this.state.p2pChatIdFor(openId);
  }

  /**
   * Tell the fake about an event Lark "delivered" to the bot, so later API calls
   * that refer to it work as in a real tenant: replies to and resources of an
   * `im.message.receive_v1` message (its chat, and for p2p the user's chat id,
   * become known), delayed updates with a `card.action.trigger` token. Pass the
   * plain payload from lark-events.ts; anything else (URL verification, other
   * event types) is ignored, so a test harness can call this for every POST.
   */
  registerEvent(payload: object): this {
    const type = (payload as { header?: { event_type?: unknown } }).header?.event_type;
    if (type === 'im.message.receive_v1') this.noteMessageEvent(payload as MessageReceiveEvent);
    if (type === 'card.action.trigger') {
      const { token, context } = (payload as CardActionTriggerEvent).event;
      this.state.issueCardToken(context.open_message_id, token);
    }
    return this;
  }

  private noteMessageEvent(payload: MessageReceiveEvent): void {
    const { message, sender } = payload.event;
    const senderOpenId = sender.sender_id.open_id;
    let content: unknown = message.content;
    try {
      content = JSON.parse(message.content);
    } catch {
      // keep the raw string
    }
    this.state.noteInboundMessage({
      messageId: message.message_id,
      chatId: message.chat_id,
      chatType: message.chat_type,
      senderOpenId,
      msgType: message.message_type,
      content,
      raw: message.content,
      createTime: Number(message.create_time) || this.now(),
      ...(message.chat_type === 'p2p' ? { p2pUserOpenId: senderOpenId } : {}),
      ...(message.root_id ? { rootId: message.root_id } : {}),
      ...(message.parent_id ? { parentId: message.parent_id } : {}),
      ...(message.thread_id ? { threadId: message.thread_id } : {}),
    });
  }

  /**
   * Put back a message from an earlier run (local mode keeps its chats across restarts), so the bot
   * can still reply to and patch it and people can still tap its buttons. Emits `message`.
   */
  restoreMessage(input: NewMessage & { messageId: string; createTime: number }): StoredMessage {
    return this.state.message(input.messageId) ?? this.state.storeMessage(input);
  }

  /** A delayed-update token for a card message, as a card callback would carry. */
  issueCardToken(messageId: string): string {
    return this.state.issueCardToken(messageId);
  }

  /** Simulate the message being recalled (PATCH/reply then fail with 230011). */
  recallMessage(messageId: string): void {
    const message = this.state.requireMessage(messageId);
    message.recalled = true;
    this.emit('recall', message);
  }

  /** Simulate the message being deleted (230110). */
  deleteMessage(messageId: string): void {
    this.state.requireMessage(messageId).deleted = true;
  }

  // ---- faults ------------------------------------------------------------------------

  /**
   * Make the next matching request(s) fail with a canned response: 429 (with
   * x-ogw-ratelimit-* headers), 5xx, or HTTP 200 with a non-zero `code`.
   */
  failNext(rule: FailureRule): this {
    this.failures.add(rule);
    return this;
  }

  /** Drop the failures still queued by failNext (an outage of unknown length ends). */
  clearFailures(): this {
    this.failures.clear();
    return this;
  }

  /**
   * Hold the next matching response(s) mid-way: status, headers and the first `afterBytes` body
   * bytes are sent, the rest waits for the returned stall's `release()`. A download that stops
   * delivering bytes (a half-dead connection) looks like this.
   */
  stallNext(rule: StallRule): Stall {
    return this.stalls.add(rule);
  }

  /** Network outage: connections are reset until `setDown(false)`. */
  setDown(down: boolean): this {
    this.server.setDown(down);
    return this;
  }

  /** The office's network is down: connections are refused until `setUnreachable(false)`. */
  async setUnreachable(unreachable: boolean): Promise<this> {
    await this.server.setUnreachable(unreachable);
    return this;
  }

  /**
   * 重置 App Secret in the developer console: token requests with the old secret get 10014. Tokens
   * already issued run out in their own time (`expireTokens` ends them at once).
   */
  resetAppSecret(secret: string): this {
    this.state.appSecret = secret;
    return this;
  }

  /** Invalidate every issued tenant token (later calls get 99991663). */
  expireTokens(): this {
    this.state.expireTokens();
    return this;
  }

  /** Clear traffic, keep the directory (see the file comment). */
  reset(): this {
    this.state.resetTraffic();
    this.failures.clear();
    this.stalls.clear();
    this.server.setDown(false);
    this.emit('reset');
    return this;
  }

  close(): Promise<void> {
    this.removeAllListeners();
    this.stalls.clear();
    return this.server.close();
  }
}

export function startFakeLark(options: FakeLarkOptions): Promise<FakeLark> {
  return FakeLark.start(options);
}
