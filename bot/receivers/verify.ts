import { createHash, timingSafeEqual } from 'node:crypto';
import { AESCipher } from '@larksuiteoapi/node-sdk';

export type VerifyOptions = {
  encryptKey: string | undefined;
  verificationToken: string;
  nowMs: number;
  /** Lark's timestamp may be this far from our clock before the request counts as a replay. */
  maxSkewMs?: number;
};

export type Verified = { ok: true; payload: Record<string, unknown> } | { ok: false; reason: string };

const HEADER_TS = 'x-lark-request-timestamp';
const HEADER_NONCE = 'x-lark-request-nonce';
const HEADER_SIG = 'x-lark-signature';

/**
 * Authenticates one webhook request on its raw bytes, the way the SDK does not: the signature is
 * computed over the bytes Lark sent (not a re-serialized body), the timestamp bounds replays, and
 * the verification token is always compared, encrypted or not.
 */
export function verifyLarkRequest(raw: Buffer, headers: Record<string, string | string[] | undefined>, o: VerifyOptions): Verified {
  let outer: Record<string, unknown>;
  try {
    outer = JSON.parse(raw.toString('utf8'));
  } catch {
    return { ok: false, reason: 'body is not JSON' };
  }
  if (typeof outer !== 'object' || outer === null || Array.isArray(outer)) return { ok: false, reason: 'body is not an object' };

  const signature = header(headers, HEADER_SIG);
  let payload = outer;
  if (o.encryptKey) {
    if (typeof outer.encrypt !== 'string') return { ok: false, reason: 'encrypt key configured but body is not encrypted' };
    if (signature !== undefined) {
      const ts = header(headers, HEADER_TS);
      const nonce = header(headers, HEADER_NONCE);
      if (!ts || nonce === undefined) return { ok: false, reason: 'signature headers incomplete' };
      const expected = createHash('sha256').update(ts + nonce + o.encryptKey).update(raw).digest('hex');
      if (!safeEqual(expected, signature)) return { ok: false, reason: 'bad signature' };
      const skew = o.nowMs - Number(ts) * 1000;
      if (!Number.isFinite(skew)) return { ok: false, reason: 'stale timestamp' };
      if (Math.abs(skew) > (o.maxSkewMs ?? 5 * 60_000)) {
        // Every request failing like this means this server's clock is off, not a replay: say by how much.
        const by = `${Math.round(Math.abs(skew) / 1000)} s ${skew > 0 ? 'before' : 'after'}`;
        return { ok: false, reason: `stale timestamp: ${by} this server's clock (a replay, or this server's clock is wrong)` };
      }
    }
    try {
      payload = JSON.parse(new AESCipher(o.encryptKey).decrypt(outer.encrypt));
    } catch {
      return { ok: false, reason: 'cannot decrypt' };
    }
    // Lark signs everything but the URL-verification challenge; an unsigned event is a forgery.
    if (signature === undefined && payload.type !== 'url_verification') return { ok: false, reason: 'unsigned event' };
  } else if (typeof outer.encrypt === 'string') {
    return { ok: false, reason: 'encrypted body but no encrypt key configured' };
  }

  const token = tokenOf(payload);
  if (!token || !safeEqual(token, o.verificationToken)) return { ok: false, reason: 'wrong verification token' };
  return { ok: true, payload };
}

/** v2 events carry the token in header.token; v1 events, challenges and legacy callbacks at top level. */
function tokenOf(p: Record<string, unknown>): string | undefined {
  const h = p.header as Record<string, unknown> | undefined;
  const t = h && typeof h.token === 'string' ? h.token : p.token;
  return typeof t === 'string' ? t : undefined;
}

function header(h: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
