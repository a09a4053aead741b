/** A place in the project that failing test output points at. */
export interface TracebackPlace {
  path: string;
  line: number | null;
}

const PATTERNS: readonly RegExp[] = [
  /File "([^"\n]+)", line (\d+)/g, // Python traceback
  /\(([^()\s]+?):(\d+):\d+\)/g, // JS stack: at fn (path:line:col)
  /^\s*at ([^\s()]+?):(\d+):\d+$/gm, // JS stack without a function name
  /-->\s+([^\s:]+):(\d+):\d+/g, // Rust
  /^\s*([^\s:]+\.(?:go|py|rb|ts|tsx|js|jsx|mjs|rs|java|c|cc|cpp|h|cs|php|swift)):(\d+)(?::\d+)?:/gm, // path:line: message (go test, gcc, rspec)
  /\(([A-Za-z0-9_$]+\.(?:java|kt|scala)):(\d+)\)/g, // Java stack: at pkg.Class.method(File.java:12)
  /^(?:FAILED|ERROR) ([^\s:]+)::/gm, // pytest summary: path::test
  /^\s*(?:FAIL|✗|×)\s+([^\s>]+\.(?:ts|tsx|js|jsx|mjs))/gm, // vitest/jest: FAIL path
  /^rspec \.\/([^\s:]+):(\d+)/gm, // rspec rerun line
];

/**
 * The project files named in failing test output (tracebacks, stack traces, test ids), in the
 * order they appear, resolved against the project's paths: exact, relative to the root, or by
 * a unique path ending (a Java stack names only `File.java`).
 */
export function tracebackFiles(output: string, root: string, files: readonly string[]): TracebackPlace[] {
  const byEnding = new Map<string, string[]>();
  const known = new Set(files);
  const resolve = (raw: string): string | null => {
    let p = raw.replace(/\\/g, '/');
    if (p.startsWith(`${root}/`)) p = p.slice(root.length + 1);
    p = p.replace(/^\.\//, '');
    if (known.has(p)) return p;
    const name = p.slice(p.lastIndexOf('/') + 1);
    if (byEnding.size === 0) {
      for (const f of files) {
        const base = f.slice(f.lastIndexOf('/') + 1);
        const list = byEnding.get(base) ?? [];
        list.push(f);
        byEnding.set(base, list);
      }
    }
    const fits = (byEnding.get(name) ?? []).filter((f) => f === p || f.endsWith(`/${p}`) || !p.includes('/'));
    return fits.length === 1 ? fits[0]! : null;
  };
  const seen = new Set<string>();
  const out: TracebackPlace[] = [];
  const hits: { at: number; path: string; line: number | null }[] = [];
  for (const pattern of PATTERNS) {
    for (const m of output.matchAll(pattern)) {
      const path = resolve(m[1]!);
      if (path) hits.push({ at: m.index ?? 0, path, line: m[2] ? Number(m[2]) : null });
    }
  }
  hits.sort((a, b) => a.at - b.at);
  for (const h of hits) {
    const key = `${h.path}:${h.line}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ path: h.path, line: h.line });
  }
  return out;
}
