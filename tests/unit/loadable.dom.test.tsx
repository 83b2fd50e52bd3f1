// @vitest-environment jsdom
/**
 * Parts of the app loaded on demand (src/shell/Loadable.tsx): an accessible status while a chunk
 * loads, a plain error with "Try again" (never a blank screen) when it cannot be fetched, and no loading step
 * once it has been loaded.
 */
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ChunkLoadError, chunk, Loadable } from '../../src/shell/Loadable';
import '../../src/shared/i18n';
import { enGB } from '../../src/shared/i18n/en-GB';

afterEach(cleanup);

const part = { Greeting: () => <h1>Loaded part</h1> };

describe('a part of the app loaded on demand', () => {
  it('shows a status while loading, then the part; later renders need no loading step', async () => {
    let resolve: (m: typeof part) => void = () => undefined;
    const importer = vi.fn(() => new Promise<typeof part>((r) => (resolve = r)));
    const greeting = chunk(importer);
    const { unmount } = render(<Loadable chunk={greeting}>{(m) => <m.Greeting />}</Loadable>);
    expect(screen.getByRole('status').textContent).toBe(enGB.app.loadingPart);
    await act(async () => resolve(part));
    expect(screen.getByRole('heading', { name: 'Loaded part' })).toBeTruthy();
    unmount();

    render(
      <Loadable chunk={greeting} isPage>
        {(m) => <m.Greeting />}
      </Loadable>,
    );
    expect(screen.getByRole('heading', { name: 'Loaded part' })).toBeTruthy();
    expect(screen.queryByRole('status')).toBeNull();
    expect(importer).toHaveBeenCalledTimes(1);
  });

  it('a chunk that cannot be fetched shows an error with "Try again", which loads it afresh', async () => {
    const importer = vi
      .fn<() => Promise<typeof part>>()
      .mockRejectedValueOnce(new TypeError('Failed to fetch dynamically imported module'))
      .mockResolvedValueOnce(part);
    const onBack = vi.fn();
    render(
      <Loadable chunk={chunk(importer)} isPage onBack={onBack}>
        {(m) => <m.Greeting />}
      </Loadable>,
    );
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain(enGB.app.loadFailedTitle);
    expect(screen.getByRole('heading', { level: 1, name: enGB.app.loadFailedTitle })).toBeTruthy();
    expect(screen.getByRole('main')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: enGB.common.back }));
    expect(onBack).toHaveBeenCalledTimes(1);

    fireEvent.click(screen.getByRole('button', { name: enGB.app.retry }));
    expect(await screen.findByRole('heading', { name: 'Loaded part' })).toBeTruthy();
    expect(importer).toHaveBeenCalledTimes(2);
  });

  it('load() rejects with a ChunkLoadError carrying the cause, and tries again on the next call', async () => {
    const cause = new TypeError('Failed to fetch dynamically imported module');
    const importer = vi
      .fn<() => Promise<typeof part>>()
      .mockRejectedValueOnce(cause)
      .mockResolvedValueOnce(part);
    const greeting = chunk(importer);
    const failure = await greeting.load().catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ChunkLoadError);
    expect((failure as ChunkLoadError).cause).toBe(cause);
    expect(greeting.loaded()).toBeUndefined();
    expect(await greeting.load()).toBe(part);
    expect(greeting.loaded()).toBe(part);
  });
});
