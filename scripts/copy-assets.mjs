// Copies the non-TypeScript files the built code reads at run time (prompt texts, grammars)
// from src/ to dist/, keeping their paths. Run by `npm run build` after tsc.
import { cpSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const ASSET = /\.(md|txt|gram|jsgf|json)$/;
const walk = (dir) =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : ASSET.test(name) ? [path] : [];
  });

for (const file of walk('src')) cpSync(file, join('dist', relative('src', file)));
