/**
 * The records service's (and the tests') font loader: reads the Fontsource files from the installed
 * packages, once per process.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { FontFileLoader } from './fonts';

const require = createRequire(import.meta.url);
const cache = new Map<string, Promise<Uint8Array>>();

export const nodeFontFiles: FontFileLoader = (family, file) => {
  if (!/^[a-z0-9-]+$/.test(family) || !/^[a-z0-9-]+\.woff$/.test(file)) {
    return Promise.reject(new Error(`Not a font file: ${family}/${file}`));
  }
  const key = `${family}/${file}`;
  let bytes = cache.get(key);
  if (!bytes) {
    const root = dirname(require.resolve(`@fontsource/${family}/package.json`));
    bytes = readFile(join(root, 'files', file)).then((b) => new Uint8Array(b));
    // A failed read is not remembered: the next document tries again.
    bytes.catch(() => cache.delete(key));
    cache.set(key, bytes);
  }
  return bytes;
};
