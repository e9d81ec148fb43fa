import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * Root logger. Secrets are redacted wherever they appear; draft text is never logged at info
 * (handlers log serials and lengths, not bodies).
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'gaojian' },
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
