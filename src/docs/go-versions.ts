import { join } from 'node:path';
import { type ReadGuard, readGuarded } from '../project/guarded-read.js';

/** The modules a Go project requires (go.mod, else go.sum) at the versions it builds with. */
export interface GoRequirements {
  /** `go.mod` or `go.sum`, or null without either. */
  file: string | null;
  /** Module path → version (`github.com/spf13/cobra` → `v1.8.0`). */
  modules: Map<string, string>;
}

/** Reads `require` lines of go.mod (what the build selects), else the highest version go.sum lists. */
export async function goRequirements(root: string, guard: ReadGuard): Promise<GoRequirements> {
  const mod = await readGuarded(join(root, 'go.mod'), guard, 4 * 1024 * 1024);
  const modules = new Map<string, string>();
  if (mod.ok) {
    for (const m of mod.text.matchAll(
      /^\s*(?:require\s+)?([a-zA-Z0-9.-]+\.[a-z]{2,}\/\S+)\s+(v[^\s/]+)\s*(?:\/\/.*)?$/gm,
    ))
      modules.set(m[1]!, m[2]!);
    // A replace directive to another version wins (a local path replace has no module-cache docs).
    for (const m of mod.text.matchAll(/^\s*(?:replace\s+)?(\S+)(?:\s+v\S+)?\s+=>\s+(\S+)\s+(v\S+)\s*$/gm))
      if (modules.has(m[1]!) && m[2] === m[1]) modules.set(m[1]!, m[3]!);
    if (modules.size) return { file: 'go.mod', modules };
  }
  const sum = await readGuarded(join(root, 'go.sum'), guard, 16 * 1024 * 1024);
  if (!sum.ok) return { file: null, modules };
  for (const m of sum.text.matchAll(/^(\S+)\s+(v[^\s/]+)(?:\/go\.mod)?\s+h1:/gm)) {
    const prev = modules.get(m[1]!);
    if (!prev || compareSemver(m[2]!, prev) > 0) modules.set(m[1]!, m[2]!);
  }
  return { file: 'go.sum', modules };
}

/** The module of an import path: the longest required module path it starts with. */
export function moduleOf(importPath: string, modules: ReadonlyMap<string, string>): string | null {
  let best: string | null = null;
  for (const m of modules.keys())
    if ((importPath === m || importPath.startsWith(`${m}/`)) && (!best || m.length > best.length)) best = m;
  return best;
}

function compareSemver(a: string, b: string): number {
  const pa = a
    .replace(/^v/, '')
    .split(/[.-]/)
    .map((x) => Number.parseInt(x, 10) || 0);
  const pb = b
    .replace(/^v/, '')
    .split(/[.-]/)
    .map((x) => Number.parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++)
    if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}
