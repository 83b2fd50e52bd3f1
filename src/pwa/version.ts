/** This build's version, e.g. "0.1.0+local" (vite.config.ts defines it; unit tests have no define). */
export const APP_VERSION: string = typeof __APP_VERSION__ === 'string' ? __APP_VERSION__ : 'dev';
