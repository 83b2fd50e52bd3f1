/** Configuration from the environment, validated at boot; a bad value stops the service with a clear message. */
import { z } from 'zod';
import { parseVerifyBaseUrl } from '../src/domain/profiles';
import { checkTrustProxy, parseTrustProxy } from './proxy';

const configSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65_535).default(8080),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  ADMIN_PASSWORD: z.string().min(12, 'must be at least 12 characters').max(1024).optional(),
  /** The first administrator's username when ADMIN_PASSWORD creates it. */
  ADMIN_USERNAME: z
    .string()
    .regex(
      /^[a-z0-9][a-z0-9._-]{1,63}$/,
      'must be 2 to 64 lower-case letters, digits, dots, hyphens or underscores',
    )
    .default('admin'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** The built tablet app. */
  STATIC_DIR: z.string().min(1).default('./dist'),
  /**
   * The records service's public address, printed on every document (with a QR code) for checking a
   * printed record, e.g. https://records.council.gov.uk. Unset: the address each request came to.
   */
  VERIFY_BASE_URL: z
    .string()
    .refine((value) => {
      try {
        parseVerifyBaseUrl(value);
        return true;
      } catch {
        return false;
      }
    }, 'must be an absolute http(s) address with no query, fragment or credentials')
    .transform((value) => parseVerifyBaseUrl(value))
    .optional(),
  /** Years a meeting's record is kept after its last event (the council's retention schedule). */
  RETENTION_MEETING_YEARS: z.coerce.number().int().min(1).max(100).default(25),
  /** Days a meeting discarded as opened in error is kept before the daily purge removes it. */
  RETENTION_DISCARDED_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  /**
   * The reverse proxies trusted to say who the client is (X-Forwarded-For) and whether it used HTTPS
   * (X-Forwarded-Proto), e.g. "loopback" for nginx on the same host, or "10.0.0.5, 10.0.1.0/24". Unset:
   * none, and those headers are ignored.
   */
  TRUST_PROXY: z
    .string()
    .refine((value) => {
      try {
        checkTrustProxy(parseTrustProxy(value));
        return true;
      } catch {
        return false;
      }
    }, 'must be "loopback", "linklocal", "uniquelocal", or a comma-separated list of IP addresses or CIDR ranges')
    .transform((value) => parseTrustProxy(value))
    .optional(),
  /** The bearer token Prometheus scrapes GET /metrics with (at least 16 characters). Unset: no /metrics. */
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').max(1024).optional(),
  /** Seconds a stopping service waits for syncs in flight before it closes the database anyway. */
  SHUTDOWN_GRACE_SECONDS: z.coerce.number().int().min(0).max(600).default(25),
});

export type Config = z.infer<typeof configSchema>;

export type ConfigResult = { ok: true; config: Config } | { ok: false; message: string; issues: string[] };

export function loadConfig(env: Record<string, string | undefined>): ConfigResult {
  // An empty variable means "not set" (a common result of `FOO= npm start` or an empty .env line).
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = configSchema.safeParse(cleaned);
  if (parsed.success) return { ok: true, config: parsed.data };
  // Each bad variable with zod's reason; never the value (ADMIN_PASSWORD, DATABASE_URL hold secrets).
  const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  return {
    ok: false,
    issues,
    message: `Invalid configuration:\n${issues.map((line) => `  ${line}`).join('\n')}`,
  };
}
