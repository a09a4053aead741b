// Bundles the built CLI into dist/bundle/: `main.js`, the `ralex` command (the thin client over a
// running server's socket, else the rest), and `full-cli.cjs`, the whole command line (every
// module it loads, lazily loaded ones still lazy) as one CommonJS file, which src/cli/load-bundled-cli.ts
// compiles with V8's code cache (`full-cli.cjs.cache`, first written here by a warm-up command).
// Measured on `ralex run "what changed"` without a server: ~300 ES modules 0.30 s, an ES-module
// bundle 0.23 s, this 0.17 s wall (bench/README.md, speed-bench). Run by `npm run build` after
// tsc and copy-assets.
//
// Each module keeps its own `import.meta.url` (the URL of its file in dist/, found relative to the
// bundle where it runs), so what it reads beside itself (prompts, built-in standards, package.json,
// the web app) and what it resolves with createRequire are found exactly as from dist/, also in a
// copy of the build (the Docker image builds in /src and runs from /opt/ralex). Only pure-JS packages with many
// small modules are bundled; packages with native code, WebAssembly, binaries or their own
// lazily loaded parts stay outside and are imported from node_modules as before.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { build } from 'esbuild';

import { AI_SDK_EXPORTS } from '../dist/cli/load-bundled-cli.js';

const BUNDLE_DIR = resolve('dist/bundle');
const BUNDLED = new Set(['zod', 'commander', 'yaml', 'picomatch']);
// The AI SDK and the packages it is made of, bundled apart in ai-sdk.cjs (AI_SDK_EXPORTS).
const AI_SDK_BUNDLED = new Set([
  ...BUNDLED,
  ...Object.keys(AI_SDK_EXPORTS),
  '@ai-sdk/provider',
  '@ai-sdk/provider-utils',
  '@ai-sdk/gateway',
  '@standard-schema/spec',
  'eventsource-parser',
  '@vercel/oidc',
  // The AI SDK's tracing API (a no-op unless a tracer is registered): ~20 ms to load from node_modules.
  '@opentelemetry/api',
]);
const packageOf = (spec) =>
  (spec.startsWith('@') ? spec.split('/').slice(0, 2) : spec.split('/').slice(0, 1)).join('/');

// The URL of the module's own file in dist/, found from where the bundle is at run time (never
// the build directory's absolute path: the Docker image builds in /src and runs from /opt/ralex).
// Bundles and chunks all lie in dist/bundle/. In a CommonJS bundle `__dirname` is its folder
// (load-bundled-cli.ts passes it, as Node's own wrapper does).
const ownUrl = (file, format) => {
  const rel = JSON.stringify(relative(BUNDLE_DIR, file).split(sep).join('/'));
  return format === 'cjs' ? `__ralexOwnUrl(${rel})` : `(new URL(${rel}, import.meta.url).href)`;
};
// Defined before any module of a CommonJS bundle, where `require` is still the wrapper's (a module
// may shadow it with its own `createRequire(import.meta.url)`).
const CJS_BANNER =
  "'use strict';var __ralexOwnUrl=(rel)=>require('node:url').pathToFileURL(require('node:path').join(__dirname,rel)).href;";

const keepOwnUrl = (bundled, format) => ({
  name: 'keep-import-meta-url',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith('node:') || !bundled.has(packageOf(args.path))
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
      return { contents: text.replaceAll('import.meta.url', ownUrl(args.path, format)), loader: 'js' };
    });
  },
});

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  // Less text to parse at every start (5 ms of 230 measured); names stay, so stack traces read.
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
};

await rm('dist/bundle', { recursive: true, force: true });
// The launcher: the thin client over a running server's socket (its own small chunk), else the
// command line below, loaded with V8's code cache (src/cli/load-bundled-cli.ts).
await build({
  ...common,
  entryPoints: { main: 'dist/cli/bundle-main.js' },
  outdir: 'dist/bundle',
  splitting: true,
  format: 'esm',
  plugins: [keepOwnUrl(BUNDLED, 'esm')],
  chunkNames: 'chunk-[hash]',
});
// The whole command line as one CommonJS file, the form V8's code cache can be given to on
// Node 20. The modules it loads lazily stay lazy (esbuild defers their top-level code), and
// packages outside the bundle are required or imported from node_modules as before.
await build({
  ...common,
  entryPoints: { 'full-cli': 'dist/cli/full-cli.js' },
  outdir: 'dist/bundle',
  outExtension: { '.js': '.cjs' },
  format: 'cjs',
  plugins: [keepOwnUrl(BUNDLED, 'cjs')],
  // ES modules are strict; the same code as CommonJS stays so.
  banner: { js: CJS_BANNER },
});
// The AI SDK and its providers as a second CommonJS file with its own code cache, loaded by the
// first command that runs the model (src/cli/load-bundled-cli.ts maps the command line's
// `require("ai")` and `import("@ai-sdk/…")` to it): one copy of each package, compiled from the cache.
await build({
  ...common,
  plugins: [keepOwnUrl(AI_SDK_BUNDLED, 'cjs')],
  stdin: {
    contents: Object.entries(AI_SDK_EXPORTS)
      .map(([pkg, name]) => `export * as ${name} from ${JSON.stringify(pkg)};`)
      .join('\n'),
    resolveDir: '.',
    loader: 'js',
  },
  outfile: 'dist/bundle/ai-sdk.cjs',
  format: 'cjs',
  banner: { js: CJS_BANNER },
});

// V8 drops a script's dynamic-import callback when it is compiled from a code cache, so each
// import() of a package outside a bundle calls the loader's own import() instead
// (`__ralexImport`, src/cli/load-bundled-cli.ts). Only `import("literal")` forms are expected:
// anything else stops the build rather than failing at run time.
for (const file of ['dist/bundle/full-cli.cjs', 'dist/bundle/ai-sdk.cjs']) {
  const code = (await readFile(file, 'utf8')).replace(/(?<![\w$.])import\("/g, '__ralexImport("');
  const unexpected = code.match(/(?<![\w$.])import\(.{0,40}/g);
  if (unexpected) throw new Error(`${file}: import() without a literal specifier: ${unexpected.join('; ')}`);
  await writeFile(file, code);
}

// A first code cache, from a direct command on a scratch repository (what most starts compile).
const scratch = await mkdtemp(join(tmpdir(), 'ralex-bundle-warm-'));
try {
  const git = (...args) => execFileSync('git', args, { cwd: scratch, stdio: 'ignore' });
  git('init', '-q');
  await writeFile(join(scratch, 'README.md'), '# warm-up\n');
  git('add', 'README.md');
  git('-c', 'user.name=ralex', '-c', 'user.email=ralex@localhost', 'commit', '-q', '-m', 'warm-up');
  await writeFile(join(scratch, 'README.md'), '# warm-up, changed\n');
  execFileSync(
    process.execPath,
    ['dist/bundle/main.js', 'run', 'what changed', '--json', '--project', scratch],
    {
      env: { PATH: process.env.PATH, HOME: scratch, RALEX_NO_SERVER: '1' },
      stdio: 'ignore',
    },
  );
  if (!existsSync('dist/bundle/full-cli.cjs.cache')) throw new Error('the warm-up wrote no code cache');
} finally {
  await rm(scratch, { recursive: true, force: true });
}
