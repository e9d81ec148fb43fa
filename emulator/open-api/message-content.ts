/**
 * Validation of the `content` string of send/reply/edit requests, per msg_type
 * (Lark's send-message documentation):
 * - content must be a JSON string of an object, else 230001 "invalid message content";
 * - text ≤150 KB, post and interactive ≤30 KB (230025), measured on the string;
 * - post is locale-keyed when sending: `{"zh_cn": {title, content: [[nodes]]}}`;
 * - file keys must come from this app's uploads (230017), mp4/opus uploads must
 *   be sent as media/audio (230055);
 * - interactive content is Card JSON 2.0 checked by validateCard (230099).
 */
import { CARD_BUILD_ERROR, CARD_MAX_BYTES, validateCard } from '../card-validator.js';
import { LarkApiError, larkError } from './lark-error.js';
import type { LarkState } from './lark-state.js';

export const TEXT_MAX_BYTES = 150 * 1024;

/** The msg_types the emulator implements. */
export const EMULATED_MSG_TYPES: ReadonlySet<string> = new Set(['text', 'post', 'interactive', 'file', 'image']);

/** Real Lark types the emulator does not implement (sent anyway, they are refused with a clear ext). */
const OTHER_LARK_MSG_TYPES: ReadonlySet<string> = new Set([
  'audio',
  'media',
  'sticker',
  'share_chat',
  'share_user',
  'system',
]);

/** The 16 locales a post (and card i18n) may be keyed by. */
const POST_LOCALES: ReadonlySet<string> = new Set([
  'zh_cn', 'en_us', 'ja_jp', 'zh_hk', 'zh_tw', 'id_id', 'vi_vn', 'th_th',
  'pt_br', 'es_es', 'ko_kr', 'de_de', 'fr_fr', 'it_it', 'ru_ru', 'ms_my',
]);

/** Node tags a sent post may use (`md` is send-only). */
const POST_TAGS: ReadonlySet<string> = new Set(['text', 'a', 'at', 'img', 'media', 'emotion', 'hr', 'code_block', 'md']);

const invalidContent = (why: string): LarkApiError => larkError(230001, `invalid message content (${why})`);

/** Parse and check `content` for `msgType`; returns the parsed content. */
export function parseMessageContent(msgType: string, raw: string, state: LarkState): Record<string, unknown> {
  if (!EMULATED_MSG_TYPES.has(msgType)) {
    throw larkError(
      230001,
      OTHER_LARK_MSG_TYPES.has(msgType) ? `msg_type ${msgType} is not emulated` : 'invalid msg_type.',
    );
  }
  const limit = msgType === 'text' ? TEXT_MAX_BYTES : CARD_MAX_BYTES;
  if ((msgType === 'text' || msgType === 'post' || msgType === 'interactive') && Buffer.byteLength(raw) > limit) {
    throw larkError(230025, `content is ${Buffer.byteLength(raw)} bytes; the limit for ${msgType} is ${limit}`);
  }
  let content: unknown;
  try {
    content = JSON.parse(raw);
  } catch {
    throw invalidContent('content is not a JSON string');
  }
  if (typeof content !== 'object' || content === null || Array.isArray(content)) {
    throw invalidContent('content must be a JSON object');
  }
  const obj = content as Record<string, unknown>;
  switch (msgType) {
    case 'text':
      if (typeof obj['text'] !== 'string') throw invalidContent('text content needs a "text" string');
      break;
    case 'post':
      checkPost(obj);
      break;
    case 'image':
      if (typeof obj['image_key'] !== 'string' || obj['image_key'] === '') throw invalidContent('image needs image_key');
      break;
    case 'file':
      checkFile(obj, state);
      break;
    case 'interactive':
      checkCard(obj);
      break;
  }
  return obj;
}

function checkPost(post: Record<string, unknown>): void {
  const locales = Object.keys(post);
  if (locales.length === 0) throw invalidContent('post needs at least one locale, e.g. {"zh_cn": {...}}');
  for (const locale of locales) {
    if (!POST_LOCALES.has(locale)) throw invalidContent(`post must be keyed by locale; got "${locale}"`);
    const body = post[locale] as { content?: unknown } | null;
    if (typeof body !== 'object' || body === null || !Array.isArray(body.content)) {
      throw invalidContent(`post ${locale} needs a content array of paragraphs`);
    }
    for (const paragraph of body.content) {
      if (!Array.isArray(paragraph)) throw invalidContent('each post paragraph must be an array of nodes');
      for (const node of paragraph) {
        const tag = (node as { tag?: unknown } | null)?.tag;
        if (typeof tag !== 'string' || !POST_TAGS.has(tag)) throw invalidContent(`unsupported post node tag ${JSON.stringify(tag)}`);
      }
    }
  }
}

function checkFile(obj: Record<string, unknown>, state: LarkState): void {
  const key = obj['file_key'];
  if (typeof key !== 'string' || key === '') throw invalidContent('file needs file_key');
  const upload = state.upload(key);
  if (!upload) throw larkError(230017, `file_key ${key} was not uploaded by this app`);
  if (upload.fileType === 'mp4' || upload.fileType === 'opus') {
    throw larkError(230055, `a ${upload.fileType} upload must be sent as ${upload.fileType === 'mp4' ? 'media' : 'audio'}`);
  }
}

/** Card content: Card JSON 2.0 only; templates and CardKit entities are not emulated. */
function checkCard(card: Record<string, unknown>): void {
  if (card['type'] === 'template') {
    throw cardError(200380, 'ROOT', 'template does not exist, please confirm whether this template has been released (the emulator has no templates)');
  }
  if (card['type'] === 'card') {
    throw cardError(200621, 'ROOT', 'card entities (CardKit card_id) are not emulated');
  }
  const result = validateCard(card);
  if (!result.ok) throw cardError(result.subCode ?? 200621, result.path, result.msg);
}

/** 230099 with Lark's "ext=ErrCode: …; ErrPath: …; ErrMsg: …" layout. */
export function cardError(subCode: number, path: string, detail: string): LarkApiError {
  return new LarkApiError(
    400,
    CARD_BUILD_ERROR,
    `Failed to create card content, ext=ErrCode: ${subCode}; ErrPath: ${path}; ErrMsg: ${detail}; `,
  );
}
