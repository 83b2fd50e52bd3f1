/**
 * Issue 13, finding 11: every failure is named by a stable code and a cause made of the error's fields
 * (never its message, which can quote data), and a boot failure says what to fix.
 */
import { describe, expect, it } from 'vitest';
import {
  BootError,
  databaseError,
  dataDirError,
  listenError,
  migrationError,
  redactUrl,
  unexpectedBootError,
} from '../../server/boot/errors';
import { causeOf, classifyFailure } from '../../server/failures';

/** An error as Node's fs and net raise them. */
const sys = (code: string, syscall = 'open') =>
  Object.assign(new Error(`${code}: secret name Sarah Doe`), { code, syscall, errno: -1 });
/** An error as the pg driver raises a server's refusal (SQLSTATE in `code`). */
const pgError = (code: string) => Object.assign(new Error('value "Sarah Doe" refused'), { code });

describe('a failure while serving', () => {
  it.each([
    ['a full disk under PGlite', sys('ENOSPC', 'write'), 'db-disk-full'],
    ['a full disk under PostgreSQL (53100)', pgError('53100'), 'db-disk-full'],
    ['a read-only PostgreSQL (25006)', pgError('25006'), 'db-read-only'],
    ['a read-only file system', sys('EROFS'), 'db-read-only'],
    ['a refused connection', sys('ECONNREFUSED', 'connect'), 'db-unavailable'],
    ['PostgreSQL shutting down (57P01)', pgError('57P01'), 'db-unavailable'],
    [
      'a lost connection (pg raises a plain Error)',
      new Error('Connection terminated unexpectedly'),
      'db-unavailable',
    ],
    ['a bug', new TypeError("Cannot read properties of undefined (reading 'name')"), 'internal'],
    ['something thrown that is no Error', { weird: true }, 'internal'],
  ])('%s is %s', (_, error, code) => {
    expect(classifyFailure(error).errorCode).toBe(code);
  });

  it('the cause is made of codes and names, never the message', () => {
    expect(causeOf(sys('ENOSPC', 'write'))).toBe('ENOSPC write');
    expect(causeOf(pgError('53100'))).toBe('sqlstate 53100');
    expect(causeOf(new TypeError('Sarah Doe'))).toBe('TypeError');
    expect(causeOf({ weird: true })).toBe('Object');
    const wrapped = new Error('outer Sarah', { cause: sys('EACCES') });
    expect(causeOf(wrapped)).toBe('Error <- EACCES open');
    for (const e of [sys('ENOSPC'), pgError('53100'), new TypeError('Sarah Doe'), wrapped]) {
      expect(JSON.stringify(classifyFailure(e))).not.toContain('Sarah');
    }
  });
});

describe('a failure at boot says what to fix', () => {
  it('a data folder this user may not write (EACCES, EPERM) is data-dir-not-writable', () => {
    for (const code of ['EACCES', 'EPERM']) {
      const e = dataDirError(sys(code, 'mkdir'), '/srv/ck');
      expect(e.code).toBe('data-dir-not-writable');
      expect(e.toText()).toBe(
        `Consent Kiosk could not start [data-dir-not-writable]: DATA_DIR /srv/ck is not writable by this user: choose a folder it can write, or fix its permissions (${code} mkdir)`,
      );
    }
  });

  it('a data folder on a read-only disk, on a full disk, or that is a file, each have their own code', () => {
    expect(dataDirError(sys('EROFS'), '/mnt/ro').code).toBe('data-dir-read-only');
    expect(dataDirError(sys('ENOSPC', 'write'), '/d').code).toBe('data-dir-full');
    expect(dataDirError(sys('ENOTDIR', 'mkdir'), '/etc/passwd/x').code).toBe('data-dir-not-a-folder');
    expect(dataDirError(sys('EEXIST', 'mkdir'), '/etc/passwd').code).toBe('data-dir-not-a-folder');
    // What PGlite's file system throws is not always an Error: still a code and a cause.
    const odd = dataDirError({ errno: 44 }, '/d');
    expect(odd.code).toBe('data-dir-unusable');
    expect(odd.toText()).not.toContain('[object Object]');
    expect(odd.toText()).toContain('errno 44');
  });

  it('PostgreSQL: unreachable, wrong credentials, no such database, no rights', () => {
    const url = 'postgres://ck:s3cret-pw@db.example:5432/records?password=also-secret';
    expect(databaseError(sys('ECONNREFUSED', 'connect'), url).code).toBe('db-unreachable');
    expect(databaseError(new Error('timeout exceeded when trying to connect'), url).code).toBe(
      'db-unreachable',
    );
    expect(databaseError(pgError('28P01'), url).code).toBe('db-auth-failed');
    expect(databaseError(pgError('3D000'), url).toText()).toContain('createdb records');
    expect(databaseError(pgError('42501'), url).code).toBe('db-permission');
    for (const e of [sys('ECONNREFUSED'), pgError('28P01'), pgError('3D000')]) {
      const text = databaseError(e, url).toText();
      expect(text).toContain('postgres://ck@db.example:5432/records');
      expect(text).not.toContain('secret');
    }
    expect(redactUrl('not a url')).toBe('DATABASE_URL (not a URL)');
  });

  it('a failed migration names itself; a full disk during it says so', () => {
    const failed = migrationError(new TypeError('boom'), '0007_example', 'DATA_DIR /d');
    expect(failed.code).toBe('migration-failed');
    expect(failed.toText()).toContain('Migration 0007_example failed');
    expect(migrationError(pgError('53100'), '0007_example', 'x').code).toBe('db-disk-full');
  });

  it('the port: in use, not permitted, or an address this machine does not have', () => {
    expect(listenError(sys('EADDRINUSE', 'listen'), '127.0.0.1', 8080).toText()).toContain(
      '[port-in-use]: PORT 8080 on 127.0.0.1 is already in use',
    );
    expect(listenError(sys('EACCES', 'listen'), '0.0.0.0', 80).code).toBe('port-not-permitted');
    expect(listenError(sys('EADDRNOTAVAIL', 'listen'), '10.9.9.9', 8080).code).toBe('host-not-available');
  });

  it('anything else is boot-failed with a cause, never "[object Object]"', () => {
    const e = unexpectedBootError({ some: 'object' });
    expect(e).toBeInstanceOf(BootError);
    expect(e.code).toBe('boot-failed');
    expect(e.toText()).not.toContain('[object Object]');
    expect(e.toText()).toContain('(Object)');
  });
});
