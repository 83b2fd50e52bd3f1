/**
 * The app's icons, generated at build time by vite-plugin-pwa's `pwaAssets` integration from ONE source image
 * (public/icon.svg): favicon.ico, pwa-64/192/512 PNGs, a maskable 512 PNG and the Apple touch icon.
 * Nothing generated is committed.
 */
import { defineConfig, minimal2023Preset } from '@vite-pwa/assets-generator/config';

export default defineConfig({
  headLinkOptions: { preset: '2023' },
  preset: {
    ...minimal2023Preset,
    // The square of colour fills a maskable icon's safe zone; pad so the tick stays inside the circle mask.
    maskable: { sizes: [192, 512], padding: 0.3, resizeOptions: { background: '#0b4f9c' } },
    apple: { sizes: [180], padding: 0.3, resizeOptions: { background: '#0b4f9c' } },
  },
  images: ['public/icon.svg'],
});
