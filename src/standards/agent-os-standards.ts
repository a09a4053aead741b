import { join } from 'node:path';
import { parse } from 'yaml';
import { type ReadGuard, readGuarded } from '../project/guarded-read.js';
import { markdownFiles, readStandard, type StandardHints } from './read-standard.js';
import type { Standard, StandardOrigin } from './standard.js';

/** Where Agent OS keeps standards for a project and its user. */
export interface AgentOsPlaces {
  root: string;
  home: string;
  /** The Agent OS v2 profile to read when the project names none (`standards.profile`). */
  profile: string;
}

const PROFILE_NAME = /^[A-Za-z0-9][\w.-]{0,63}$/;
/** Profiles one may inherit from before Ralex stops following (a loop, or a very long chain). */
const MAX_INHERITANCE = 5;

/**
 * Agent OS standards of every version Ralex knows:
 * - v3: the project's `agent-os/standards/` with `index.yml` (descriptions for matching);
 * - v2: the project's compiled `agent-os/standards/` (no index), or else the user's profile
 *   `~/agent-os/profiles/<profile>/standards/` (`backend/`, `frontend/`, `global/`, `testing/`),
 *   following `inherits_from`;
 * - v1: `~/.agent-os/standards/` and the project's `.agent-os/standards/`.
 */
export async function agentOsStandards(
  at: AgentOsPlaces,
  guard: ReadGuard,
  notes: string[],
): Promise<Standard[]> {
  const out: Standard[] = [];
  const project = join(at.root, 'agent-os', 'standards');
  const projectFiles = await markdownFiles(project);
  if (projectFiles.length) {
    const index = await readIndex(join(project, 'index.yml'), guard, notes);
    const origin: StandardOrigin = index ? 'agent-os-v3' : 'agent-os-v2';
    for (const f of projectFiles)
      await push(
        out,
        readStandard(join(project, f), `agent-os/standards/${f}`, origin, f, guard, notes, index?.get(f)),
      );
  } else {
    for (const dir of await profileDirs(at, guard, notes)) {
      const files = await markdownFiles(dir.path);
      for (const f of files) {
        if (out.some((s) => s.id === `agent-os-v2:${f}`)) continue; // a child profile's file wins
        await push(out, readStandard(join(dir.path, f), `${dir.shown}/${f}`, 'agent-os-v2', f, guard, notes));
      }
    }
  }
  for (const [dir, shown] of [
    [join(at.home, '.agent-os', 'standards'), '~/.agent-os/standards'],
    [join(at.root, '.agent-os', 'standards'), '.agent-os/standards'],
  ] as const) {
    for (const f of await markdownFiles(dir))
      await push(
        out,
        readStandard(
          join(dir, f),
          `${shown}/${f}`,
          'agent-os-v1',
          `${shown.startsWith('~') ? 'home' : 'project'}/${f}`,
          guard,
          notes,
        ),
      );
  }
  return out;
}

async function push(out: Standard[], s: Promise<Standard | null>): Promise<void> {
  const standard = await s;
  if (standard) out.push(standard);
}

/**
 * Reads `index.yml` in either shape Agent OS v3 writes: `standards: [{path, description}]`, or
 * `<folder>: {<file>: {description}}` with `root` for files at the top. Paths that are absolute
 * or climb out (`..`) are ignored.
 */
async function readIndex(
  path: string,
  guard: ReadGuard,
  notes: string[],
): Promise<Map<string, StandardHints> | null> {
  const r = await readGuarded(path, guard, 256 * 1024);
  if (!r.ok) return null;
  let data: unknown;
  try {
    data = parse(r.text, { maxAliasCount: 10 });
  } catch (error) {
    notes.push(
      `agent-os/standards/index.yml is not valid YAML (${(error as Error).message}); read the standards without it.`,
    );
    return new Map();
  }
  const index = new Map<string, StandardHints>();
  const add = (file: string, description: unknown) => {
    const f = file.endsWith('.md') ? file : `${file}.md`;
    if (f.startsWith('/') || f.split('/').includes('..')) return;
    if (typeof description === 'string' && description.trim())
      index.set(f, { description: description.trim() });
  };
  if (!data || typeof data !== 'object') return index;
  const list = (data as { standards?: unknown }).standards;
  if (Array.isArray(list)) {
    for (const e of list)
      if (e && typeof e === 'object' && typeof (e as { path?: unknown }).path === 'string')
        add((e as { path: string }).path, (e as { description?: unknown }).description);
    return index;
  }
  for (const [folder, files] of Object.entries(data as Record<string, unknown>)) {
    if (!files || typeof files !== 'object' || folder === 'version') continue;
    for (const [file, entry] of Object.entries(files as Record<string, unknown>)) {
      const description =
        typeof entry === 'string' ? entry : (entry as { description?: unknown } | null)?.description;
      add(folder === 'root' ? file : `${folder}/${file}`, description);
    }
  }
  return index;
}

/** The profile's standards folders, the profile itself first, then what it inherits from. */
async function profileDirs(
  at: AgentOsPlaces,
  guard: ReadGuard,
  notes: string[],
): Promise<{ path: string; shown: string }[]> {
  const base = join(at.home, 'agent-os');
  const named =
    (await yamlKey(join(at.root, 'agent-os', 'config.yml'), ['profile'], guard)) ??
    (await yamlKey(join(base, 'config.yml'), ['profile', 'default_profile'], guard)) ??
    at.profile;
  const out: { path: string; shown: string }[] = [];
  let profile: string | undefined = named;
  while (profile && out.length < MAX_INHERITANCE) {
    if (!PROFILE_NAME.test(profile)) {
      notes.push(`Agent OS profile "${profile}" is not a profile name; its standards were not read.`);
      break;
    }
    if (out.some((d) => d.shown.endsWith(`/${profile}/standards`))) break;
    const dir = join(base, 'profiles', profile);
    out.push({ path: join(dir, 'standards'), shown: `~/agent-os/profiles/${profile}/standards` });
    profile = await yamlKey(join(dir, 'profile-config.yml'), ['inherits_from'], guard);
  }
  return out;
}

async function yamlKey(path: string, keys: string[], guard: ReadGuard): Promise<string | undefined> {
  const r = await readGuarded(path, guard, 64 * 1024);
  if (!r.ok) return undefined;
  try {
    const data = parse(r.text, { maxAliasCount: 10 }) as Record<string, unknown> | null;
    for (const k of keys) if (typeof data?.[k] === 'string' && data[k]) return data[k] as string;
  } catch {
    // an unreadable config names no profile
  }
  return undefined;
}
