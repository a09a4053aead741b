// Bundles the built CLI (dist/cli/main.js and every module it loads, lazily loaded ones as their
// own chunks) into dist/bundle/, so a `ralex` process loads a few files instead of ~300 ES
// modules: measured on `ralex run "what changed"` without a server, 0.23 s instead of 0.30 s wall
// (bench/README.md, speed-bench). Run by `npm run build` after tsc and copy-assets.
//
// Each module keeps its own `import.meta.url` (rewritten to the file it was built from), so what
// it reads beside itself (prompts, built-in standards, package.json, the web app) and what it
// resolves with createRequire are found exactly as from dist/. Only pure-JS packages with many
// small modules are bundled; packages with native code, WebAssembly, binaries or their own
// lazily loaded parts stay outside and are imported from node_modules as before.
import { readFile, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const BUNDLED = new Set(['zod', 'commander', 'yaml', 'picomatch']);
const packageOf = (spec) =>
  (spec.startsWith('@') ? spec.split('/').slice(0, 2) : spec.split('/').slice(0, 1)).join('/');

const keepOwnUrl = {
  name: 'keep-import-meta-url',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith('node:') || !BUNDLED.has(packageOf(args.path))
        ? { path: args.path, external: true }
        : null,
    );
    // zod's 40 translations of its own error messages (360 KB, half of zod) are reachable from
    // its namespace object, so esbuild cannot drop them; Ralex's messages are English and it
    // never reads `z.locales`. The English one zod configures itself with stays.
    b.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, (args) => ({
      contents: 'export { default as en } from "./en.js";',
      loader: 'js',
      resolveDir: dirname(args.path),
    }));
    b.onLoad({ filter: /\/dist\/.*\.js$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      return {
        contents: text.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)),
        loader: 'js',
      };
    });
  },
};

await rm('dist/bundle', { recursive: true, force: true });
await build({
  entryPoints: { main: 'dist/cli/main.js' },
  outdir: 'dist/bundle',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: 'chunk-[hash]',
  // CommonJS packages in the bundle (yaml, commander) call require() for Node's own modules.
  banner: {
    js: "import { createRequire as __ralexRequire } from 'node:module'; const require = __ralexRequire(import.meta.url);",
  },
  plugins: [keepOwnUrl],
  // Less text to parse at every start (5 ms of 230 measured); names stay, so stack traces read.
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
});
