import { execFileSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, realpath, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadTokenCounter, type TokenCounter } from '../context/pack/tokenizer.js';
import { createPolicy } from '../policy/policy.js';
import { openDocsCache } from './docs-cache.js';
import { createDocsService } from './lookup-docs.js';

const dirs: string[] = [];
afterEach(async () => {
  // The docs cache saves in the background after a lookup: a save landing during removal is retried.
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true, maxRetries: 5 });
});

/** The Python the project would run, and the folder of the interpreter (a venv's `home`). */
const PYTHON = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], {
  encoding: 'utf8',
}).trim();
const PY_VERSION = execFileSync(
  PYTHON,
  ['-c', 'import sys; print(f"python{sys.version_info[0]}.{sys.version_info[1]}")'],
  { encoding: 'utf8' },
).trim();

const DATEFMT = (
  version: string,
  marker: string,
) => `"""Parse and format dates the way people type them (datefmt ${version})."""
import os
open(${JSON.stringify(marker)}, "w").write("imported")  # proves the module was executed, which must never happen


def parse_date(text: str, dayfirst: bool = True) -> "datetime.date":
    """Parse a typed date such as 25/01/2019.

    Two-digit years are read as 19xx before 70 and 20xx after.
    """
    return None


class DateFormatter:
    """Formats dates with a strftime pattern."""

    def format(self, value, pattern: str = "%d/%m/%Y") -> str:
        """Format a date; the pattern is strftime's."""
        return ""
`;

async function pythonProject(version: string, opts: { logCalls?: boolean } = {}) {
  const base = await realpath(await mkdtemp(join(tmpdir(), 'ralex-py-docs-')));
  dirs.push(base);
  // The venv's base interpreter: the real one, or a wrapper outside the project that logs each start.
  let home = dirname(PYTHON);
  const calls = join(base, 'python-calls.log');
  if (opts.logCalls) {
    home = join(base, 'pybin');
    await mkdir(home);
    await writeFile(
      join(home, 'python3'),
      `#!/bin/sh\necho "$2" | head -c 20 >> ${JSON.stringify(calls)}\necho >> ${JSON.stringify(calls)}\nexec ${JSON.stringify(PYTHON)} "$@"\n`,
    );
    await chmod(join(home, 'python3'), 0o755);
  }
  const root = join(base, 'app');
  const marker = join(base, 'imported.txt');
  const ranMarker = join(base, 'ran-project-python.txt');
  const site = join(root, '.venv', 'lib', PY_VERSION, 'site-packages');
  const files: Record<string, string> = {
    'app/dates.py':
      'from datefmt import parse_date, DateFormatter\nimport iniconfig\n\n\ndef due(text):\n    return parse_date(text)\n',
    'requirements.txt': `datefmt==${version}\niniconfig\n`,
    '.venv/pyvenv.cfg': `home = ${home}\nversion = 3\n`,
    [`.venv/lib/${PY_VERSION}/site-packages/datefmt/__init__.py`]: DATEFMT(version, marker),
    [`.venv/lib/${PY_VERSION}/site-packages/datefmt-${version}.dist-info/METADATA`]: `Metadata-Version: 2.1\nName: datefmt\nVersion: ${version}\n`,
    [`.venv/lib/${PY_VERSION}/site-packages/datefmt-${version}.dist-info/top_level.txt`]: 'datefmt\n',
    // A .pth file runs its import lines when site-packages is processed: Ralex never processes the venv.
    [`.venv/lib/${PY_VERSION}/site-packages/evil.pth`]: `import os; open(${JSON.stringify(marker)}, "w").write("pth ran")\n`,
    // An interpreter inside the project is never run.
    '.venv/bin/python3': `#!/bin/sh\necho ran > ${JSON.stringify(ranMarker)}\n`,
  };
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), text);
  }
  await chmod(join(root, '.venv/bin/python3'), 0o755);
  const policy = await createPolicy({
    projectRoot: root,
    shellParser: 'on-demand',
    trustFile: join(base, 'trust.json'),
  });
  const service = createDocsService({
    root,
    canRead: (p) => policy.checkPath(p, { write: false }).decision === 'allow',
    cache: openDocsCache(join(root, '.ralex', 'cache'), { ttlMs: 3_600_000 }),
    installed: true,
    context7: null,
    timeoutMs: 3000,
    maxLibraries: 3,
  });
  return { root, site, marker, ranMarker, service, calls };
}

