import { useEffect, useState } from 'react';
import { useT } from '../shared/i18n';

/** iPadOS Safari has only the prefixed API. */
interface WebkitDocument {
  webkitFullscreenEnabled?: boolean;
  webkitFullscreenElement?: Element | null;
  webkitExitFullscreen?: () => Promise<void> | void;
}
interface WebkitElement {
  webkitRequestFullscreen?: () => Promise<void> | void;
}

function fullscreenElement(): Element | null {
  return document.fullscreenElement ?? (document as WebkitDocument).webkitFullscreenElement ?? null;
}

export function canFullscreen(): boolean {
  return (
    typeof document !== 'undefined' &&
    (document.fullscreenEnabled || (document as WebkitDocument).webkitFullscreenEnabled === true)
  );
}

/** A full-screen toggle, shown only where the browser allows it (and not when already a full-screen app). */
export function FullscreenButton() {
  const t = useT();
  const [isFull, setFull] = useState(() => canFullscreen() && fullscreenElement() !== null);
  useEffect(() => {
    const onChange = () => setFull(fullscreenElement() !== null);
    document.addEventListener('fullscreenchange', onChange);
    document.addEventListener('webkitfullscreenchange', onChange);
    return () => {
      document.removeEventListener('fullscreenchange', onChange);
      document.removeEventListener('webkitfullscreenchange', onChange);
    };
  }, []);
  if (!canFullscreen()) return null;
  const toggle = async () => {
    try {
      if (fullscreenElement()) {
        if (document.exitFullscreen) await document.exitFullscreen();
        else await (document as WebkitDocument).webkitExitFullscreen?.();
      } else {
        const root = document.documentElement;
        if (root.requestFullscreen) await root.requestFullscreen({ navigationUI: 'hide' });
        else await (root as WebkitElement).webkitRequestFullscreen?.();
      }
    } catch {
      // Refused (e.g. not from a user gesture): the button stays as it was.
    }
  };
  return (
    <button type="button" className="secondary" onClick={() => void toggle()}>
      {isFull ? t('pwa.exitFullscreen') : t('pwa.fullscreen')}
    </button>
  );
}
