/**
 * Compiles the records service for production: server/main.ts and everything it imports (the shared domain
 * in src/domain, the document code in src/export) bundled into one ES module, dist-server/main.mjs, that
 * plain `node` runs. Packages stay in node_modules (installed with `npm install --omit=dev` in a
 * deployment); no TypeScript is compiled at run time.
 */
import { createRequire } from 'node:module';
import { build, type Plugin } from 'esbuild';
import { hashMinuteCode } from '../server/minuteCode';

const require = createRequire(import.meta.url);

/** A package's JSON (the fonts' unicode-range tables) is bundled: Node 20 would need import attributes. */
const bundlePackageJson: Plugin = {
  name: 'bundle-package-json',
  setup(b) {
    b.onResolve({ filter: /\.json$/ }, (args) => ({
      path: require.resolve(args.path, { paths: [args.resolveDir] }),
    }));
  },
};

/** `--outfile` elsewhere (tests); it must stay inside the project, where node_modules is found. */
const at = process.argv.indexOf('--outfile');
const outfile = at >= 0 ? (process.argv[at + 1] ?? 'dist-server/main.mjs') : 'dist-server/main.mjs';

await build({
  entryPoints: ['server/main.ts'],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  outfile,
  sourcemap: true,
  legalComments: 'none',
  logLevel: 'warning',
  plugins: [bundlePackageJson],
  // Which code builds minute entries (server/minuteCode.ts): the domain's sources are not deployed.
  define: { __CONSENT_KIOSK_MINUTE_CODE__: JSON.stringify(hashMinuteCode(process.cwd())) },
});
console.log(`records service compiled to ${outfile}`);
