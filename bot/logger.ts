import pino, { type Logger } from 'pino';
import { serializeError } from './errors.js';
import pretty from 'pino-pretty';

export type { Logger };

/**
 * Root logger. Secrets are redacted wherever they appear; draft text is never logged at info
 * (handlers log serials and lengths, not bodies), and errors are logged without query parameters.
 * JSON lines in production; `pretty` gives readable lines for a person at a terminal (local mode),
 * written synchronously like the JSON.
 */
export function createLogger(level: string, destination?: pino.DestinationStream, opts: { pretty?: boolean } = {}): Logger {
  const dest =
    destination ??
    (opts.pretty
      ? pretty({ colorize: process.stdout.isTTY ?? false, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname,service', sync: true })
      : undefined);
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
    dest,
  );
}
