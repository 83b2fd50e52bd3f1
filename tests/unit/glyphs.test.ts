import { describe, expect, it } from 'vitest';
import { charactersOf, layOut } from '../../src/shell/glyphs';

describe('fonts found while idle (src/shell/glyphs.ts)', () => {
  it('takes every character of every string of a language resource, each once, however deep', () => {
    const text = charactersOf({
      answer: { yes: '✓ Yes', no: '✗ No' },
      readAloud: { play: 'Read aloud 🔊' },
      n: 3,
    });
    for (const c of ['✓', '✗', '🔊', 'Y', 'R', ' ']) expect(text).toContain(c);
    expect([...text].filter((c) => c === '✓')).toHaveLength(1);
    // An emoji is one character (a code point), not two halves of a surrogate pair.
    expect([...text].filter((c) => c === '🔊')).toHaveLength(1);
  });

  it('does nothing without a document (a test or a worker) and with no text', () => {
    expect(() => layOut('✓')).not.toThrow();
    expect(charactersOf({})).toBe('');
  });
});
