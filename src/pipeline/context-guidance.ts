import { homedir } from 'node:os';
import type { GuidanceInput, GuidanceOutput } from '../context/build-context.js';
import type { ProjectMemory } from '../context/memory/project-memory.js';
import type { Context7Status, DocsService } from '../docs/lookup-docs.js';
import type { Runtime } from '../runtime.js';
import type { StandardsChoice } from '../standards/choose-standards.js';

/**
 * The context stage's standards and docs for a runtime: `src/standards` chooses coding standards
 * per command, `src/docs` finds library docs for the installed versions (and Context7's, when on).
 * Both load on first use; the docs service (its cache and Context7 connection) lives as long as
 * the runtime.
 */

const services = new WeakMap<Runtime, Promise<DocsService>>();
/** The services already made, for a status read that must not create one. */
const made = new WeakMap<Runtime, DocsService>();

/** Whether the policy lets the agent read a project path (what may enter a prompt). */
const readable = (rt: Runtime) => (path: string) =>
  rt.policy.checkPath(path, { write: false }).decision === 'allow';

/** The standards for a request as chosen, with reasons (also what `ralex standards` shows). */
export async function chooseStandardsFor(
  rt: Runtime,
  memory: ProjectMemory,
  input: { request: string; intent: string; complexity: number; files: readonly string[] },
): Promise<StandardsChoice> {
  const { chooseStandards } = await import('../standards/choose-standards.js');
  const prefs = rt.config.preferences.standards;
  const patterns = await memory.store.list('user_patterns').catch(() => []);
  return chooseStandards(
    { ...input, preferences: patterns.map((e) => e.text) },
    {
      root: rt.root,
      home: process.env.HOME || homedir(),
      canRead: readable(rt),
      profile: prefs.profile,
      builtin: prefs.builtin,
      agentOs: prefs.agent_os,
      claude: prefs.claude,
    },
  );
}

/** The standards source of the context stage: chosen, then sized to `standards.max_share` of the budget. */
export async function standardsGuidance(
  rt: Runtime,
  memory: ProjectMemory,
  g: GuidanceInput,
): Promise<GuidanceOutput> {
  const { sizeStandards, standardsCandidates } = await import('../standards/standards-candidates.js');
  const choice = await chooseStandardsFor(rt, memory, { ...g, files: g.files.map((f) => f.path) });
  const room = Math.floor(g.budget * rt.config.preferences.standards.max_share);
  return {
    candidates: standardsCandidates(sizeStandards(choice.selected, room, g.count), g.budget),
    notes: choice.notes,
  };
}

/** The docs source of the context stage: the runtime's docs service, sized to `docs.max_share` of the budget. */
export async function docsGuidance(rt: Runtime, g: GuidanceInput): Promise<GuidanceOutput> {
  const service = await docsServiceFor(rt);
  const r = await service.lookup({
    request: g.request,
    intent: g.intent,
    files: g.files,
    budget: g.budget,
    room: Math.floor(g.budget * rt.config.preferences.docs.max_share),
    count: g.count,
    topScore: g.topScore,
  });
  return { candidates: r.candidates, notes: r.notes };
}

/** Whether the preferences ask for any docs at all. */
export function docsWanted(rt: Runtime): boolean {
  const d = rt.config.preferences.docs;
  return d.max_libraries > 0 && (d.installed || d.context7 !== 'off');
}

/** Context7's last outcome for this runtime's commands; `not asked yet` before the first docs lookup. */
export function context7StatusOf(rt: Runtime): Context7Status {
  if (rt.config.preferences.docs.context7 === 'off' || !docsWanted(rt)) return { state: 'off' };
  return made.get(rt)?.context7Status() ?? { state: 'not asked yet' };
}

/** The runtime's docs service: the cache in `.ralex/cache`, Context7 per `docs.context7`, closed with the runtime. */
export function docsServiceFor(rt: Runtime): Promise<DocsService> {
  let s = services.get(rt);
  if (!s) {
    s = (async () => {
      const [{ createDocsService }, { openDocsCache }, c7] = await Promise.all([
        import('../docs/lookup-docs.js'),
        import('../docs/docs-cache.js'),
        import('../docs/context7-client.js'),
      ]);
      const d = rt.config.preferences.docs;
      const key = process.env.CONTEXT7_API_KEY;
      const endpoint =
        d.context7 === 'stdio'
          ? c7.installedContext7(process.env)
          : d.context7 === 'http'
            ? {
                transport: 'http' as const,
                url: d.context7_url,
                headers: key ? { Authorization: `Bearer ${key}` } : {},
              }
            : null;
      const service = createDocsService({
        root: rt.root,
        canRead: readable(rt),
        cache: openDocsCache(rt.paths.cacheDir, {
          ttlMs: d.cache_ttl_hours * 3_600_000,
          now: () => rt.clock().getTime(),
        }),
        installed: d.installed,
        context7: endpoint ? c7.mcpToolClient(endpoint) : null,
        timeoutMs: d.timeout_ms,
        maxLibraries: d.max_libraries,
      });
      rt.onClose(() => service.close());
      made.set(rt, service);
      return service;
    })();
    services.set(rt, s);
  }
  return s;
}
