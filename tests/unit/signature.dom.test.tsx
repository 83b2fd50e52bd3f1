// @vitest-environment jsdom
/**
 * SignatureField in jsdom. jsdom has no canvas, so signature_pad runs here against a stub 2D context
 * that records calls, with a stubbed ResizeObserver and canvas box; the pixels themselves are for the
 * Playwright tests.
 */
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { StrictMode } from 'react';
import { afterEach, beforeEach, describe, expect, it, type Mock, vi } from 'vitest';
import type { Signature } from '../../src/domain/model';
import { SignatureField } from '../../src/signature/SignatureField';
import { fromPadData, signatureToSvg, toPadData } from '../../src/signature/strokes';

const TEXT = { label: 'LABEL-x', clearLabel: 'CLEAR-x', hint: 'HINT-x' };

afterEach(() => {
  cleanup();
  vi.useRealTimers();
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

describe('SignatureField without a canvas (jsdom as is)', () => {
  beforeEach(() => {
    // What jsdom does without the canvas package, minus its "not implemented" noise.
    vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(null);
  });

  it('is a group named by its label, the canvas described by the hint', () => {
    render(<SignatureField {...TEXT} onChange={() => {}} />);
    const group = screen.getByRole('group', { name: TEXT.label });
    const canvas = group.querySelector('canvas');
    expect(canvas).not.toBeNull();
    const hint = document.getElementById(canvas?.getAttribute('aria-describedby') ?? '');
    expect(hint?.textContent).toBe(TEXT.hint);
    expect(canvas?.style.touchAction).toBe('none');
  });

  it('shows only the text it is given', () => {
    render(<SignatureField {...TEXT} onChange={() => {}} />);
    expect(screen.getByRole('group').textContent).toBe(TEXT.label + TEXT.hint + TEXT.clearLabel);
  });

  it('has a real Clear button of at least 48 x 48 px that reports null', () => {
    const onChange = vi.fn();
    render(<SignatureField {...TEXT} onChange={onChange} />);
    const button = screen.getByRole('button', { name: TEXT.clearLabel });
    expect(button.tagName).toBe('BUTTON');
    expect(button.getAttribute('type')).toBe('button');
    expect(button.style.minWidth).toBe('48px');
    expect(button.style.minHeight).toBe('48px');
    fireEvent.click(button);
    expect(onChange).toHaveBeenCalledTimes(1);
    expect(onChange).toHaveBeenCalledWith(null);
  });

  it('renders its SVG as well-formed XML', () => {
    const signature: Signature = {
      width: 10,
      height: 10,
      strokes: [
        {
          points: [
            { x: 1, y: 1, time: 0, pressure: 0 },
            { x: 5, y: 6, time: 1, pressure: 0 },
            { x: 9, y: 2, time: 2, pressure: 0 },
          ],
        },
        { points: [{ x: 3, y: 3, time: 3, pressure: 0 }] },
      ],
    };
    const svg = signatureToSvg(signature, { title: 'A & <B> "c"' });
    const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
    expect(doc.getElementsByTagName('parsererror')).toHaveLength(0);
    expect(doc.documentElement.getAttribute('role')).toBe('img');
    expect(doc.querySelector('title')?.textContent).toBe('A & <B> "c"');
    expect(doc.querySelectorAll('path')).toHaveLength(2);
  });
});

// ---------------------------------------------------------------- with signature_pad running

type Ctx = Record<string, Mock | string | number>;
const stubContext = (): Ctx => {
  const ctx: Ctx = { fillStyle: '', strokeStyle: '', lineWidth: 1, lineCap: 'butt' };
  for (const m of ['clearRect', 'fillRect', 'beginPath', 'closePath', 'moveTo', 'lineTo', 'arc', 'fill']) {
    ctx[m] = vi.fn();
  }
  for (const m of ['stroke', 'save', 'restore', 'setTransform', 'scale']) ctx[m] = vi.fn();
  ctx.globalCompositeOperation = 'source-over';
  return ctx;
};

class FakeResizeObserver {
  static all: FakeResizeObserver[] = [];
  targets: Element[] = [];
  disconnected = false;
  constructor(readonly callback: () => void) {
    FakeResizeObserver.all.push(this);
  }
  observe(target: Element) {
    this.targets.push(target);
  }
  unobserve() {}
  disconnect() {
    this.disconnected = true;
  }
}

describe('SignatureField with signature_pad', () => {
  let ctx: Ctx;
  let box: { left: number; top: number; width: number; height: number };

  beforeEach(() => {
    vi.useFakeTimers();
    ctx = stubContext();
    box = { left: 20, top: 100, width: 600, height: 240 };
    FakeResizeObserver.all = [];
    vi.stubGlobal('ResizeObserver', FakeResizeObserver);
    Object.defineProperty(window, 'devicePixelRatio', { value: 2, configurable: true });
    vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockImplementation(
      () => ctx as unknown as CanvasRenderingContext2D,
    );
    vi.spyOn(HTMLCanvasElement.prototype, 'getBoundingClientRect').mockImplementation(
      () =>
        ({
          ...box,
          x: box.left,
          y: box.top,
          right: box.left + box.width,
          bottom: box.top + box.height,
        }) as DOMRect,
    );
  });

  afterEach(() => {
    Reflect.deleteProperty(window, 'devicePixelRatio');
  });

  const canvas = () => document.querySelector('canvas') as HTMLCanvasElement;
  const pointer = (type: string, x: number, y: number, buttons: number) =>
    canvas().dispatchEvent(
      new PointerEvent(type, {
        clientX: box.left + x,
        clientY: box.top + y,
        buttons,
        pointerId: 1,
        pressure: buttons ? 0.5 : 0,
        bubbles: true,
        cancelable: true,
      }),
    );
  /** A stroke through the given pad points (CSS px), 20 ms apart, so the pad's throttle keeps them all. */
  const draw = (points: [number, number][]) =>
    act(() => {
      const [first = [0, 0], ...rest] = points;
      const last = rest.pop() ?? first;
      pointer('pointerdown', ...first, 1);
      for (const p of rest) {
        vi.advanceTimersByTime(20);
        pointer('pointermove', ...p, 1);
      }
      vi.advanceTimersByTime(20);
      pointer('pointerup', ...last, 0);
    });
  const resizeTo = (width: number, height: number) => {
    box = { ...box, width, height };
    act(() => {
      for (const o of FakeResizeObserver.all) if (!o.disconnected) o.callback();
    });
  };
  const lastSignature = (onChange: Mock) => onChange.mock.lastCall?.[0] as Signature;
  const stroke = (n: number, x0 = 50, y0 = 60): [number, number][] =>
    Array.from({ length: n }, (_, i) => [x0 + i * 20, y0 + (i % 2) * 30]);

  it('sizes the canvas for the device pixel ratio, drawing in CSS px', () => {
    render(<SignatureField {...TEXT} onChange={() => {}} />);
    expect(canvas().width).toBe(1200);
    expect(canvas().height).toBe(480);
    expect(ctx.setTransform).toHaveBeenLastCalledWith(2, 0, 0, 2, 0, 0);
    expect(FakeResizeObserver.all[0]?.targets[0]).toBe(canvas().parentElement);
  });

  it('reports each stroke as a Signature in CSS px of the pad, not device px', () => {
    const onChange = vi.fn();
    render(<SignatureField {...TEXT} onChange={onChange} />);
    draw(stroke(6));
    expect(onChange).toHaveBeenCalledTimes(1);
    const signature = lastSignature(onChange);
    expect(signature.width).toBe(600);
    expect(signature.height).toBe(240);
    expect(signature.strokes).toHaveLength(1);
    expect(signature.strokes[0]?.points.map(({ x, y }) => [x, y])).toEqual(stroke(6));
    draw(stroke(3, 300, 100));
    expect(onChange).toHaveBeenCalledTimes(2);
    expect(lastSignature(onChange).strokes).toHaveLength(2);
  });

  it('redraws the strokes, rescaled, when the pad is rotated, and goes on from there', () => {
    const onChange = vi.fn();
    render(<SignatureField {...TEXT} onChange={onChange} />);
    draw(stroke(8));
    const first = lastSignature(onChange);
    ctx.arc = vi.fn();
    resizeTo(240, 600);
    expect(canvas().width).toBe(480);
    expect(canvas().height).toBe(1200);
    expect(ctx.setTransform).toHaveBeenLastCalledWith(2, 0, 0, 2, 0, 0);
    expect((ctx.arc as Mock).mock.calls.length).toBeGreaterThan(0); // not left blank (#94)
    expect(onChange).toHaveBeenCalledTimes(1); // a resize is not a new signature

    draw(stroke(3, 20, 500));
    const second = lastSignature(onChange);
    expect(second.width).toBe(240);
    expect(second.height).toBe(600);
    expect(second.strokes[0]).toEqual(fromPadData(toPadData(first, 240, 600), 240, 600).strokes[0]);
    expect(second.strokes).toHaveLength(2);
  });

  it('does not shrink a signature turned away and back', () => {
    const onChange = vi.fn();
    render(<SignatureField {...TEXT} onChange={onChange} />);
    draw(stroke(8));
    const first = lastSignature(onChange);
    resizeTo(240, 600);
    resizeTo(600, 240);
    draw([[580, 220]]);
    expect(onChange).toHaveBeenCalledTimes(2);
    expect(lastSignature(onChange).strokes[0]).toEqual(first.strokes[0]);
  });

  it('clears: reports null, and nothing comes back on the next resize', () => {
    const onChange = vi.fn();
    render(<SignatureField {...TEXT} onChange={onChange} />);
    draw(stroke(8));
    fireEvent.click(screen.getByRole('button', { name: TEXT.clearLabel }));
    expect(onChange).toHaveBeenLastCalledWith(null);
    ctx.arc = vi.fn();
    resizeTo(500, 240);
    expect(ctx.arc).not.toHaveBeenCalled();
    draw([[10, 10]]);
    expect(onChange).toHaveBeenCalledTimes(3);
    expect(lastSignature(onChange).strokes).toHaveLength(1);
  });

  it('waits for a hidden pad to get a size', () => {
    box = { ...box, width: 0, height: 0 };
    render(<SignatureField {...TEXT} onChange={() => {}} />);
    expect(canvas().width).toBe(300); // the canvas default, untouched
    resizeTo(600, 240);
    expect(canvas().width).toBe(1200);
  });

  it('holds a resize that comes mid-stroke until the stroke ends', () => {
    const onChange = vi.fn();
    render(<SignatureField {...TEXT} onChange={onChange} />);
    act(() => {
      pointer('pointerdown', 50, 50, 1);
      vi.advanceTimersByTime(20);
      pointer('pointermove', 90, 80, 1);
    });
    resizeTo(500, 240);
    expect(canvas().width).toBe(1200); // not wiped under the finger
    act(() => {
      vi.advanceTimersByTime(20);
      pointer('pointerup', 130, 60, 0);
    });
    expect(lastSignature(onChange).width).toBe(600);
    expect(lastSignature(onChange).strokes[0]?.points).toHaveLength(3);
    expect(canvas().width).toBe(1000);
  });

  it('without a ResizeObserver, sizes a pad shown after mount on its first stroke', () => {
    vi.stubGlobal('ResizeObserver', undefined);
    box = { ...box, width: 0, height: 0 };
    const onChange = vi.fn();
    render(<SignatureField {...TEXT} onChange={onChange} />);
    box = { ...box, width: 600, height: 240 };
    draw(stroke(4));
    expect(canvas().width).toBe(1200);
    expect(lastSignature(onChange).strokes[0]?.points).toHaveLength(4);
  });

  it('reports once per stroke under StrictMode’s double mount', () => {
    const onChange = vi.fn();
    render(
      <StrictMode>
        <SignatureField {...TEXT} onChange={onChange} />
      </StrictMode>,
    );
    draw(stroke(5));
    expect(onChange).toHaveBeenCalledTimes(1);
  });

  it('calls the latest onChange without restarting the pad', () => {
    const first = vi.fn();
    const second = vi.fn();
    const { rerender } = render(<SignatureField {...TEXT} onChange={first} />);
    draw(stroke(5));
    rerender(<SignatureField {...TEXT} onChange={second} />);
    draw(stroke(3, 300, 100));
    expect(first).toHaveBeenCalledTimes(1);
    expect(second).toHaveBeenCalledTimes(1);
    expect(lastSignature(second).strokes).toHaveLength(2);
  });

  it('lets go of the pad and its observers on unmount', () => {
    const onChange = vi.fn();
    const removed = vi.spyOn(window, 'removeEventListener');
    const { unmount } = render(<SignatureField {...TEXT} onChange={onChange} />);
    const el = canvas();
    unmount();
    expect(FakeResizeObserver.all.every((o) => o.disconnected)).toBe(true);
    expect(removed.mock.calls.map(([type]) => type)).toEqual(
      expect.arrayContaining(['resize', 'orientationchange']),
    );
    expect(el.style.touchAction).toBe('auto'); // pad.off()
    el.dispatchEvent(new PointerEvent('pointerdown', { buttons: 1, clientX: 30, clientY: 110 }));
    el.dispatchEvent(new PointerEvent('pointerup', { buttons: 0, clientX: 30, clientY: 110 }));
    expect(onChange).not.toHaveBeenCalled();
  });
});