/** The command both tests look docs up for: a fix in the project's dates module. */
const datesRequest = (count: TokenCounter) => ({
  request: 'fix the date parsing in dates dot py',
  intent: 'fix_bug',
  files: [{ path: 'app/dates.py', weight: 2, named: true }],
  budget: 12_000,
  room: 3000,
  count,
});

describe('installed Python docs, read without importing anything', () => {
  it(
    'gives the docstrings and signatures of the installed version, from the venv and from the interpreter',
    { timeout: 60_000 },
    async () => {
      const count = await loadTokenCounter();
      const p = await pythonProject('2.4.1');
      const req = datesRequest(count);
      const r = await p.service.lookup(req);
      const datefmt = r.candidates.find((c) => c.ref.startsWith('datefmt@'))!;
      expect(datefmt.ref).toBe(
        'datefmt@2.4.1 (.venv/lib/' + PY_VERSION + '/site-packages/datefmt/__init__.py)',
      );
      expect(datefmt.content).toContain("def parse_date(text: str, dayfirst: bool=True) -> 'datetime.date'");
      expect(datefmt.content).toContain('Two-digit years are read as 19xx before 70 and 20xx after.');
      expect(datefmt.reasons.join('\n')).toMatch(
        /the installed version, 2\.4\.1 \(.*datefmt-2\.4\.1\.dist-info; requirements\.txt agrees\)/,
      );
      // iniconfig comes from the interpreter's own site-packages, at the version installed there.
      const ini = r.libraries.find((l) => l.name === 'iniconfig')!;
      expect(ini.versionSource).toMatch(
        new RegExp(`iniconfig-${ini.version.replace(/\./g, '\\.')}\\.(dist|egg)-info`),
      );
      expect(r.candidates.find((c) => c.ref.startsWith('iniconfig@'))?.content).toContain('class IniConfig');
      // Nothing of the project ran: not the module, not the .pth file, not the venv's interpreter.
      await expect(stat(p.marker)).rejects.toThrow();
      await expect(stat(p.ranMarker)).rejects.toThrow();
      // A new version installed: the new docs, the old ones dropped from the cache.
      await rm(join(p.site, 'datefmt-2.4.1.dist-info'), { recursive: true });
      await mkdir(join(p.site, 'datefmt-2.5.0.dist-info'));
      await writeFile(
        join(p.site, 'datefmt-2.5.0.dist-info', 'METADATA'),
        'Metadata-Version: 2.1\nName: datefmt\nVersion: 2.5.0\n',
      );
      await writeFile(
        join(p.site, 'datefmt', '__init__.py'),
        DATEFMT('2.5.0', p.marker).replace('dayfirst: bool = True', 'dayfirst: bool = False'),
      );
      const bumped = await p.service.lookup(req);
      const next = bumped.candidates.find((c) => c.ref.startsWith('datefmt@'))!;
      expect(next.ref).toMatch(/^datefmt@2\.5\.0/);
      expect(next.content).toContain('dayfirst: bool=False');
      expect(next.reasons.join('\n')).toContain('requirements.txt says 2.4.1');
      expect(bumped.notes).toContain('datefmt: the cached docs of another version were dropped (now 2.5.0).');
    },
  );
});

