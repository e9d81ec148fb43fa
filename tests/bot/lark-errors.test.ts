import { describe, expect, it } from 'vitest';
import { isLarkUnavailable, LarkApiError, LarkCredentialsError, LarkNetworkError, neverSent, toLarkError } from '../../bot/lark-api.js';

const systemError = (code: string) => Object.assign(new Error(code), { code });

describe('how a failed Lark call is classified', () => {
  it('a connection never made is never sent; a reset, a timeout or a codeless failure may have reached Lark', () => {
    for (const code of ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']) expect(neverSent(toLarkError(systemError(code)))).toBe(true);
    // Node's connect to several addresses nests the codes; axios says ERR_NETWORK on top.
    const nested = Object.assign(new Error('connect'), { code: 'ERR_NETWORK', cause: new AggregateError([systemError('ECONNREFUSED'), systemError('ECONNREFUSED')]) });
    expect(neverSent(toLarkError(nested))).toBe(true);
    for (const err of [systemError('ECONNRESET'), systemError('ECONNABORTED'), new Error('socket hang up'), 'a string'] as unknown[]) {
      const e = toLarkError(err);
      expect(e).toBeInstanceOf(LarkNetworkError);
      expect(neverSent(e)).toBe(false);
      expect(isLarkUnavailable(e)).toBe(true);
    }
  });

  it('a token refused for the app’s credentials is never sent and waits; a refusal of the message does not', () => {
    const refused = toLarkError(new Error('failed to get tenant_access_token, code: 10014, msg: app secret invalid'));
    expect(refused).toBeInstanceOf(LarkCredentialsError);
    expect((refused as LarkCredentialsError).code).toBe(10014);
    expect(neverSent(refused) && isLarkUnavailable(refused)).toBe(true);
    const rejected = new LarkApiError(230013, 'Bot has NO availability to this user.', 400, undefined);
    expect(isLarkUnavailable(rejected) || neverSent(rejected)).toBe(false);
    expect(isLarkUnavailable(new LarkApiError(-1, 'HTTP 502', 502, undefined))).toBe(true);
  });
});
