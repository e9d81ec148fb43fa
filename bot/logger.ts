import pino, { type Logger } from 'pino';
import { serializeError } from './errors.js';

export type { Logger };

/**
 * Root logger. Secrets are redacted wherever they appear; draft text is never logged at info
 * (handlers log serials and lengths, not bodies), and errors are logged without query parameters.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'gaojian' },
      // Database errors carry every query parameter (a draft's whole text): never log them.
      serializers: { err: serializeError },
      redact: {
        paths: [
          'appSecret',
          'encryptKey',
          'verificationToken',
          '*.appSecret',
          '*.encryptKey',
          '*.verificationToken',
          'headers.authorization',
          'config.lark.appSecret',
          'config.lark.encryptKey',
          'config.lark.verificationToken',
        ],
        censor: '[redacted]',
      },
    },
    destination,
  );
}
