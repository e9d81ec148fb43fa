import { createHash } from 'node:crypto';
import * as lark from '@larksuiteoapi/node-sdk';
import { describe, expect, it } from 'vitest';
import { decryptPayload, encryptPayload, signBody } from '../../emulator/lark-crypto.js';

describe('lark-crypto', () => {
  it('encrypts so that the SDK AESCipher decrypts it', () => {
    const payload = { schema: '2.0', header: { event_type: 'im.message.receive_v1' }, event: { text: '你好，稿件' } };
    const encrypted = encryptPayload(payload, 'my-encrypt-key');
    expect(JSON.parse(new lark.AESCipher('my-encrypt-key').decrypt(encrypted))).toEqual(payload);
  });

  it('round-trips strings of every padding length', () => {
    for (let n = 0; n <= 33; n++) {
      const s = 'x'.repeat(n);
      expect(new lark.AESCipher('k').decrypt(encryptPayload(s, 'k'))).toBe(s);
      expect(decryptPayload(encryptPayload(s, 'k'), 'k')).toBe(s);
    }
  });

  it('prepends a random IV', () => {
    const a = Buffer.from(encryptPayload('same', 'k'), 'base64');
    const b = Buffer.from(encryptPayload('same', 'k'), 'base64');
    expect(a.subarray(0, 16).equals(b.subarray(0, 16))).toBe(false);
    const fixed = Buffer.alloc(16, 7);
    expect(Buffer.from(encryptPayload('same', 'k', fixed), 'base64').subarray(0, 16)).toEqual(fixed);
  });

  it('signs ts + nonce + key + body with sha256 hex', () => {
    const expected = createHash('sha256').update('1700000000' + 'n0nce' + 'key' + '{"a":1}').digest('hex');
    expect(signBody('1700000000', 'n0nce', 'key', '{"a":1}')).toBe(expected);
  });
});
