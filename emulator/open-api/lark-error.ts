/**
 * Lark-shaped API errors. Handlers throw {@link LarkApiError}; the server turns
 * it into the `{code, msg, error:{log_id, troubleshooter}}` body Lark returns.
 *
 * Messages and HTTP statuses are copied from the official error tables (doc-hub
 * mirror of open.feishu.cn: 发送消息, 回复消息, 更新已发送的消息卡片, 获取消息中的
 * 资源文件, 上传文件, 发送应用内加急, 获取群成员列表, 获取单个用户信息, 获取文档纯文本
 * 内容, 获取知识空间节点信息). Auth failures (HTTP 400, 99991661/99991663) come from
 * a third-party probe log of the real gateway; see server comments.
 */

export class LarkApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    msg: string,
    /** Extra fields merged into the `error` object (e.g. field_violations). */
    readonly errorDetail?: Record<string, unknown>,
    readonly headers?: Record<string, string>,
  ) {
    super(msg);
  }
}

/** Official descriptions of the codes the emulator returns. */
const DESCRIPTIONS: Readonly<Record<number, string>> = {
  230001: 'Your request contains an invalid request parameter.',
  230002: 'The bot can not be outside the group.',
  230011: 'The message is recalled.',
  230012: 'Bot is NOT the sender of the message.',
  230013: 'Bot has NO availability to this user.',
  230017: 'Bot is NOT the owner of the resource.',
  230020: 'This operation triggers the frequency limit.',
  230025: 'The length of the message content reaches its limit.',
  230027: 'Lack of necessary permissions.',
  230031: 'Message can only be modified within 14 days after sending.',
  230034: 'The receive_id is invalid.',
  230055: 'The type of file upload does not match the type of message being sent.',
  230110: 'Action unavailable as the message has been deleted.',
  232006: 'Your request specifies a chat_id which is invalid.',
  232009: 'Your request specifies a chat which has already been dissolved.',
  232011: 'Operator can NOT be out of the chat.',
  234001: 'Invalid request param.',
  234003: 'File not in message.',
  234006: 'The file size exceed the max value.',
  234010: "File's size can't be 0.",
  234043: 'Unsupported message type.',
  41050: 'no user authority',
  1770002: 'not found',
  1770032: 'forbidden',
  131005: 'not found',
  131006: 'permission denied',
  99991400: 'request trigger frequency limit',
  99991661: 'Missing access token for authorization. Please make a request with token attached.',
  99991663: 'Invalid access token for authorization. Please make a request with token attached.',
  99992402: 'field validation failed',
};

/** A documented error, HTTP 400 unless stated. `ext` is appended the way Lark does. */
export function larkError(code: number, ext?: string, status = 400): LarkApiError {
  const base = DESCRIPTIONS[code] ?? `error ${code}`;
  // Lark appends detail as ", ext=<detail>" in place of the final period.
  const msg = ext ? `${base.replace(/\.$/, '')}, ext=${ext}` : base;
  return new LarkApiError(status, code, msg);
}

/** 99992402: a request field failed schema validation (missing, wrong type, too long). */
export function fieldError(field: string, description: string): LarkApiError {
  return new LarkApiError(400, 99992402, 'field validation failed', {
    field_violations: [{ field, description }],
  });
}

/** The body Lark returns for an error. */
export function errorBody(
  code: number,
  msg: string,
  logId: string,
  detail?: Record<string, unknown>,
): Record<string, unknown> {
  return {
    code,
    msg,
    error: {
      log_id: logId,
      troubleshooter: `Troubleshooting suggestions: https://open.feishu.cn/search?from=openapi&log_id=${logId}&code=${code}`,
      ...detail,
    },
  };
}
