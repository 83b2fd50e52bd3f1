/**
 * A finger or stylus signature field around signature_pad 5. The stroke data is the
 * source of truth: after every stroke it is reported as a `Signature` in CSS pixels of the pad, and
 * whenever the pad changes size (rotation, split view, zoom) the canvas is re-sized for the device pixel
 * ratio and the last reported strokes are redrawn, rescaled to fit, so the pad never shows blank while
 * holding a signature (and never reports one it does not show).
 *
 * All visible text comes in through props, from the app's i18n layer.
 */
import { type CSSProperties, useEffect, useEffectEvent, useId, useRef } from 'react';
import SignaturePad from 'signature_pad';
import type { Signature } from '../domain/model';
import { fromPadData, PAD_STYLE, toPadData } from './strokes';

export interface SignatureFieldProps {
  /** The field's visible label, which names the group (e.g. "Your signature"). */
  label: string;
  /** The Clear button's text and accessible name. */
  clearLabel: string;
  /** Visible instructions, also the canvas's description (e.g. "Sign with your finger or a stylus."). */
  hint: string;
  /** The signature after each stroke, or null once cleared. Check it with isSignatureSubstantial. */
  onChange: (signature: Signature | null) => void;
  /** Strokes drawn earlier (the pad was away, e.g. behind the chair's PIN): drawn again, kept until cleared. */
  initial?: Signature | null;
}

/** Pad height in CSS px; the width follows the container. */
export const PAD_HEIGHT = 240;
/** WCAG 2.5.5 target size. */
const TARGET = 48;

const styles = {
  // A fieldset is the native group, named by its legend; reset its box, and its min-content minimum
  // width, so the pad follows the container.
  group: { border: 0, margin: 0, padding: 0, minInlineSize: 0, width: '100%' },
  body: { display: 'flex', flexDirection: 'column', gap: 8 },
  label: { padding: 0, marginBottom: 8, fontWeight: 700, fontSize: '1.125rem', color: '#111' },
  hint: { margin: 0, color: '#333' },
  // The border is on the frame, not the canvas: signature_pad measures points from the canvas's
  // border box, so a border on the canvas would shift every point by its width.
  frame: {
    boxSizing: 'border-box',
    width: '100%',
    height: PAD_HEIGHT,
    border: '2px solid #1f1f1f',
    borderRadius: 8,
    background: '#fff',
    overflow: 'hidden',
    touchAction: 'none',
    overscrollBehavior: 'contain',
  },
  canvas: {
    display: 'block',
    width: '100%',
    height: '100%',
    // signature_pad sets touch-action and user-select too, but only once on(); these hold from the first
    // paint, and overscroll-behavior keeps a stroke from scrolling the page.
    touchAction: 'none',
    overscrollBehavior: 'contain',
    userSelect: 'none',
    WebkitUserSelect: 'none',
    WebkitTouchCallout: 'none',
    cursor: 'crosshair',
  },
  clear: {
    alignSelf: 'flex-start',
    minWidth: TARGET,
    minHeight: TARGET,
    padding: '0 16px',
    fontSize: '1rem',
    color: '#111',
    background: '#fff',
    border: '2px solid #1f1f1f',
    borderRadius: 8,
    cursor: 'pointer',
  },
} satisfies Record<string, CSSProperties>;

interface PadSize {
  width: number;
  height: number;
  dpr: number;
}

