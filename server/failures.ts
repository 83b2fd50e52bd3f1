/**
 * What went wrong, as a stable code and a cause safe to log. The cause is built only from an error's
 * machine-readable fields (Node's errno code and syscall, PostgreSQL's SQLSTATE, the error's class name),
 * never from its message: a database's message can quote the data it refused (a name, a signature).
 */

export type FailureCode =
  | 'db-disk-full'
  | 'db-unavailable'
  | 'db-read-only'
  | 'db-permission'
  | 'db-auth-failed'
  | 'db-not-found'
  | 'internal';

export interface Failure {
  errorCode: FailureCode;
  /** e.g. "ENOSPC write", "sqlstate 53100", "TypeError": fields of the error, never its message. */
  cause: string;
}

interface ErrorFields {
  name?: string;
  code?: string;
  errno?: number | string;
  syscall?: string;
  sqlState?: string;
}

/** Five characters with a digit (errno codes such as EPERM have none). */
const SQLSTATE = /^(?=.*[0-9])[0-9A-Z]{5}$/;

/** The machine-readable fields of an error and of the errors it wraps (cause, AggregateError's errors). */
export function fieldsOf(error: unknown, depth = 0): ErrorFields[] {
  if (typeof error !== 'object' || error === null || depth > 4) return [];
  const e = error as Record<string, unknown>;
  const own: ErrorFields = {};
  if (typeof e.name === 'string') own.name = e.name.slice(0, 60);
  else if (typeof e.constructor === 'function' && e.constructor.name)
    own.name = e.constructor.name.slice(0, 60);
  if (typeof e.code === 'string') {
    if (SQLSTATE.test(e.code)) own.sqlState = e.code;
    else if (/^[A-Z_0-9]{2,40}$/.test(e.code)) own.code = e.code;
  }
  if (typeof e.errno === 'number' || typeof e.errno === 'string') own.errno = e.errno;
  if (typeof e.syscall === 'string') own.syscall = e.syscall.slice(0, 40);
  const nested = [
    ...fieldsOf(e.cause, depth + 1),
    ...(Array.isArray(e.errors) ? e.errors.flatMap((x) => fieldsOf(x, depth + 1)) : []),
  ];
  return [own, ...nested];
}

/** A short description of the error from its fields, for logs and boot messages. */
export function causeOf(error: unknown): string {
  const parts = fieldsOf(error).map((f) =>
    [
      f.code,
      f.syscall,
      f.sqlState ? `sqlstate ${f.sqlState}` : undefined,
      !f.code && !f.sqlState && f.errno !== undefined ? `errno ${f.errno}` : undefined,
      !f.code && !f.sqlState ? f.name : undefined,
    ]
      .filter(Boolean)
      .join(' '),
  );
  const text = [...new Set(parts.filter(Boolean))].join(' <- ');
  return text || (typeof error === 'string' ? 'thrown string' : typeof error);
}

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNABORTED',
]);

/** Messages of the pg driver that carry no code (it raises plain Errors when a connection drops). */
const CONNECTION_MESSAGES = [
  /^Connection terminated/,
  /^timeout exceeded when trying to connect/,
  /^Client has encountered a connection error/,
  /^Connection ended unexpectedly/,
];

/** Classifies a failure of the service's own (a database, the disk), for the log and the boot message. */
export function classifyFailure(error: unknown): Failure {
  const cause = causeOf(error);
  const fields = fieldsOf(error);
  const codes = new Set(fields.map((f) => f.code).filter(Boolean));
  const states = fields.map((f) => f.sqlState).filter((s): s is string => Boolean(s));
  const has = (...xs: string[]) => xs.some((x) => codes.has(x));
  const message = error instanceof Error ? error.message : '';

  // 53100 disk_full, 53000 insufficient_resources (PostgreSQL); ENOSPC from PGlite's files.
  if (has('ENOSPC', 'EDQUOT') || states.some((s) => s === '53100' || s === '53000'))
    return { errorCode: 'db-disk-full', cause };
  // 25006 read_only_sql_transaction (a standby, or default_transaction_read_only); EROFS from PGlite.
  if (has('EROFS') || states.includes('25006')) return { errorCode: 'db-read-only', cause };
  if (states.some((s) => s === '28P01' || s === '28000')) return { errorCode: 'db-auth-failed', cause };
  if (states.includes('3D000')) return { errorCode: 'db-not-found', cause };
  if (has('EACCES', 'EPERM') || states.includes('42501')) return { errorCode: 'db-permission', cause };
  // Class 08 connection exceptions; 57P01-57P03 the server shutting down or not yet accepting connections.
  if (
    [...codes].some((c) => CONNECTION_CODES.has(c as string)) ||
    states.some((s) => s.startsWith('08') || /^57P0[1-3]$/.test(s)) ||
    CONNECTION_MESSAGES.some((re) => re.test(message))
  ) {
    return { errorCode: 'db-unavailable', cause: cause === 'Error' ? 'connection lost' : cause };
  }
  return { errorCode: 'internal', cause };
}
