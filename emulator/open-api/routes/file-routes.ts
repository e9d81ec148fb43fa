/**
 * Files: downloading a user's attachment from a message, and uploading a file
 * the bot will send (Lark's 获取消息中的资源文件 / 上传文件 documentation).
 *
 * The download answers raw bytes with Content-Type and Content-Disposition;
 * errors are JSON. The exact Content-Disposition Lark uses is unverified; we
 * send an ASCII fallback plus RFC 5987 `filename*` so Chinese names survive.
 */
import { randomBytes } from 'node:crypto';
import { larkError } from '../lark-error.js';
import { IM_LIMITS, ok, type Route } from '../route.js';

/** Upload cap (30 MB, no empty files) and download cap (100 MB). */
export const UPLOAD_MAX_BYTES = 30 * 1024 * 1024;
export const DOWNLOAD_MAX_BYTES = 100 * 1024 * 1024;
const FILE_TYPES: ReadonlySet<string> = new Set(['opus', 'mp4', 'pdf', 'doc', 'xls', 'ppt', 'stream']);

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  pdf: 'application/pdf',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  ppt: 'application/vnd.ms-powerpoint',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  txt: 'text/plain',
  md: 'text/markdown',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  mp4: 'video/mp4',
  opus: 'audio/opus',
  zip: 'application/zip',
};

export function contentTypeFor(fileName: string): string {
  const ext = fileName.includes('.') ? fileName.split('.').pop()?.toLowerCase() ?? '' : '';
  return CONTENT_TYPES[ext] ?? 'application/octet-stream';
}

export function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

const resourceRoute: Route = {
  method: 'GET',
  pattern: '/open-apis/im/v1/messages/:message_id/resources/:file_key',
  name: 'im.message_resource.get',
  limits: IM_LIMITS,
  handle(req, state) {
    const type = req.query.get('type');
    if (type !== 'file' && type !== 'image') throw larkError(234001, 'type must be file or image');
    const messageId = req.params['message_id'] ?? '';
    const fileKey = req.params['file_key'] ?? '';
    const message = state.message(messageId);
    if (message?.deleted) throw larkError(230110);
    if (message?.msgType === 'interactive' || message?.msgType === 'merge_forward') throw larkError(234043);
    const resource = state.resource(messageId, fileKey);
    if (!resource) throw larkError(234003);
    if (resource.type !== type) throw larkError(234001, `resource ${fileKey} is of type ${resource.type}`);
    if (resource.bytes.length > DOWNLOAD_MAX_BYTES) throw larkError(234037);
    return {
      status: 200,
      bytes: resource.bytes,
      headers: {
        'content-type': resource.contentType,
        'content-disposition': contentDisposition(resource.fileName),
      },
    };
  },
};

const uploadRoute: Route = {
  method: 'POST',
  pattern: '/open-apis/im/v1/files',
  name: 'im.file.create',
  limits: IM_LIMITS,
  body: 'multipart',
  handle(req, state) {
    if (req.bodyTooLarge) throw larkError(234006);
    const field = (name: string) => req.parts.find((p) => p.name === name);
    const fileType = field('file_type')?.data.toString('utf8');
    const fileName = field('file_name')?.data.toString('utf8');
    const file = field('file');
    if (!fileType || !FILE_TYPES.has(fileType)) throw larkError(234001, 'file_type must be opus, mp4, pdf, doc, xls, ppt or stream');
    if (!fileName) throw larkError(234001, 'file_name is required');
    if (!file) throw larkError(234001, 'file is required');
    if (file.data.length === 0) throw larkError(234010);
    if (file.data.length > UPLOAD_MAX_BYTES) throw larkError(234006);
    const duration = Number(field('duration')?.data.toString('utf8'));
    const fileKey = `file_v3_${randomBytes(12).toString('hex')}`;
    state.storeUpload({
      fileKey,
      fileType,
      fileName,
      bytes: Buffer.from(file.data),
      ...(Number.isFinite(duration) && duration > 0 ? { duration } : {}),
      uploadedAt: req.now,
    });
    return ok({ file_key: fileKey });
  },
};

export const fileRoutes: Route[] = [resourceRoute, uploadRoute];
