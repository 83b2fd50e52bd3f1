/// <reference types="vite/client" />

/** Defined by vite.config.ts: the package version and the build id, e.g. "0.1.0+local". */
declare const __APP_VERSION__: string;
