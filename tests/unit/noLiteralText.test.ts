/**
 * A lint rule as a test (issue 18): every word a screen shows goes through i18n (src/shared/i18n), so that
 * an attendee's screens can be shown in their language. Every .tsx under src/ is parsed with the TypeScript
 * compiler; literal text in JSX (JSXText with a letter in it) and string literals in the attributes a person
 * reads or hears (aria-label, title, placeholder, alt) fail it. Signs without letters (✓, ✗, ?, ·) pass.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const READ_ATTRIBUTES = new Set(['aria-label', 'title', 'placeholder', 'alt', 'aria-description']);
/** Literal text that is truly not words to translate: none so far. Add `path: text` with a reason. */
const ALLOWED = new Set<string>([]);

function tsxFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsxFiles(join(dir, e.name)) : e.name.endsWith('.tsx') ? [join(dir, e.name)] : [],
  );
}

const hasLetter = (text: string) => /\p{L}/u.test(text);

/** Every literal, user-visible text in one source file, as "path:line: text". */
function literalTexts(path: string, source: string): string[] {
  const file = ts.createSourceFile(path, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const found: string[] = [];
  const report = (node: ts.Node, text: string) => {
    const where = relative(ROOT, path);
    if (ALLOWED.has(`${where}: ${text}`)) return;
    const { line } = file.getLineAndCharacterOfPosition(node.getStart(file));
    found.push(`${where}:${line + 1}: ${text}`);
  };
  const visit = (node: ts.Node) => {
    if (ts.isJsxText(node)) {
      const text = node.getText(file).trim();
      if (text !== '' && hasLetter(text)) report(node, text);
    } else if (ts.isJsxAttribute(node) && READ_ATTRIBUTES.has(node.name.getText(file))) {
      const init = node.initializer;
      const literal =
        init && ts.isStringLiteral(init)
          ? init
          : init && ts.isJsxExpression(init) && init.expression && ts.isStringLiteralLike(init.expression)
            ? init.expression
            : null;
      if (literal && hasLetter(literal.text)) report(node, literal.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

describe('no screen has literal text outside the i18n files', () => {
  it('every .tsx under src/ shows only words from i18n', () => {
    const found = tsxFiles(join(ROOT, 'src')).flatMap((path) =>
      literalTexts(path, readFileSync(path, 'utf8')),
    );
    expect(found).toEqual([]);
  });

  it('the rule finds literal text, and literal read-aloud or hover labels (it can fail)', () => {
    const found = literalTexts(
      join(ROOT, 'src/x.tsx'),
      'export const X = () => <div title="Hello"><button aria-label={"Close"}>Send</button><span>✓ </span>{t("a")}</div>;',
    );
    expect(found.map((f) => f.replace(/^.*?: /, ''))).toEqual(['Hello', 'Close', 'Send']);
  });
});
