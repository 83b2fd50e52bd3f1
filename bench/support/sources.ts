/**
 * Where a function of the built app comes from: a call frame of the browser (a URL under /assets/, a line
 * and column there) mapped through the build's source maps to its src/ file and line. Shared by the
 * diagnostics bench/taptrace.ts and bench/tapphases.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { originalPositionFor, TraceMap } from '@jridgewell/trace-mapping';
import { DIST } from './browser';

export interface CallFrame {
  functionName?: string;
  url?: string;
  /** From 0, as the browser reports it. */
  lineNumber?: number;
  columnNumber?: number;
}

const maps = new Map<string, TraceMap | null>();

/** "name src/file.tsx:line" (node_modules shortened to nm/), or the frame as it is when it has no map. */
export function sourceOf(frame: CallFrame): string {
  const name = frame.functionName || '(anonymous)';
  const url = frame.url ?? '';
  if (!url.includes('/assets/')) return `${name} ${url ? url.split('/').pop() : ''}`.trim();
  const file = url.split('/assets/')[1] ?? '';
  if (!maps.has(file)) {
    try {
      maps.set(file, new TraceMap(readFileSync(join(DIST, 'assets', `${file}.map`), 'utf8')));
    } catch {
      maps.set(file, null);
    }
  }
  const map = maps.get(file);
  const line = (frame.lineNumber ?? 0) + 1;
  if (!map) return `${name} ${file}:${line}`;
  const pos = originalPositionFor(map, { line, column: frame.columnNumber ?? 0 });
  const source = (pos.source ?? file).replace(/^.*node_modules\//, 'nm/').replace(/^(\.\.\/)+/, '');
  return `${pos.name ?? name} ${source}:${pos.line}`;
}
