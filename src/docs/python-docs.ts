import { execFile } from 'node:child_process';
import { tmpdir } from 'node:os';
import { isWithin, projectPath, type ReadGuard } from '../project/guarded-read.js';
import { isSecretPath } from '../project/secret-files.js';
import type { DocSection, Library, LibraryDocs } from './library.js';
import type { PythonEnvironment } from './python-environment.js';
import { PYTHON_INSPECT } from './python-inspect-script.js';

const TIMEOUT_MS = 3000;

interface Inspected {
  name: string;
  version?: string;
  error?: string;
  compiled?: boolean;
  modules: {
    module: string;
    file: string;
    doc: string;
    items: {
      name: string;
      kind: string;
      signature: string;
      doc: string;
      methods?: { name: string; signature: string; doc: string }[];
    }[];
  }[];
}

/**
 * Docs of installed Python modules, from the project's interpreter: module and function
 * docstrings and signatures, read from the source with `ast` — no module is imported, so no
 * package code runs. Each file the program read must pass the guard (a project file the policy
 * allows, or one in a site-packages folder, never a secret) or its docs are dropped.
 */
export async function pythonDocs(
  libraries: readonly Library[],
  env: PythonEnvironment,
  guard: ReadGuard,
  signal: AbortSignal,
): Promise<Map<string, LibraryDocs>> {
  const out = new Map<string, LibraryDocs>();
  if (!env.interpreter || libraries.length === 0) return out;
  const request = {
    paths: env.siteDirs,
    modules: libraries.map((l) => ({
      name: l.name,
      names: [...new Set([...l.subpaths, ...l.symbols])].slice(0, 30),
    })),
  };
  const stdout = await new Promise<string | null>((resolve) => {
    execFile(
      env.interpreter!,
      ['-I', '-S', '-c', PYTHON_INSPECT, JSON.stringify(request)],
      {
        cwd: tmpdir(),
        env: { PATH: process.env.PATH ?? '' },
        timeout: TIMEOUT_MS,
        maxBuffer: 16 * 1024 * 1024,
        signal,
      },
      (error, text) => resolve(error ? null : text),
    );
  });
  if (stdout === null) return out;
  let inspected: Inspected[];
  try {
    inspected = JSON.parse(stdout) as Inspected[];
  } catch {
    return out;
  }
  const allowed = (file: string) => {
    if (isSecretPath(file)) return false;
    const rel = projectPath(file, guard.root);
    return rel !== null ? guard.canRead(rel) : env.siteDirs.some((d) => isWithin(file, d));
  };
  for (const lib of libraries) {
    const found = inspected.find((i) => i.name === lib.name);
    if (!found) continue;
    const sections: DocSection[] = [];
    const notes: string[] = [];
    if (found.compiled) notes.push(`${lib.name} is a compiled module: no source to read docs from`);
    for (const m of found.modules) {
      if (!allowed(m.file)) {
        notes.push(`${m.module}: not read (its file is outside the project and site-packages, or a secret)`);
        continue;
      }
      const source = shown(m.file, guard.root);
      if (m.doc)
        sections.push({
          title: `${m.module} (module docstring)`,
          text: m.doc,
          source,
          kind: 'docstring',
          names: [m.module.split('.').at(-1)!],
        });
      for (const item of m.items) {
        const methods = (item.methods ?? []).map(
          (x) => `    ${x.signature}${x.doc ? `\n        """${firstParagraph(x.doc)}"""` : ''}`,
        );
        const text = [item.signature, item.doc ? `    """${item.doc}"""` : '', ...methods]
          .filter(Boolean)
          .join('\n');
        sections.push({
          title: `${m.module}.${item.name}${item.kind === 'function' ? '()' : ''}`,
          text: text.length > 2400 ? `${text.slice(0, 2400)}\n…` : text,
          source,
          kind: 'signature',
          names: [item.name, ...(item.methods ?? []).map((x) => x.name)],
        });
      }
    }
    if (sections.length || notes.length)
      out.set(lib.name, {
        provider: 'installed',
        origin: sections[0]?.source ?? lib.name,
        version: found.version ?? lib.version,
        sections,
        notes,
      });
  }
  return out;
}

function shown(file: string, root: string): string {
  return projectPath(file, root) ?? file;
}

function firstParagraph(doc: string): string {
  return doc
    .split(/\n\s*\n/)[0]!
    .trim()
    .slice(0, 300);
}
