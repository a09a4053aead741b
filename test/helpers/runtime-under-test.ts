import type { CommandResult } from '../../src/command/command-result.js';
import { runCommand } from '../../src/pipeline/pipeline.js';
import { createRuntime, type Runtime } from '../../src/runtime.js';
import { type ScriptedModelServer, startScriptedModelServer } from '../fixtures/scripted-model-server.js';
import type { ScriptEntry } from '../fixtures/scripted-turn.js';
import { createTempGitRepo, type TempGitRepo } from '../fixtures/temp-git-repo.js';
import { userTrust } from './user-trust.js';

/** A Ralex runtime (no HTTP server) over a temp repo, driven by a scripted model. */
export interface RuntimeUnderTest {
  repo: TempGitRepo;
  model: ScriptedModelServer;
  rt: Runtime;
  run(
    text: string,
    options?: { yes?: boolean; sessionId?: string; signal?: AbortSignal },
  ): Promise<CommandResult>;
  close(): Promise<void>;
}

/** Opens a runtime over `files` (committed), with `preferences` yaml and a model `script`. */
export async function openRuntime(options: {
  files: Record<string, string>;
  script?: ScriptEntry[];
  preferences?: string;
  /** Extra environment for the runtime (e.g. XDG_STATE_HOME for where trust decisions are kept). */
  env?: Record<string, string>;
}): Promise<RuntimeUnderTest> {
  const repo = await createTempGitRepo({ files: options.files });
  await repo.write('.gitignore', `${options.files['.gitignore'] ?? ''}.ralex/state/\n`);
  await repo.commitAll('ignore ralex state');
  if (options.preferences) await repo.write('.ralex/config/preferences.yaml', options.preferences);
  const model = await startScriptedModelServer({ models: ['scripted-model'], script: options.script ?? [] });
  const trust = userTrust(repo.dir, options.env);
  const rt = await createRuntime({
    projectDir: repo.dir,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      OPENAI_BASE_URL: model.url,
      OPENAI_API_KEY: 'sk-test',
      ...trust.env,
      ...options.env,
    },
    probeOllama: false,
  });
  return {
    repo,
    model,
    rt,
    run: (text, o = {}) =>
      runCommand({ text, source: 'cli', autoApprove: o.yes, sessionId: o.sessionId, signal: o.signal }, rt),
    async close() {
      await rt.close();
      await model.close();
      await repo.cleanup();
      trust.cleanup();
    },
  };
}