export function SignatureField({ label, clearLabel, hint, onChange, initial = null }: SignatureFieldProps) {
  const hintId = useId();
  const frameRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const padRef = useRef<SignaturePad | null>(null);
  /** The strokes last reported, in the pad size of that moment: what every redraw starts from. */
  const signatureRef = useRef<Signature | null>(initial);

  const reportStroke = useEffectEvent((signature: Signature | null) => onChange(signature));

  useEffect(() => {
    const canvas = canvasRef.current;
    // No 2D context (jsdom, or a browser that has blocked canvas): the field renders, nothing draws.
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return;

    // Defaults otherwise: a point every 16 ms at most, and at least 5 px from the last.
    const pad = new SignaturePad(canvas, PAD_STYLE);
    padRef.current = pad;
    let size: PadSize | null = null;
    let isDrawing = false;
    let isResizePending = false;

    /**
     * Fit the canvas to its CSS box at the device pixel ratio, then redraw the strokes (#94, #475).
     * `isStrokeStarting`: called from 'beginStroke' on a pad never sized, so empty; there clear() must
     * not run, as it forgets the pointer id of the stroke being started and the stroke would be lost.
     */
    const resize = (isStrokeStarting = false): void => {
      if (isDrawing) {
        isResizePending = true; // resizing wipes the canvas: not under the signer's finger
        return;
      }
      const rect = canvas.getBoundingClientRect();
      if (!(rect.width > 0 && rect.height > 0)) return; // hidden: keep what we have until it shows
      // At browser zoom below 100% the ratio can be < 1, and clear() would then clear only part of the
      // canvas: signature_pad's README and toSVG() use at least 1 too.
      const dpr = Math.max(window.devicePixelRatio || 1, 1);
      const pixelWidth = Math.round(rect.width * dpr);
      const pixelHeight = Math.round(rect.height * dpr);
      if (
        size?.width === rect.width &&
        size.height === rect.height &&
        size.dpr === dpr &&
        canvas.width === pixelWidth &&
        canvas.height === pixelHeight
      ) {
        return; // setting width/height, even to the same value, would wipe the bitmap
      }
      canvas.width = pixelWidth; // wipes the bitmap and resets the transform...
      canvas.height = pixelHeight;
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0); // ...so user space is CSS px again, as toData() is
      size = { width: rect.width, height: rect.height, dpr };
      const signature = signatureRef.current;
      // fromData() clears first, which resets isEmpty(); clear() when there is nothing to draw.
      if (isStrokeStarting) {
        if (signature) pad.fromData(toPadData(signature, rect.width, rect.height), { clear: false });
      } else if (signature) {
        pad.fromData(toPadData(signature, rect.width, rect.height));
      } else {
        pad.clear();
      }
    };

    const onBeginStroke = (): void => {
      if (!size) resize(true); // never sized (shown after mount without a ResizeObserver): size it now
      isDrawing = true;
    };
    const onEndStroke = (): void => {
      isDrawing = false;
      if (size) {
        const signature = fromPadData(pad.toData(), size.width, size.height);
        signatureRef.current = signature.strokes.length > 0 ? signature : null;
        reportStroke(signatureRef.current);
      }
      if (isResizePending) {
        isResizePending = false;
        resize();
      }
    };

    let frame = 0;
    const later = (): void => {
      // orientationchange fires before layout: measure on the next frame.
      if (frame === 0) {
        frame = requestAnimationFrame(() => {
          frame = 0;
          resize();
        });
      }
    };

    resize();
    pad.addEventListener('beginStroke', onBeginStroke);
    pad.addEventListener('endStroke', onEndStroke);
    const observer = typeof ResizeObserver === 'function' ? new ResizeObserver(() => resize()) : null;
    observer?.observe(frameRef.current ?? canvas);
    // 'resize' also catches a change of devicePixelRatio (zoom, another screen) at the same CSS size.
    window.addEventListener('resize', later);
    window.addEventListener('orientationchange', later);

    return () => {
      window.removeEventListener('resize', later);
      window.removeEventListener('orientationchange', later);
      if (frame !== 0) cancelAnimationFrame(frame);
      observer?.disconnect();
      pad.removeEventListener('beginStroke', onBeginStroke);
      pad.removeEventListener('endStroke', onEndStroke);
      pad.off();
      padRef.current = null;
    };
  }, []);

  const clear = (): void => {
    padRef.current?.clear();
    signatureRef.current = null;
    onChange(null);
  };

  return (
    <fieldset style={styles.group}>
      <legend style={styles.label}>{label}</legend>
      <div style={styles.body}>
        <p id={hintId} style={styles.hint}>
          {hint}
        </p>
        <div ref={frameRef} style={styles.frame}>
          <canvas ref={canvasRef} aria-describedby={hintId} style={styles.canvas} />
        </div>
        <button type="button" onClick={clear} style={styles.clear}>
          {clearLabel}
        </button>
      </div>
    </fieldset>
  );
}
