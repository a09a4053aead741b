import { execFile } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { loadConfig } from '../../config/load-config.js';
import { applyPreferencesTrust } from '../../config/preferences-trust.js';
import { defaultTrustFile } from '../../config/trust-store.js';
import { detectOpenCode, OPENCODE_INSTALL_HINT } from '../../engine/opencode/opencode-binary.js';
import { configuredProviders, discoverOllama } from '../../models/configured-providers.js';
import { createModelRegistry } from '../../models/model-registry.js';
import { loadProjectRules, type ProjectRules } from '../../policy/rules-trust.js';
import { detectSandbox } from '../../policy/sandbox/detect-sandbox.js';
import { findProject } from '../../project/open-project.js';
import { ralexPaths } from '../../project/ralex-paths.js';
import { openDatabase } from '../../store/database.js';
import { deploymentFindings } from './deployment-findings.js';

/** One thing `ralex doctor` checked. */
export interface Finding {
  check: string;
  state: 'ok' | 'warn' | 'fail';
  detail: string;
  fix?: string;
}

/** Checks everything Ralex depends on for a project and says how to fix what is off. */
export async function diagnose(projectDir: string): Promise<Finding[]> {
  const findings: Finding[] = [];
  const [major, minor] = process.versions.node.split('.').map(Number) as [number, number];
  findings.push(
    major > 20 || (major === 20 && minor >= 18)
      ? { check: 'node', state: 'ok', detail: `Node ${process.versions.node}` }
      : {
          check: 'node',
          state: 'fail',
          detail: `Node ${process.versions.node} is too old`,
          fix: 'Install Node 20.18 or newer.',
        },
  );
  const git = await version('git', ['--version']);
  findings.push(
    git
      ? { check: 'git', state: 'ok', detail: git }
      : { check: 'git', state: 'fail', detail: 'git not found', fix: 'apt-get install git' },
  );

  const project = await findProject(projectDir).catch((e: Error) => e);
  if (project instanceof Error) {
    findings.push({ check: 'project', state: 'fail', detail: project.message });
    return findings;
  }
  findings.push(
    project.isGitRepo
      ? { check: 'project', state: 'ok', detail: `${project.root} (git repository)` }
      : {
          check: 'project',
          state: 'fail',
          detail: `${project.root} is not a git repository`,
          fix: `ralex init --project ${project.root}`,
        },
  );
  const paths = ralexPaths(project.root);
  const config = attempt(() => loadConfig(paths));
  findings.push(
    config instanceof Error
      ? { check: 'config', state: 'fail', detail: config.message, fix: (config as { hint?: string }).hint }
      : {
          check: 'config',
          state: 'ok',
          detail: config.preferencesFile ?? 'no preferences.yaml: defaults apply (ralex init writes one)',
        },
  );
  const rules = attempt(() =>
    loadProjectRules(realpathSync.native(project.root), { trustFile: defaultTrustFile() }),
  );
  findings.push(rulesFinding(rules));
  if (!(config instanceof Error)) {
    const prefs = applyPreferencesTrust(realpathSync.native(project.root), config, defaultTrustFile()).trust;
    if (prefs.state === 'untrusted')
      findings.push({
        check: 'preferences trust',
        state: 'warn',
        detail: `${prefs.message} (${prefs.outward.map((o) => `${o.key}: ${o.words}`).join('; ')})`,
        fix: 'ralex trust (shows what they send out and asks)',
      });
  }
  if (project.isGitRepo) {
    const db = attempt(() => openDatabase(paths.database));
    if (db instanceof Error) findings.push({ check: 'store', state: 'fail', detail: db.message });
    else {
      db.close();
      findings.push({ check: 'store', state: 'ok', detail: paths.database });
    }
  }
  if (!(config instanceof Error)) findings.push(...(await modelFindings(config)));
  const sandbox = await detectSandbox();
  findings.push(
    sandbox.available
      ? {
          check: 'sandbox',
          state: 'ok',
          detail: `commands run in bubblewrap ${sandbox.version ?? ''}`.trim(),
        }
      : {
          check: 'sandbox',
          state: 'warn',
          detail: `COMMANDS ARE NOT SANDBOXED: ${sandbox.reason ?? 'bubblewrap is missing'}`,
          fix: 'apt-get install bubblewrap',
        },
  );
  if (project.isGitRepo)
    findings.push(...(await deploymentFindings(paths, config instanceof Error ? null : config, sandbox)));
  const sphinx = await version('pocketsphinx_continuous', ['-h']).then((v) => v !== null);
  findings.push(
    sphinx
      ? { check: 'voice (offline)', state: 'ok', detail: 'pocketsphinx found' }
      : {
          check: 'voice (offline)',
          state: 'warn',
          detail: 'pocketsphinx not found: offline transcription is off',
          fix: 'apt-get install pocketsphinx pocketsphinx-en-us',
        },
  );
  const opencode = await detectOpenCode();
  const wantsOpenCode = !(config instanceof Error) && config.preferences.engine.type === 'opencode';
  findings.push(
    opencode.available
      ? {
          check: 'opencode engine',
          state: 'ok',
          detail:
            `opencode ${opencode.version ?? ''}${opencode.warnings?.length ? ` (${opencode.warnings.join('; ')})` : ''}`.trim(),
        }
      : {
          check: 'opencode engine',
          state: wantsOpenCode ? 'fail' : 'warn',
          detail: `${opencode.reason ?? 'not installed'}${wantsOpenCode ? ' — and preferences.yaml selects engine: opencode' : ' (optional; the built-in engine works)'}`,
          fix: OPENCODE_INSTALL_HINT,
        },
  );
  return findings;
}

