import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Holder } from '../../server/limits';

describe('the tarpit holds a refusal over a limit before it is answered (issue 13: a login flood must not slow sync)', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  const settled = (promise: Promise<void>) => {
    let done = false;
    void promise.then(() => {
      done = true;
    });
    return () => done;
  };

  it('holds a refusal for the delay, then answers it', async () => {
    const holder = new Holder({ delayMs: 1000, maxHeld: 10 });
    const done = settled(holder.hold(60_000));
    await vi.advanceTimersByTimeAsync(999);
    expect(done()).toBe(false);
    expect(holder.holding).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(done()).toBe(true);
    expect(holder.holding).toBe(0);
  });

  it('never holds longer than the client would have to wait anyway (its Retry-After)', async () => {
    const holder = new Holder({ delayMs: 1000, maxHeld: 10 });
    const done = settled(holder.hold(300));
    await vi.advanceTimersByTimeAsync(300);
    expect(done()).toBe(true);
  });

  it('holds no more than maxHeld at once: the next refusals are answered straight away', async () => {
    const holder = new Holder({ delayMs: 1000, maxHeld: 2 });
    const first = settled(holder.hold(60_000));
    const second = settled(holder.hold(60_000));
    const third = settled(holder.hold(60_000));
    await vi.advanceTimersByTimeAsync(0);
    expect([first(), second(), third()]).toEqual([false, false, true]);
    expect(holder.holding).toBe(2);
    await vi.advanceTimersByTimeAsync(1000);
    expect([first(), second()]).toEqual([true, true]);
    // Room again once they are answered.
    const fourth = settled(holder.hold(60_000));
    await vi.advanceTimersByTimeAsync(0);
    expect(fourth()).toBe(false);
  });

  it('with a delay of 0 (as the tests run) nothing is held', async () => {
    const holder = new Holder({ delayMs: 0, maxHeld: 10 });
    const done = settled(holder.hold(60_000));
    await vi.advanceTimersByTimeAsync(0);
    expect(done()).toBe(true);
    expect(holder.holding).toBe(0);
  });
});
