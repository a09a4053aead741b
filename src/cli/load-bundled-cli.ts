import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import vm from 'node:vm';

/** What the bundled command line exports (src/cli/full-cli.ts). */
export interface BundledCli {
  runFullCli(): Promise<void>;
}

/**
 * Loads the command line bundled as one CommonJS file (`dist/bundle/full-cli.cjs`, made by
 * scripts/bundle-cli.mjs) with V8's code cache beside it (`<file>.cache`): compiling ~1.5 MB of
 * JavaScript at every start costs ~35 ms and compiling the functions a command runs as much again,
 * which the cache replaces with reading back code compiled before. Node 20 has no compile cache for
 * ES modules (`module.enableCompileCache` is Node 22), hence CommonJS for this one file.
 *
 * V8 checks the cache against the source, its own version and flags; a missing or rejected cache
 * is written at the end of the process, from what it compiled (the build writes a first one by
 * running a direct command). A cache that cannot be written (a read-only install) is skipped.
 */
export function loadBundledCli(file: string): BundledCli {
  const aiFile = join(dirname(file), 'ai-sdk.cjs');
  let aiSdk: Record<string, unknown> | undefined;
  const ai = (id: string) => {
    aiSdk ??= loadCached(aiFile, createRequire(aiFile), importOutside);
    return aiSdk[AI_SDK_EXPORTS[id]!];
  };
  const outside = createRequire(file);
  const bundleRequire = Object.assign((id: string) => (id in AI_SDK_EXPORTS ? ai(id) : outside(id)), outside);
  const bundleImport = (id: string) =>
    id in AI_SDK_EXPORTS ? Promise.resolve().then(() => ai(id)) : importOutside(id);
  return loadCached(file, bundleRequire, bundleImport) as unknown as BundledCli;
}

/**
 * The AI SDK and its providers, bundled apart in `ai-sdk.cjs` (with its own code cache, loaded by
 * the first command that runs the model), by the name that file exports each package under. One
 * copy of each: the command line's `require("ai")` and its `import("@ai-sdk/…")` both come here.
 */
export const AI_SDK_EXPORTS: Readonly<Record<string, string>> = {
  ai: 'ai',
  '@ai-sdk/openai-compatible': 'openaiCompatible',
  '@ai-sdk/anthropic': 'anthropic',
};

/** Compiles one bundled CommonJS file with its code cache and runs it; its exports. */
function loadCached(
  file: string,
  require: NodeJS.Require | ((id: string) => unknown),
  importFrom: (id: string) => Promise<unknown>,
): Record<string, unknown> {
  const cacheFile = `${file}.cache`;
  const source = readFileSync(file, 'utf8');
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    // first start after a build, or a cache that could not be written
  }
  // A script compiled from a code cache loses its dynamic-import callback (nodejs/node#43663,
  // zertosh/v8-compile-cache#30), so the bundle's import() of packages outside it was rewritten at
  // build time to `__ralexImport(...)`.
  const script = new vm.Script(
    `(function (exports, require, module, __filename, __dirname, __ralexImport) {${source}\n})`,
    { filename: file, cachedData },
  );
  if (!cachedData || script.cachedDataRejected) process.once('exit', () => writeCache(script, cacheFile));
  const module = { exports: {} as Record<string, unknown> };
  const init = script.runInThisContext() as (...args: unknown[]) => void;
  init.call(module.exports, module.exports, require, module, file, dirname(file), importFrom);
  return module.exports;
}

/** A bundle's import() of a package outside it (see scripts/bundle-cli.mjs). */
function importOutside(specifier: string): Promise<unknown> {
  return import(specifier);
}

function writeCache(script: vm.Script, cacheFile: string): void {
  const partial = `${cacheFile}.${process.pid}`;
  try {
    writeFileSync(partial, script.createCachedData());
    renameSync(partial, cacheFile); // whole or not at all, whatever other processes do at once
  } catch {
    rmSync(partial, { force: true });
  }
}
