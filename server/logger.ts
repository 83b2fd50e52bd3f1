/**
 * Structured JSON logs. They carry ids, codes, counts and timings, never names, signatures, tokens,
 * passwords or bodies: routes log only the fields below, and redaction catches the rest by path.
 */
import pino, { type DestinationStream, type Logger } from 'pino';

export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.token',
  '*.password',
  '*.code',
  '*.name',
  '*.signature',
  '*.payload',
  '*.body',
];

export function createLogger(level = 'info', destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { service: 'consent-kiosk-records' },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
  };
  return destination ? pino(options, destination) : pino(options);
}