async function modelFindings(config: ReturnType<typeof loadConfig>): Promise<Finding[]> {
  const registry = createModelRegistry(configuredProviders(config), {
    listTimeoutMs: 4_000,
    discover: () => discoverOllama(config),
  });
  await registry.ready();
  if (!registry.providers.length) {
    return [
      {
        check: 'models',
        state: 'warn',
        detail: 'no provider configured: direct commands work, model commands do not',
        fix: 'set OPENAI_API_KEY (+ OPENAI_BASE_URL), OPENROUTER_API_KEY, ANTHROPIC_API_KEY or OLLAMA_HOST',
      },
    ];
  }
  await registry.refresh();
  return registry.status().map((s) =>
    s.state === 'ok'
      ? { check: `models: ${s.id}`, state: 'ok' as const, detail: `${s.models} models (from ${s.origin})` }
      : {
          check: `models: ${s.id}`,
          state: 'warn' as const,
          detail: `cannot list models: ${s.error}`,
          fix: `check ${s.origin} and that the provider is reachable`,
        },
  );
}

/** The security rules finding: invalid (fail), loosening and not trusted (warn: those entries are ignored), or fine. */
function rulesFinding(rules: ProjectRules | Error): Finding {
  if (rules instanceof Error)
    return {
      check: 'security rules',
      state: 'fail',
      detail: rules.message,
      fix: (rules as { hint?: string }).hint,
    };
  const { trust } = rules;
  if (trust.state === 'untrusted' && trust.loosening.length > 0)
    return {
      check: 'security rules',
      state: 'warn',
      detail: `${trust.message} Ignored: ${trust.loosening.map((l) => l.entry).join(', ')}.`,
      fix: 'ralex trust (shows what they loosen and asks)',
    };
  return { check: 'security rules', state: 'ok', detail: trust.message };
}

function attempt<T>(work: () => T): T | Error {
  try {
    return work();
  } catch (error) {
    return error as Error;
  }
}

function version(file: string, args: string[]): Promise<string | null> {
  return new Promise((resolve) => {
    execFile(file, args, { timeout: 5_000 }, (error, stdout, stderr) => {
      if (error && (error as NodeJS.ErrnoException).code === 'ENOENT') resolve(null);
      else resolve((stdout || stderr).split('\n')[0]!.trim() || file);
    });
  });
}
