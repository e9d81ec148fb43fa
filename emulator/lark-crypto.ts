/**
 * What the Lark platform does to event and callback bodies before POSTing them:
 *
 * - encryption: AES-256-CBC, key = sha256(Encrypt Key), PKCS7 padding, a random
 *   16-byte IV prepended to the ciphertext, the whole thing base64-encoded and
 *   sent as `{"encrypt": "..."}`. Round-trips through the SDK's
 *   `new AESCipher(encryptKey).decrypt()`.
 * - signature: hex sha256(timestamp + nonce + encryptKey + raw body), sent in
 *   `X-Lark-Signature`. Only meaningful when an Encrypt Key is configured.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

function aesKey(encryptKey: string): Buffer {
  return createHash('sha256').update(encryptKey).digest();
}

/**
 * Encrypt a payload the way Lark does. Objects are JSON-serialized; strings are
 * encrypted as-is. `iv` is only for deterministic tests.
 */
export function encryptPayload(payload: unknown, encryptKey: string, iv: Buffer = randomBytes(16)): string {
  if (iv.length !== 16) throw new Error('AES-CBC needs a 16-byte IV');
  const plain = typeof payload === 'string' ? payload : JSON.stringify(payload);
  // createCipheriv pads with PKCS7 by default (setAutoPadding(true)).
  const cipher = createCipheriv('aes-256-cbc', aesKey(encryptKey), iv);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, body]).toString('base64');
}

/** Inverse of {@link encryptPayload}; returns the decrypted UTF-8 string. */
export function decryptPayload(encrypted: string, encryptKey: string): string {
  const raw = Buffer.from(encrypted, 'base64');
  const decipher = createDecipheriv('aes-256-cbc', aesKey(encryptKey), raw.subarray(0, 16));
  return Buffer.concat([decipher.update(raw.subarray(16)), decipher.final()]).toString('utf8');
}

/** `X-Lark-Signature` for events and 2.0 card callbacks: hex sha256(ts+nonce+key+body). */
export function signBody(timestamp: string, nonce: string, encryptKey: string, rawBody: string): string {
  return createHash('sha256')
    .update(timestamp + nonce + encryptKey)
    .update(rawBody)
    .digest('hex');
}
