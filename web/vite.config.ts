import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig, type Plugin } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const ICONS = ['/icons/icon-192.png', '/icons/icon-512.png', '/icons/icon.svg'];

/** Emits sw.js with the built shell's file list and a version that changes with the build. */
function serviceWorker(): Plugin {
  return {
    name: 'ralex-service-worker',
    apply: 'build',
    enforce: 'post',
    writeBundle(options, bundle) {
      const assets = Object.keys(bundle)
        .filter((f) => f.startsWith('assets/'))
        .map((f) => `/${f}`);
      const shell = ['/', ...assets, '/manifest.webmanifest', ...ICONS];
      const version = createHash('sha256').update(shell.join('\n')).digest('hex').slice(0, 12);
      const source = readFileSync(new URL('./src/service-worker.js', import.meta.url), 'utf8')
        .replace("'__VERSION__'", JSON.stringify(version))
        .replace('__SHELL__', JSON.stringify(shell));
      writeFileSync(join(options.dir ?? join(root, 'dist'), 'sw.js'), source);
    },
  };
}

/** The Ralex web app: built into web/dist, served by `ralex serve` at `/`. */
export const webConfig = defineConfig({
  root,
  base: '/',
  plugins: [svelte(), serviceWorker()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    cssCodeSplit: false,
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
  },
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:8000',
      '/v1': 'http://127.0.0.1:8000',
      '/ws': { target: 'ws://127.0.0.1:8000', ws: true },
    },
  },
});

export default webConfig;
