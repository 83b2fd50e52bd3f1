/**
 * Why the records service could not start, as a stable code and one sentence saying what to fix. Each
 * maps a failure of one boot step (the data folder, the database, the migrations, the port) from the
 * error's machine-readable fields (errno code, SQLSTATE), never its message; a database URL is shown
 * without its password.
 */
import { causeOf, classifyFailure, fieldsOf } from '../failures';

export type BootErrorCode =
  | 'config-invalid'
  | 'data-dir-not-a-folder'
  | 'data-dir-not-writable'
  | 'data-dir-read-only'
  | 'data-dir-full'
  | 'data-dir-unusable'
  | 'db-unreachable'
  | 'db-auth-failed'
  | 'db-not-found'
  | 'db-permission'
  | 'db-read-only'
  | 'db-disk-full'
  | 'migration-failed'
  | 'port-in-use'
  | 'port-not-permitted'
  | 'host-not-available'
  | 'boot-failed';

export class BootError extends Error {
  constructor(
    readonly code: BootErrorCode,
    /** What happened and what to do about it, in one line. */
    readonly fix: string,
    /** The error's fields (causeOf), for the log. */
    readonly causeText = '',
    /** Lines after the first (e.g. each bad configuration value). */
    readonly details: readonly string[] = [],
  ) {
    super(fix);
    this.name = 'BootError';
  }

  /** What the console shows: the code and the fix on the first line, then any details. */
  toText(): string {
    const cause = this.causeText ? ` (${this.causeText})` : '';
    return [`Consent Kiosk could not start [${this.code}]: ${this.fix}${cause}`, ...this.details].join('\n');
  }
}

const codesOf = (error: unknown): Set<string> =>
  new Set(fieldsOf(error).flatMap((f) => [f.code, f.sqlState].filter((x): x is string => Boolean(x))));

/** A database URL as it may be shown: no password, no query string (it can hold one too). */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.username ? `${decodeURIComponent(u.username)}@` : ''}${u.host}${u.pathname}`;
  } catch {
    return 'DATABASE_URL (not a URL)';
  }
}

export function configError(issues: readonly string[]): BootError {
  return new BootError(
    'config-invalid',
    'Invalid configuration: correct the environment variables below and start again.',
    '',
    issues.map((line) => `  ${line}`),
  );
}

/** The data folder (PGlite's files) could not be created, written or opened. */
export function dataDirError(error: unknown, dataDir: string): BootError {
  const codes = codesOf(error);
  const cause = causeOf(error);
  if (codes.has('ENOTDIR') || codes.has('EEXIST'))
    return new BootError(
      'data-dir-not-a-folder',
      `DATA_DIR ${dataDir} is a file, or lies under one, not a folder: choose a folder (it is created if missing), or move the file away`,
      cause,
    );
  if (codes.has('EACCES') || codes.has('EPERM'))
    return new BootError(
      'data-dir-not-writable',
      `DATA_DIR ${dataDir} is not writable by this user: choose a folder it can write, or fix its permissions`,
      cause,
    );
  if (codes.has('EROFS'))
    return new BootError(
      'data-dir-read-only',
      `DATA_DIR ${dataDir} is on a read-only file system: choose a folder on a writable disk`,
      cause,
    );
  if (codes.has('ENOSPC') || codes.has('EDQUOT'))
    return new BootError(
      'data-dir-full',
      `The disk holding DATA_DIR ${dataDir} is full: free some space, or choose a folder on another disk`,
      cause,
    );
  return new BootError(
    'data-dir-unusable',
    `The database in DATA_DIR ${dataDir} could not be opened: check that no other copy of the service uses it, and restore it from a backup if it is damaged`,
    cause,
  );
}

/** The PostgreSQL server at DATABASE_URL could not be used. */
export function databaseError(error: unknown, url: string): BootError {
  const where = redactUrl(url);
  const cause = causeOf(error);
  const failure = classifyFailure(error);
  const database = (() => {
    try {
      return new URL(url).pathname.slice(1) || 'postgres';
    } catch {
      return '?';
    }
  })();
  switch (failure.errorCode) {
    case 'db-auth-failed':
      return new BootError(
        'db-auth-failed',
        `PostgreSQL at ${where} refused the user name or password: correct them in DATABASE_URL (or allow this client in pg_hba.conf)`,
        cause,
      );
    case 'db-not-found':
      return new BootError(
        'db-not-found',
        `The database "${database}" does not exist at ${where}: create it (createdb ${database}), or correct DATABASE_URL`,
        cause,
      );
    case 'db-permission':
      return new BootError(
        'db-permission',
        `The user in DATABASE_URL ${where} may not create or change tables there: grant it (GRANT CREATE ON SCHEMA public), or use the database's owner`,
        cause,
      );
    case 'db-read-only':
      return new BootError(
        'db-read-only',
        `PostgreSQL at ${where} is read-only (a standby?): point DATABASE_URL at the primary server`,
        cause,
      );
    case 'db-disk-full':
      return new BootError(
        'db-disk-full',
        `PostgreSQL at ${where} has no disk space left: free space on its server`,
        cause,
      );
    default:
      return new BootError(
        'db-unreachable',
        `PostgreSQL at ${where} cannot be reached: start it, or correct the host and port in DATABASE_URL`,
        cause,
      );
  }
}

/** A migration failed; those before it are kept. */
export function migrationError(error: unknown, migrationName: string, target: string): BootError {
  const failure = classifyFailure(error);
  if (failure.errorCode === 'db-disk-full')
    return new BootError(
      'db-disk-full',
      `Migration ${migrationName} failed: the disk of ${target} is full; free some space and start again`,
      failure.cause,
    );
  if (failure.errorCode === 'db-permission')
    return new BootError(
      'db-permission',
      `Migration ${migrationName} failed: the database user may not change tables; grant it, or use the database's owner`,
      failure.cause,
    );
  return new BootError(
    'migration-failed',
    `Migration ${migrationName} failed and the database was left at the migration before it: keep the log, restore the database from a backup if needed, and report this`,
    failure.cause,
  );
}

/** The port could not be listened on. */
export function listenError(error: unknown, host: string, port: number): BootError {
  const codes = codesOf(error);
  const cause = causeOf(error);
  if (codes.has('EADDRINUSE'))
    return new BootError(
      'port-in-use',
      `PORT ${port} on ${host} is already in use by another program (or another copy of this service): stop it, or choose another PORT`,
      cause,
    );
  if (codes.has('EACCES') || codes.has('EPERM'))
    return new BootError(
      'port-not-permitted',
      `This user may not listen on PORT ${port}: choose a PORT above 1023, or put a reverse proxy in front`,
      cause,
    );
  if (codes.has('EADDRNOTAVAIL') || codes.has('ENOTFOUND') || codes.has('EAI_AGAIN'))
    return new BootError(
      'host-not-available',
      `HOST ${host} is not an address of this machine: use 127.0.0.1, 0.0.0.0, or one of its own addresses`,
      cause,
    );
  return unexpectedBootError(error);
}

/** Anything else: still a code and a cause, never "[object Object]". */
export function unexpectedBootError(error: unknown): BootError {
  if (error instanceof BootError) return error;
  const failure = classifyFailure(error);
  return new BootError(
    'boot-failed',
    `The records service failed while starting (${failure.errorCode}): keep the log and report this`,
    failure.cause,
  );
}
