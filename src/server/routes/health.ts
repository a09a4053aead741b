import type { FastifyInstance } from 'fastify';
import { detectSandbox } from '../../policy/sandbox/detect-sandbox.js';
import type { Runtime } from '../../runtime.js';
import { RALEX_VERSION } from '../../version.js';

/** One part of Ralex and how it is doing. */
interface ComponentHealth {
  state: 'ok' | 'degraded' | 'down';
  detail: string;
}

/**
 * `GET /health` (no token needed): each component and its state — store, models, sandbox, rules —
 * so a phone, a load balancer or `ralex doctor` can tell what works. Names no secrets.
 */
export function registerHealthRoute(app: FastifyInstance, rt: Runtime): void {
  const startedAt = Date.now();
  app.get('/health', async () => {
    const components: Record<string, ComponentHealth> = {
      store: storeHealth(rt),
      models: modelsHealth(rt),
      sandbox: await sandboxHealth(),
      rules: rulesHealth(rt),
    };
    const states = Object.values(components).map((c) => c.state);
    const status = states.includes('down') ? 'down' : states.includes('degraded') ? 'degraded' : 'ok';
    return {
      status,
      version: RALEX_VERSION,
      uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
      components,
    };
  });
}

function storeHealth(rt: Runtime): ComponentHealth {
  try {
    rt.db.prepare('SELECT 1').get();
    return { state: 'ok', detail: 'SQLite open' };
  } catch (error) {
    return { state: 'down', detail: `SQLite: ${(error as Error).message}` };
  }
}

function modelsHealth(rt: Runtime): ComponentHealth {
  const providers = rt.registry.status();
  if (!providers.length) {
    return {
      state: 'degraded',
      detail: 'No model provider configured: direct commands work, model commands do not.',
    };
  }
  const failing = providers.filter((p) => p.state === 'error');
  const list = providers.map((p) => `${p.id} (${p.state})`).join(', ');
  return { state: failing.length === providers.length ? 'degraded' : 'ok', detail: list };
}

/** Degraded while the project's rules file loosens the built-in rules and is not trusted (those entries are ignored). */
function rulesHealth(rt: Runtime): ComponentHealth {
  const { trust } = rt.policy;
  const ignored = trust.state === 'untrusted' && trust.loosening.length > 0;
  return { state: ignored ? 'degraded' : 'ok', detail: trust.message };
}

async function sandboxHealth(): Promise<ComponentHealth> {
  const sandbox = await detectSandbox();
  return sandbox.available
    ? {
        state: 'ok',
        detail: `Commands run in ${sandbox.kind}${sandbox.version ? ` ${sandbox.version}` : ''}.`,
      }
    : {
        state: 'degraded',
        detail: `COMMANDS ARE NOT SANDBOXED: ${sandbox.reason ?? 'bubblewrap is not available'}.`,
      };
}
