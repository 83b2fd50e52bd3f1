/**
 * Parts of the app loaded on demand (a meeting, Settings): the app shell's first load carries only what the
 * PIN screen and the home screen need. Every chunk is precached by the service worker, so this waits for
 * the network only before the worker has installed (a first visit) or after a deployment removed a chunk;
 * a chunk that cannot be fetched shows a plain error with "Try again", never a blank screen.
 */
import { type ReactNode, useEffect, useState } from 'react';
import { useT } from '../shared/i18n';

/** A chunk of the app that could not be fetched or run (what `import()` rejected with is its `cause`). */
export class ChunkLoadError extends Error {
  override readonly name = 'ChunkLoadError';
}

export interface Chunk<M> {
  /** Imports the chunk once; after a failure, the next call tries again. */
  load(): Promise<M>;
  /** The chunk's module if it has been loaded, so that it renders with no loading step. */
  loaded(): M | undefined;
}

export function chunk<M>(importer: () => Promise<M>): Chunk<M> {
  let loading: Promise<M> | null = null;
  let module: M | undefined;
  return {
    load() {
      loading ??= importer().then(
        (loadedModule) => {
          module = loadedModule;
          return loadedModule;
        },
        (cause: unknown) => {
          loading = null;
          throw new ChunkLoadError(cause instanceof Error ? cause.message : String(cause), { cause });
        },
      );
      return loading;
    },
    loaded: () => module,
  };
}

/**
 * Renders `children` with the chunk's module, loading it first if need be (an accessible status while it
 * loads, ChunkFailed if it cannot). `isPage`: it stands for the whole screen (its own <main>, an <h1>).
 */
export function Loadable<M>({
  chunk: part,
  isPage = false,
  onBack,
  children,
}: {
  chunk: Chunk<M>;
  isPage?: boolean;
  /** Offered beside "Try again" when the chunk cannot be loaded. */
  onBack?: () => void;
  children: (module: M) => ReactNode;
}) {
  const t = useT();
  const [state, setState] = useState<{ module?: M; isFailed?: boolean }>(() => ({ module: part.loaded() }));
  useEffect(() => {
    if (state.module || state.isFailed) return;
    let isCurrent = true;
    part.load().then(
      (module) => isCurrent && setState({ module }),
      () => isCurrent && setState({ isFailed: true }),
    );
    return () => {
      isCurrent = false;
    };
    // "Try again" clears isFailed, which starts a new load.
  }, [part, state.module, state.isFailed]);

  if (state.module) return children(state.module);
  if (state.isFailed) {
    return <ChunkFailed isPage={isPage} onRetry={() => setState({})} onBack={onBack} />;
  }
  const status = <p role="status">{t('app.loadingPart')}</p>;
  return isPage ? <main className="centre">{status}</main> : status;
}

/** A part of the app could not be fetched: says so plainly (nothing is lost) and offers to try again. */
export function ChunkFailed({
  isPage = false,
  onRetry,
  onBack,
}: {
  isPage?: boolean;
  onRetry: () => void;
  onBack?: () => void;
}) {
  const t = useT();
  const body = (
    <div role="alert" className="chunk-failed">
      {isPage ? <h1>{t('app.loadFailedTitle')}</h1> : <h2>{t('app.loadFailedTitle')}</h2>}
      <p>{t('app.loadFailedBody')}</p>
      {/* On a page of its own the text is centred (.centre), so are the buttons. */}
      <div className="row" style={isPage ? { justifyContent: 'center' } : undefined}>
        <button type="button" className="primary big" onClick={onRetry}>
          {t('app.retry')}
        </button>
        {onBack && (
          <button type="button" className="secondary" onClick={onBack}>
            {t('common.back')}
          </button>
        )}
      </div>
    </div>
  );
  return isPage ? <main className="centre">{body}</main> : body;
}
