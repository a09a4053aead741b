import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import type { RalexConfig } from '../../config/load-config.js';
import { defaultTrustFile } from '../../config/trust-store.js';
import type { SandboxStatus } from '../../policy/sandbox/detect-sandbox.js';
import type { RalexPaths } from '../../project/ralex-paths.js';
import type { Finding } from './diagnose.js';

/** Where Ralex runs, as far as the sandbox's needs go. */
export type HostKind = 'docker' | 'podman' | 'systemd' | 'plain';

/** A container engine leaves a mark; a systemd service has an INVOCATION_ID. */
export function hostKind(env: NodeJS.ProcessEnv = process.env): HostKind {
  if (existsSync('/.dockerenv')) return 'docker';
  if (existsSync('/run/.containerenv')) return 'podman';
  const cgroup = readFileSync('/proc/1/cgroup', 'utf8');
  if (/docker|containerd|kubepods/.test(cgroup)) return 'docker';
  return env.INVOCATION_ID ? 'systemd' : 'plain';
}

/**
 * What a deployment needs besides the set-up checks: a writable state directory and trust
 * file, the port free (or already Ralex's), and — inside a container or a systemd service — a
 * sandbox that works, with the exact setting that stops it when it does not.
 */
export async function deploymentFindings(
  paths: RalexPaths,
  config: RalexConfig | null,
  sandbox: SandboxStatus,
  env: NodeJS.ProcessEnv = process.env,
  kind: HostKind = safeHostKind(env),
): Promise<Finding[]> {
  const out: Finding[] = [
    writable('state directory', paths.stateDir, 'the database, the token and the audit key'),
  ];
  out.push(writable('trust decisions', dirname(defaultTrustFile(env)), 'what `ralex trust` remembers'));
  if (config)
    out.push(
      await portFinding(
        env.RALEX_HOST?.trim() || config.preferences.server.host,
        Number(env.RALEX_PORT?.trim() || config.preferences.server.port),
      ),
    );
  if (!sandbox.available && kind !== 'plain') out.push(sandboxFix(kind, sandbox));
  else if (kind !== 'plain')
    out.push({
      check: `sandbox in ${kind}`,
      state: 'ok',
      detail: `bubblewrap works inside this ${kind === 'systemd' ? 'service' : 'container'}`,
    });
  return out;
}

function safeHostKind(env: NodeJS.ProcessEnv): HostKind {
  try {
    return hostKind(env);
  } catch {
    return env.INVOCATION_ID ? 'systemd' : 'plain';
  }
}

/** A directory Ralex must write: made if missing, then a file written and removed. */
function writable(check: string, dir: string, what: string): Finding {
  const probe = join(dir, `.ralex-doctor-${process.pid}`);
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(probe, '');
    rmSync(probe);
    return { check, state: 'ok', detail: `${dir} is writable` };
  } catch (error) {
    return {
      check,
      state: 'fail',
      detail: `${dir} is not writable (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): Ralex keeps ${what} there`,
      fix: `make it writable by this user (uid ${process.getuid?.() ?? '?'}): chown, or mount the volume read-write`,
    };
  }
}

/** The port `ralex serve` would use: free, or already answered by a Ralex (`/health`). */
async function portFinding(host: string, port: number): Promise<Finding> {
  const check = `port ${host}:${port}`;
  const free = await new Promise<NodeJS.ErrnoException | null>((resolve) => {
    const server = createServer();
    server.once('error', (error) => resolve(error as NodeJS.ErrnoException));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(null)));
  });
  if (!free) return { check, state: 'ok', detail: 'free for ralex serve' };
  if (free.code === 'EADDRINUSE') {
    const dial = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
    const health = await fetch(`http://${dial}:${port}/health`, { signal: AbortSignal.timeout(2_000) })
      .then((r) => r.json() as Promise<{ components?: unknown; status?: string }>)
      .catch(() => null);
    return health?.components
      ? { check, state: 'ok', detail: `a Ralex is already serving there (${health.status})` }
      : {
          check,
          state: 'warn',
          detail: 'in use by another program',
          fix: 'stop it, or set RALEX_PORT / server.port to a free port',
        };
  }
  return {
    check,
    state: 'fail',
    detail: `cannot listen: ${free.code ?? free.message}`,
    fix: 'set RALEX_HOST to an address of this machine (0.0.0.0 for all)',
  };
}

/** The sandbox does not work where Ralex runs: say which setting stops it. */
function sandboxFix(kind: HostKind, sandbox: SandboxStatus): Finding {
  const why = sandbox.reason ?? 'bubblewrap is not available';
  if (kind === 'systemd')
    return {
      check: 'sandbox in systemd',
      state: 'warn',
      detail: `COMMANDS ARE NOT SANDBOXED in this service: ${why}`,
      fix: 'the unit must not set RestrictNamespaces=, PrivateUsers=, ProtectKernelTunables= or ProtectProc= (bubblewrap makes a user namespace and mounts a fresh /proc); see deploy/ralex.service',
    };
  return {
    check: `sandbox in ${kind}`,
    state: 'warn',
    detail: `COMMANDS ARE NOT SANDBOXED in this container: ${why}; every shell command asks first`,
    fix: /not found/.test(why)
      ? 'install bubblewrap in the image (deploy/Dockerfile does)'
      : 'run the container with --security-opt seccomp=unconfined --security-opt apparmor=unconfined --security-opt systempaths=unconfined (deploy/compose.yaml does): bubblewrap needs user namespaces and a fresh /proc',
  };
}
