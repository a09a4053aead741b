import { join } from 'node:path';
import { type ReadGuard, readGuarded } from '../project/guarded-read.js';

/** The package ecosystems Ralex reads manifests of. */
export type Ecosystem = 'npm' | 'python' | 'go' | 'cargo' | 'ruby' | 'php';

/** A dependency a manifest declares: its name as the ecosystem spells it, and where. */
export interface DeclaredDependency {
  name: string;
  ecosystem: Ecosystem;
  /** The manifest that declares it, project-relative (`package.json`, `go.mod`). */
  manifest: string;
  /** The version or range as written (`^1.11.0`, `>=2`, `v1.8.0`), when there is one. */
  spec?: string;
}

/** What the project's manifests say: its dependencies and the languages they imply. */
export interface ProjectDependencies {
  dependencies: DeclaredDependency[];
  /** Languages the manifests show (`package.json` → javascript, `tsconfig.json` → typescript, …). */
  languages: string[];
  /** The names the project itself goes by (package.json `name`, pyproject's project name, go.mod's module): its own code, not a library. */
  own: { npm?: string; python?: string; go?: string };
}

const MANIFEST_BYTES = 1024 * 1024;

/** Reads the project's manifests at its root: package.json, requirements*.txt, pyproject.toml, go.mod, Cargo.toml, Gemfile, composer.json. */
export async function projectDependencies(root: string, guard: ReadGuard): Promise<ProjectDependencies> {
  const read = async (name: string) => {
    const r = await readGuarded(join(root, name), guard, MANIFEST_BYTES);
    return r.ok ? r.text : null;
  };
  const deps: DeclaredDependency[] = [];
  const languages = new Set<string>();
  const own: ProjectDependencies['own'] = {};
  const names = [
    'package.json',
    'tsconfig.json',
    'requirements.txt',
    'requirements-dev.txt',
    'pyproject.toml',
    'go.mod',
    'Cargo.toml',
    'Gemfile',
    'composer.json',
  ] as const;
  const texts = new Map(await Promise.all(names.map(async (n) => [n, await read(n)] as const)));
  const text = (n: (typeof names)[number]) => texts.get(n) ?? null;
  const [pkg, tsconfig, requirements, devRequirements, pyproject, gomod, cargo, gemfile, composer] =
    names.map(text);
  if (pkg != null) {
    languages.add('javascript');
    try {
      const json = JSON.parse(pkg) as Record<string, unknown>;
      if (typeof json.name === 'string') own.npm = json.name;
      for (const field of ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies']) {
        const map = json[field];
        if (map && typeof map === 'object')
          for (const [name, spec] of Object.entries(map as Record<string, unknown>))
            deps.push({
              name,
              ecosystem: 'npm',
              manifest: 'package.json',
              spec: typeof spec === 'string' ? spec : undefined,
            });
      }
      if (deps.some((d) => d.name === 'typescript')) languages.add('typescript');
    } catch {
      // a package.json that is not JSON declares nothing
    }
  }
  if (tsconfig != null) languages.add('typescript');
  for (const [body, manifest] of [
    [requirements, 'requirements.txt'],
    [devRequirements, 'requirements-dev.txt'],
  ] as const) {
    if (body == null) continue;
    languages.add('python');
    for (const line of body.split('\n')) {
      const m = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*([=<>!~]=?[^;#\s]*)?/.exec(line);
      if (m && !line.trim().startsWith('-'))
        deps.push({ name: m[1]!, ecosystem: 'python', manifest, spec: m[2] });
    }
  }
  if (pyproject != null) {
    languages.add('python');
    const name = /^\s*\[(?:project|tool\.poetry)\][^[]*?^\s*name\s*=\s*["']([^"']+)["']/ms.exec(pyproject);
    if (name) own.python = name[1];
    for (const d of pyprojectDependencies(pyproject))
      deps.push({ ...d, ecosystem: 'python', manifest: 'pyproject.toml' });
  }
  if (gomod != null) {
    languages.add('go');
    const module = /^\s*module\s+(\S+)/m.exec(gomod);
    if (module) own.go = module[1];
    for (const m of gomod.matchAll(/^\s*(?:require\s+)?([a-z0-9.-]+\.[a-z]{2,}\/[^\s]+)\s+(v[^\s]+)/gm))
      deps.push({ name: m[1]!, ecosystem: 'go', manifest: 'go.mod', spec: m[2] });
  }
  if (cargo != null) {
    languages.add('rust');
    for (const d of tomlTableKeys(cargo, /^(dev-|build-)?dependencies$/))
      deps.push({ name: d, ecosystem: 'cargo', manifest: 'Cargo.toml' });
  }
  if (gemfile != null) {
    languages.add('ruby');
    for (const m of gemfile.matchAll(/^\s*gem\s+['"]([^'"]+)['"]/gm))
      deps.push({ name: m[1]!, ecosystem: 'ruby', manifest: 'Gemfile' });
  }
  if (composer != null) {
    languages.add('php');
    try {
      const json = JSON.parse(composer) as {
        require?: Record<string, string>;
        'require-dev'?: Record<string, string>;
      };
      for (const name of [...Object.keys(json.require ?? {}), ...Object.keys(json['require-dev'] ?? {})])
        if (name !== 'php') deps.push({ name, ecosystem: 'php', manifest: 'composer.json' });
    } catch {
      // not JSON: nothing declared
    }
  }
  return { dependencies: deps, languages: [...languages], own };
}

/** PEP 621 `[project] dependencies = [...]` and `[tool.poetry.dependencies]` names of a pyproject.toml. */
function pyprojectDependencies(text: string): { name: string; spec?: string }[] {
  const out: { name: string; spec?: string }[] = [];
  const list = /^\s*dependencies\s*=\s*\[([\s\S]*?)\]/m.exec(text);
  if (list)
    for (const m of list[1]!.matchAll(/["']([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*([^"';]*)/g))
      out.push({ name: m[1]!, spec: m[2]?.trim() || undefined });
  for (const name of tomlTableKeys(text, /^tool\.poetry\.(group\.[\w-]+\.)?(dev-)?dependencies$/))
    if (name !== 'python') out.push({ name });
  return out;
}

/** The keys of the TOML tables whose names match (a line scan; enough for dependency tables). */
function tomlTableKeys(text: string, table: RegExp): string[] {
  const out: string[] = [];
  let inTable = false;
  for (const line of text.split('\n')) {
    const header = /^\s*\[([^\]]+)\]\s*$/.exec(line);
    if (header) {
      inTable = table.test(header[1]!.trim());
      continue;
    }
    const key = inTable ? /^\s*([A-Za-z0-9_][A-Za-z0-9._-]*)\s*=/.exec(line) : null;
    if (key) out.push(key[1]!);
  }
  return out;
}
