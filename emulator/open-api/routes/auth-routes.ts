/**
 * Token and bot identity endpoints.
 *
 * tenant_access_token/internal: failures are HTTP 200 with a non-zero code
 * (third-party probe of the real endpoint: unknown app_id → 200 {"code":10003,
 * "data":{},"msg":"invalid param"}). The wrong-secret code 10014 "app secret
 * invalid" is widely reported; its HTTP status is unverified (200 assumed).
 */
import type { Route } from '../route.js';

const tokenRoute: Route = {
  method: 'POST',
  pattern: '/open-apis/auth/v3/tenant_access_token/internal',
  name: 'auth.tenant_access_token.internal',
  auth: false,
  body: 'json',
  handle(req, state) {
    const { app_id: appId, app_secret: appSecret } = req.body;
    if (typeof appId !== 'string' || appId !== state.appId || typeof appSecret !== 'string') {
      return { status: 200, json: { code: 10003, data: {}, msg: 'invalid param' } };
    }
    if (appSecret !== state.appSecret) return { status: 200, json: { code: 10014, msg: 'app secret invalid' } };
    const { token, expireSeconds } = state.issueToken();
    return { status: 200, json: { code: 0, msg: 'ok', tenant_access_token: token, expire: expireSeconds } };
  },
};

/** bot/v3/info returns `bot` at the top level, not under `data` (获取机器人信息 doc). */
const botInfoRoute: Route = {
  method: 'GET',
  pattern: '/open-apis/bot/v3/info',
  name: 'bot.v3.info',
  handle(_req, state) {
    return {
      status: 200,
      json: {
        code: 0,
        msg: 'ok',
        bot: {
          activate_status: 2,
          app_name: state.botName,
          avatar_url: '',
          ip_white_list: [],
          open_id: state.botOpenId,
        },
      },
    };
  },
};

export const authRoutes: Route[] = [tokenRoute, botInfoRoute];
