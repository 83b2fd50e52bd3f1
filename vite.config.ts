import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { version } from './package.json';
import { offlineScripts, precacheGlobs } from './src/export/fontCatalogue';

/**
 * The build's identity, shown in Settings. KIOSK_BUILD_ID tells two deployments apart (the e2e update test
 * builds a second dist with another id); without it the build is reproducible.
 */
const BUILD_ID = process.env.KIOSK_BUILD_ID ?? 'local';
export const THEME_COLOUR = '#0b4f9c';
/**
 * The scripts whose PDF fonts the tablet keeps offline: the council's choice, e.g.
 * KIOSK_PDF_SCRIPTS=latin,greek,cyrillic,arabic,devanagari,bengali,gurmukhi,chinese (default: all but Chinese).
 */
const PDF_FONT_SCRIPTS = offlineScripts(process.env.KIOSK_PDF_SCRIPTS);

export default defineConfig({
  define: { __APP_VERSION__: JSON.stringify(`${version}+${BUILD_ID}`) },
  plugins: [
    react(),
    VitePWA({
      // PITFALLS 1: never autoUpdate; the chair is asked, and only when no meeting is open.
      registerType: 'prompt',
      strategies: 'generateSW',
      // src/pwa/register.ts registers the worker itself with workbox-window.
      injectRegister: false,
      // Icons are generated at build time from public/icon.svg (pwa-assets.config.ts); nothing generated is committed.
      pwaAssets: { config: true, overrideManifestIcons: true },
      manifest: {
        id: '/',
        name: 'Consent Kiosk',
        short_name: 'Consent',
        description: "Asks everyone at a children's services meeting for permission to record, on a tablet.",
        lang: 'en-GB',
        dir: 'ltr',
        start_url: '/',
        scope: '/',
        display: 'fullscreen',
        display_override: ['fullscreen', 'standalone'],
        orientation: 'any',
        theme_color: THEME_COLOUR,
        background_color: '#ffffff',
        categories: ['productivity', 'government'],
      },
      workbox: {
        // The whole shell, lazily loaded chunks (e.g. the PDF export) included; never source maps.
        // (The plugin adds manifest.webmanifest itself.)
        // The PDF fonts (WOFF) only for the configured scripts; the others are fetched when online.
        globPatterns: ['**/*.{js,css,html,svg,png,ico,woff2,txt}', ...precacheGlobs(PDF_FONT_SCRIPTS)],
        navigateFallback: 'index.html',
        // PITFALLS 5: the records service's API and admin pages (same origin) are never answered with the app shell.
        navigateFallbackDenylist: [/^\/api\//, /^\/admin(?:\/|$)/],
        cleanupOutdatedCaches: true,
        // The first install takes the page it was installed from; later versions still wait for the chair.
        clientsClaim: true,
        skipWaiting: false,
        maximumFileSizeToCacheInBytes: 4 * 1024 * 1024,
        // Not NODE_ENV: the e2e build runs under vitest (NODE_ENV=test) and must be the real thing.
        mode: 'production',
        sourcemap: false,
      },
      devOptions: { enabled: false },
    }),
  ],
  build: { target: 'es2022', sourcemap: true },
});
