import { EventEmitter } from 'node:events';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { FakeLark, StoredMessage } from '../open-api/index.js';

/** One message as the console shows it: what a Lark client would have in its chat list. */
export type ChatEntry = {
  messageId: string;
  chatId: string;
  chatType: 'p2p' | 'group';
  /** In a p2p chat, the person the bot talks to. */
  p2pUser?: string;
  /** `bot`, or the sender's open_id. */
  from: string;
  msgType: string;
  /** Current content, parsed (a card after its latest update). */
  content: unknown;
  createTime: number;
  updateTime: number;
  parentId?: string;
  /** How the sender addressed it; kept so a restart can give the fake back the same message. */
  receiveIdType: string;
  receiveId: string;
  /** Bumped on every update, so a browser can ignore stale copies. */
  version: number;
};

export type TranscriptEvents = { entry: [ChatEntry, 'new' | 'update'] };

const FILE_VERSION = 1;

/**
 * The console's record of every chat, fed by the fake Lark's `message`/`patch` events. The fake
 * keeps messages in memory only; local mode persists this record beside the database so chats,
 * and the cards the bot may still patch, survive a restart (the fake gets them back on load).
 */
export class Transcript extends EventEmitter<TranscriptEvents> {
  private readonly byId = new Map<string, ChatEntry>();
  private saveTimer: NodeJS.Timeout | undefined;
  private readonly handlers: { message: (m: StoredMessage) => void; patch: (p: { message: StoredMessage }) => void };

  constructor(
    private readonly fake: FakeLark,
    /** JSON file to persist to; undefined keeps everything in memory (tests, memory:// databases). */
    private readonly file: string | undefined,
  ) {
    super();
    this.handlers = {
      message: (m) => this.upsert(fromStored(m, this.fake), 'new'),
      patch: ({ message }) => this.upsert(fromStored(message, this.fake), 'update'),
    };
  }

  /** Reads the persisted chats and hands them back to the fake, then follows the fake's events. */
  start(): this {
    for (const entry of this.readFile()) {
      this.byId.set(entry.messageId, entry);
      this.fake.restoreMessage({
        messageId: entry.messageId,
        chatId: entry.chatId,
        chatType: entry.chatType,
        receiveIdType: entry.receiveIdType,
        receiveId: entry.receiveId,
        ...(entry.p2pUser ? { p2pUserOpenId: entry.p2pUser } : {}),
        msgType: entry.msgType,
        content: entry.content,
        raw: JSON.stringify(entry.content),
        sender:
          entry.from === 'bot'
            ? { id: this.fake.appId, idType: 'app_id', senderType: 'app' }
            : { id: entry.from, idType: 'open_id', senderType: 'user' },
        inbound: entry.from !== 'bot',
        createTime: entry.createTime,
        ...(entry.parentId ? { parentId: entry.parentId } : {}),
      });
    }
    this.fake.on('message', this.handlers.message);
    this.fake.on('patch', this.handlers.patch);
    return this;
  }

  entries(): ChatEntry[] {
    return [...this.byId.values()].sort((a, b) => a.createTime - b.createTime);
  }

  get(messageId: string): ChatEntry | undefined {
    return this.byId.get(messageId);
  }

  /**
   * A card callback answered with `card`: the Lark client swaps the card in place for everyone who
   * sees it, without an API call the fake would notice.
   */
  applyCard(messageId: string, card: unknown): void {
    const entry = this.byId.get(messageId);
    if (!entry) return;
    this.upsert({ ...entry, content: card, updateTime: this.fake.now() }, 'update');
  }

  /** Forgets everything, in memory and on disk (demo reset). */
  clear(): void {
    this.byId.clear();
    this.scheduleSave();
  }

  async stop(): Promise<void> {
    this.fake.off('message', this.handlers.message);
    this.fake.off('patch', this.handlers.patch);
    this.flush();
  }

  /** Writes now (the debounced save would otherwise be lost on exit). */
  flush(): void {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    if (!this.file) return;
    mkdirSync(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify({ version: FILE_VERSION, entries: this.entries() }));
    renameSync(tmp, this.file);
  }

  private upsert(entry: ChatEntry, kind: 'new' | 'update'): void {
    const prior = this.byId.get(entry.messageId);
    const next = { ...entry, version: (prior?.version ?? 0) + (prior ? 1 : 0) };
    this.byId.set(entry.messageId, next);
    this.emit('entry', next, prior ? 'update' : kind);
    this.scheduleSave();
  }

  private scheduleSave(): void {
    if (!this.file || this.saveTimer) return;
    // Bursts (a month of demo history, a patched board) become one write.
    this.saveTimer = setTimeout(() => this.flush(), 300);
    this.saveTimer.unref();
  }

  private readFile(): ChatEntry[] {
    if (!this.file || !existsSync(this.file)) return [];
    try {
      const parsed = JSON.parse(readFileSync(this.file, 'utf8')) as { version?: number; entries?: ChatEntry[] };
      return parsed.version === FILE_VERSION && Array.isArray(parsed.entries) ? parsed.entries : [];
    } catch {
      // A damaged file only loses the console's view of old chats, never data: start empty.
      return [];
    }
  }
}

/**
 * A file the bot sends carries only its file_key; Feishu shows the name, type and size it was
 * uploaded with. The console does the same from the emulator's uploads.
 */
function withFileDetails(m: StoredMessage, fake: FakeLark): unknown {
  if (m.msgType !== 'file' || m.inbound || !m.content || typeof m.content !== 'object') return m.content;
  const c = m.content as Record<string, unknown>;
  const file = fake.uploadedFiles.find((f) => f.fileKey === c['file_key']);
  if (!file) return c;
  return { ...c, file_name: c['file_name'] ?? file.fileName, file_type: file.fileType, file_size: file.bytes.length };
}

function fromStored(m: StoredMessage, fake: FakeLark): ChatEntry {
  const entry: ChatEntry = {
    messageId: m.messageId,
    chatId: m.chatId,
    chatType: m.chatType,
    from: m.inbound ? m.sender.id : 'bot',
    msgType: m.msgType,
    content: withFileDetails(m, fake),
    createTime: m.createTime,
    updateTime: m.updateTime,
    receiveIdType: m.receiveIdType,
    receiveId: m.receiveId,
    version: 0,
  };
  if (m.p2pUserOpenId) entry.p2pUser = m.p2pUserOpenId;
  if (m.parentId) entry.parentId = m.parentId;
  return entry;
}
