import { describe, expect, it } from 'vitest';
import { charactersOf, LATIN_SAMPLE, layOut } from '../../src/shell/glyphs';

describe('fonts found while idle (src/shell/glyphs.ts)', () => {
  it('takes each character the app font lacks from every string of a language resource, once, however deep', () => {
    const text = charactersOf({
      answer: { yes: '✓ Yes', no: '✗ No' },
      readAloud: { play: 'Read aloud 🔊' },
      n: 3,
    });
    for (const c of ['✓', '✗', '🔊']) expect(text).toContain(c);
    // Letters the app's font has are not laid out one by one (a sample sets up each face).
    for (const c of ['Y', 'R', 'e', ' ', 'ó']) expect(text.replace(LATIN_SAMPLE, '')).not.toContain(c);
    expect([...text].filter((c) => c === '✓')).toHaveLength(1);
    // An emoji is one character (a code point), not two halves of a surrogate pair.
    expect([...text].filter((c) => c === '🔊')).toHaveLength(1);
  });

  it('does nothing without a document (a test or a worker) and with no text', () => {
    expect(() => layOut('✓')).not.toThrow();
    expect(charactersOf({})).toBe('');
    expect(charactersOf({ plain: 'Only Latin letters, Zażółć.' })).toBe('');
  });
});
