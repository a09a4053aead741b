import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadTokenCounter } from '../context/pack/tokenizer.js';
import { openDocsCache } from './docs-cache.js';
import { escapeModulePath } from './go-docs.js';
import { createDocsService } from './lookup-docs.js';

const dirs: string[] = [];
afterEach(async () => {
  // The docs cache saves in the background after a lookup: a save landing during removal is retried.
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true, maxRetries: 5 });
});

async function write(base: string, files: Record<string, string>) {
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(base, path)), { recursive: true });
    await writeFile(join(base, path), text);
  }
}

describe('Go module docs from the module cache', () => {
  it('reads the package comment and exported declarations of the required version, escaping capitals as the cache does', async () => {
    const count = await loadTokenCounter();
    const base = await realpath(await mkdtemp(join(tmpdir(), 'ralex-go-docs-')));
    dirs.push(base);
    const root = join(base, 'svc');
    const cache = join(base, 'gomodcache');
    await write(root, {
      'go.mod':
        'module example.com/svc\n\ngo 1.21\n\nrequire (\n\tgithub.com/BurntSushi/toml v1.3.2\n\tgithub.com/spf13/cobra v1.8.0 // indirect\n)\n',
      'config/load.go':
        'package config\n\nimport (\n\t"fmt"\n\t"github.com/BurntSushi/toml"\n)\n\nfunc Load(p string) error { _, err := toml.DecodeFile(p, nil); return fmt.Errorf("x: %w", err) }\n',
    });
    const mod = `${escapeModulePath('github.com/BurntSushi/toml')}@v1.3.2`;
    expect(mod).toBe('github.com/!burnt!sushi/toml@v1.3.2');
    await write(cache, {
      [`${mod}/README.md`]: '# TOML parser for Go\n\nDecoding TOML files into structs, with reflection.\n',
      [`${mod}/doc.go`]:
        '// Package toml implements decoding and encoding of TOML files.\n//\n// This package supports TOML v1.0.0.\npackage toml\n',
      [`${mod}/decode.go`]:
        'package toml\n\n// DecodeFile reads the contents of a file and decodes it with Decode.\nfunc DecodeFile(path string, v any) (MetaData, error) {\n\treturn MetaData{}, nil\n}\n\n// MetaData allows access to meta information about TOML data.\ntype MetaData struct {\n\tkeys []Key\n}\n\nfunc helper() {}\n',
      [`${mod}/decode_test.go`]: 'package toml\n\n// TestSecret must not be read.\nfunc TestSecret() {}\n',
      // Another version in the cache must not be used.
      [`${escapeModulePath('github.com/BurntSushi/toml')}@v1.2.0/decode.go`]:
        'package toml\n\n// DecodeFile OLD VERSION.\nfunc DecodeFile(path string) {}\n',
    });
    const service = createDocsService({
      root,
      canRead: () => true,
      cache: openDocsCache(join(root, '.ralex', 'cache'), { ttlMs: 60_000 }),
      installed: true,
      context7: null,
      timeoutMs: 3000,
      maxLibraries: 3,
      env: { GOMODCACHE: cache, PATH: process.env.PATH },
    });
    const r = await service.lookup({
      request: 'fix how the config file is decoded',
      intent: 'fix_bug',
      files: [{ path: 'config/load.go', weight: 2, named: true }],
      budget: 12_000,
      room: 2000,
      count,
    });
    expect(r.libraries.map((l) => [l.name, l.version, l.versionSource])).toEqual([
      ['github.com/BurntSushi/toml', 'v1.3.2', 'go.mod'],
    ]);
    const docs = r.candidates[0]!;
    expect(docs.ref).toBe(`github.com/BurntSushi/toml@v1.3.2 (${cache}/${mod})`);
    expect(docs.content).toContain(
      '// DecodeFile reads the contents of a file and decodes it with Decode.\nfunc DecodeFile(path string, v any) (MetaData, error)',
    );
    expect(docs.content).not.toContain('OLD VERSION');
    expect(docs.content).not.toContain('TestSecret');
    expect(docs.content).not.toContain('func helper');
  });
});