describe("the project's own package is not a library", () => {
  it(
    'a test importing the package the project is gets no docs of another installed copy of it, and says why',
    { timeout: 60_000 },
    async () => {
      const count = await loadTokenCounter();
      const p = await pythonProject('2.4.1');
      // The project is datefmt itself (an older datefmt 2.4.1 is installed in its venv).
      await mkdir(join(p.root, 'src', 'datefmt'), { recursive: true });
      await writeFile(join(p.root, 'src', 'datefmt', '__init__.py'), '"""datefmt, the project itself."""\n');
      const r = await p.service.lookup(datesRequest(count));
      expect(r.libraries.map((l) => l.name)).not.toContain('datefmt');
      expect(r.candidates.some((c) => c.ref.startsWith('datefmt@'))).toBe(false);
      expect(r.notes).toContain(
        "datefmt: the project's own code (src/datefmt/), not a library: no docs looked up.",
      );
      // Its real dependencies still get their docs.
      expect(r.libraries.map((l) => l.name)).toContain('iniconfig');
    },
  );
});

describe('a package without docs', () => {
  it(
    'is asked about once per version: later commands answer from the cache without starting Python',
    { timeout: 60_000 },
    async () => {
      const count = await loadTokenCounter();
      const p = await pythonProject('2.4.1', { logCalls: true });
      await mkdir(join(p.site, 'quietlib'));
      await writeFile(join(p.site, 'quietlib', '__init__.py'), 'X = 1\n');
      await mkdir(join(p.site, 'quietlib-1.0.dist-info'));
      await writeFile(join(p.site, 'quietlib-1.0.dist-info', 'METADATA'), 'Name: quietlib\nVersion: 1.0\n');
      await writeFile(
        join(p.root, 'app', 'dates.py'),
        'from datefmt import parse_date\nimport quietlib\n\n\ndef due(text):\n    return parse_date(text) or quietlib.X\n',
      );
      const starts = async () =>
        (await readFile(p.calls, 'utf8').catch(() => '')).split('\n').filter(Boolean).length;
      const first = await p.service.lookup(datesRequest(count));
      expect(first.notes).toContain('quietlib 1.0: no docs found (imported by app/dates.py).');
      expect(first.candidates.some((c) => c.ref.startsWith('datefmt@2.4.1'))).toBe(true);
      const afterFirst = await starts();
      expect(afterFirst).toBeGreaterThan(0);
      const second = await p.service.lookup(datesRequest(count));
      expect(second.notes).toContain('quietlib 1.0: no docs found (imported by app/dates.py).');
      expect(second.candidates.map((c) => c.ref)).toEqual(first.candidates.map((c) => c.ref));
      expect(await starts()).toBe(afterFirst);
      // A new version is asked about again.
      await rm(join(p.site, 'quietlib-1.0.dist-info'), { recursive: true });
      await mkdir(join(p.site, 'quietlib-1.1.dist-info'));
      await writeFile(join(p.site, 'quietlib-1.1.dist-info', 'METADATA'), 'Name: quietlib\nVersion: 1.1\n');
      await writeFile(join(p.site, 'quietlib', '__init__.py'), '"""Quiet no more: quietlib 1.1."""\nX = 1\n');
      const bumped = await p.service.lookup(datesRequest(count));
      expect(await starts()).toBeGreaterThan(afterFirst);
      expect(bumped.notes).not.toContain('quietlib 1.1: no docs found (imported by app/dates.py).');
    },
  );

  it(
    "a module beside the code or a namespace package is the project's own code, not a library",
    { timeout: 60_000 },
    async () => {
      const count = await loadTokenCounter();
      const p = await pythonProject('2.4.1');
      await writeFile(join(p.root, 'helpers.py'), 'def trim(s):\n    return s.strip()\n');
      await mkdir(join(p.root, 'src', 'tools'), { recursive: true });
      await writeFile(join(p.root, 'src', 'tools', 'clock.py'), 'def now():\n    return 0\n');
      await writeFile(
        join(p.root, 'app', 'dates.py'),
        'from datefmt import parse_date\nimport helpers\nfrom src.tools.clock import now\n\n\ndef due(text):\n    return parse_date(helpers.trim(text))\n',
      );
      const r = await p.service.lookup(datesRequest(count));
      expect(r.libraries.map((l) => l.name)).toEqual(['datefmt']);
      expect(r.notes).toContain(
        "helpers: the project's own code (helpers.py), not a library: no docs looked up.",
      );
      expect(r.notes).toContain("src: the project's own code (src/), not a library: no docs looked up.");
    },
  );
});
