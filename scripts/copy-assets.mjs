// Copies the non-TypeScript files the built code reads at run time (prompt texts, grammars)
// from src/ to dist/, keeping their paths, and writes the built-in standards parsed. Run by
// `npm run build` after tsc.
import { cpSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const ASSET = /\.(md|txt|gram|jsgf|json)$/;
const walk = (dir) =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : ASSET.test(name) ? [path] : [];
  });

for (const file of walk('src')) cpSync(file, join('dist', relative('src', file)));

// The built-in standards, parsed once here, so a command does not load a YAML parser for them.
const { parseBuiltinStandards, PREBUILT_FILE } = await import('../dist/standards/builtin-standards.js');
writeFileSync(join('dist/standards/builtin', PREBUILT_FILE), JSON.stringify(parseBuiltinStandards()));
