/**
 * The folders' arrows point one way (issue 15): the shell (first load) and the meeting (loaded on demand)
 * use the shared parts, storage, sync and pwa; sync and pwa never reach into the screens; the domain
 * reaches nothing of the app; and no module imports, at run time, one that imports it back (a lazy
 * `import()` counts: it still ties the two chunks together). Type-only imports vanish at build and are not
 * arrows. The graph is madge's, read from the sources.
 */
import { resolve } from 'node:path';
import madge from 'madge';
import { beforeAll, describe, expect, it } from 'vitest';

const SRC = resolve(__dirname, '../../src');
let graph: Record<string, string[]>;
let cycles: string[][];

beforeAll(async () => {
  const result = await madge(SRC, {
    fileExtensions: ['ts', 'tsx'],
    tsConfig: resolve(__dirname, '../../tsconfig.json'),
    detectiveOptions: { ts: { skipTypeImports: true }, tsx: { skipTypeImports: true } },
  });
  graph = result.obj();
  cycles = result.circular();
}, 60_000);

const arrows = () => Object.entries(graph).flatMap(([from, targets]) => targets.map((to) => ({ from, to })));
const folderOf = (file: string) => file.split('/')[0] ?? '';

describe('the folders of the tablet app', () => {
  it('the graph is read from the sources (a graph of nothing would pass every check below)', () => {
    expect(Object.keys(graph).length).toBeGreaterThan(80);
    expect(graph['shell/App.tsx']).toContain('shell/Lock.tsx');
  });

  it('no module imports one that imports it back', () => {
    expect(cycles).toEqual([]);
  });

  it('sync and pwa never import the screens (src/shell, src/meeting)', () => {
    const wrong = arrows().filter(
      ({ from, to }) =>
        ['sync', 'pwa'].includes(folderOf(from)) && ['shell', 'meeting'].includes(folderOf(to)),
    );
    expect(wrong).toEqual([]);
  });

  it('the domain imports nothing of the app outside src/domain', () => {
    const wrong = arrows().filter(({ from, to }) => folderOf(from) === 'domain' && folderOf(to) !== 'domain');
    expect(wrong).toEqual([]);
  });

  it('the shared parts import no screen, store or sync code', () => {
    const wrong = arrows().filter(
      ({ from, to }) =>
        folderOf(from) === 'shared' && ['shell', 'meeting', 'sync', 'pwa', 'storage'].includes(folderOf(to)),
    );
    expect(wrong).toEqual([]);
  });
});
