import { pino, type DestinationStream, type Logger } from 'pino';

/** Paths pino blanks out wherever they appear: credentials must never reach the logs. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["proxy-authorization"]',
  'res.headers["set-cookie"]',
  'password',
  '*.password',
  'passwordHash',
  '*.passwordHash',
  'accessToken',
  '*.accessToken',
  'refreshToken',
  '*.refreshToken',
  'token',
  '*.token',
  'secret',
  '*.secret',
];

/**
 * Errors are logged as name, message and stack only: database errors carry the full SQL with its values
 * (`sql`, `parameters`, `parent`, `original`, `fields`), which can hold password hashes and personal data.
 */
export function errSerializer(err: unknown): unknown {
  if (!(err instanceof Error)) return err;
  return { type: err.constructor.name, name: err.name, message: err.message, stack: err.stack };
}

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'legal-service' },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      serializers: { err: errSerializer },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}

export type { Logger };
