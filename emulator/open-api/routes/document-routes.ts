/**
 * Cloud documents the bot reads: docx raw content and wiki node lookup
 * (Lark's 获取文档纯文本内容 / 获取知识空间节点信息 documentation).
 *
 * - raw_content: 404 1770002 not found, 403 1770032 forbidden (app lacks access);
 *   document_id is exactly 27 characters; 5 requests/s per app.
 * - get_node: 400 131005 not found, 400 131006 permission denied; obj_type
 *   defaults to `wiki` (token is a node token), otherwise token is an obj_token;
 *   100 requests/min.
 */
import { fieldError, larkError } from '../lark-error.js';
import { ok, type Route } from '../route.js';

const DOCX_ID_LENGTH = 27;
const OBJ_TYPES: ReadonlySet<string> = new Set(['doc', 'docx', 'sheet', 'mindnote', 'bitable', 'file', 'slides', 'wiki']);

const rawContentRoute: Route = {
  method: 'GET',
  pattern: '/open-apis/docx/v1/documents/:document_id/raw_content',
  name: 'docx.document.raw_content',
  limits: { perSecond: 5 },
  handle(req, state) {
    const documentId = req.params['document_id'] ?? '';
    if (documentId.length !== DOCX_ID_LENGTH) {
      throw fieldError('document_id', `document_id must be ${DOCX_ID_LENGTH} characters`);
    }
    const doc = state.document(documentId);
    if (!doc) throw larkError(1770002, undefined, 404);
    if (doc.readable === false) throw larkError(1770032, undefined, 403);
    return ok({ content: doc.content });
  },
};

const getNodeRoute: Route = {
  method: 'GET',
  pattern: '/open-apis/wiki/v2/spaces/get_node',
  name: 'wiki.space.get_node',
  limits: { perMinute: 100 },
  handle(req, state) {
    const token = req.query.get('token');
    if (!token) throw fieldError('token', 'token is required');
    const objType = req.query.get('obj_type') ?? 'wiki';
    if (!OBJ_TYPES.has(objType)) throw fieldError('obj_type', 'unsupported obj_type');
    const node = state.wikiNode(token, objType);
    if (!node) throw larkError(131005, 'node not found');
    if (node.readable === false) throw larkError(131006, 'node permission denied');
    const time = String(Math.floor(req.now / 1000));
    return ok({
      node: {
        space_id: node.spaceId ?? '7000000000000000000',
        node_token: node.nodeToken,
        obj_token: node.objToken,
        obj_type: node.objType ?? 'docx',
        parent_node_token: '',
        node_type: 'origin',
        origin_node_token: node.nodeToken,
        origin_space_id: node.spaceId ?? '7000000000000000000',
        has_child: false,
        title: node.title ?? '',
        obj_create_time: time,
        obj_edit_time: time,
        node_create_time: time,
        creator: '',
        owner: '',
        node_creator: '',
      },
    });
  },
};

export const documentRoutes: Route[] = [rawContentRoute, getNodeRoute];
