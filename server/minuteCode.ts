/**
 * Which code built a kept minute entry. minute_entries keeps each meeting's entry against the head it was
 * built at, so that it is not rebuilt on every read; but an entry built by an earlier release (another
 * shape, other words) must not be served by this one. The entry is built by the shared domain alone
 * (src/domain), so its source files name the builder: their SHA-256, computed when the compiled server is
 * built (scripts/build-server.ts puts it in the bundle) or, when the service runs from source, at start.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

declare const __CONSENT_KIOSK_MINUTE_CODE__: string | undefined;

/** The SHA-256 of src/domain's TypeScript files under `root`, in name order. */
export function hashMinuteCode(root: string): string {
  const dir = join(root, 'src', 'domain');
  const hash = createHash('sha256');
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts'))
    .sort();
  for (const name of files) {
    hash.update(`${name}\n`);
    hash.update(readFileSync(join(dir, name)));
  }
  return hash.digest('hex');
}

let cached: string | null = null;

/** The builder of this release's minute entries. */
export function minuteCodeId(): string {
  if (cached) return cached;
  cached =
    typeof __CONSENT_KIOSK_MINUTE_CODE__ === 'string'
      ? __CONSENT_KIOSK_MINUTE_CODE__
      : hashMinuteCode(fileURLToPath(new URL('..', import.meta.url)));
  return cached;
}
