import type { FastifyInstance } from 'fastify';
import { createRuntime, type Runtime } from '../../src/runtime.js';
import { createServer, type ServerOptions } from '../../src/server/create-server.js';
import type { Clock } from '../../src/util/ids.js';
import { type ScriptedModelServer, startScriptedModelServer } from '../fixtures/scripted-model-server.js';
import type { ScriptEntry } from '../fixtures/scripted-turn.js';
import { createTempGitRepo, type TempGitRepo } from '../fixtures/temp-git-repo.js';
import { userTrust } from './user-trust.js';

/** A real Ralex server on a free port over a temp git repo, with a scripted upstream model. */
export interface RalexUnderTest {
  repo: TempGitRepo;
  model: ScriptedModelServer | null;
  rt: Runtime;
  app: FastifyInstance;
  /** e.g. http://127.0.0.1:PORT */
  url: string;
  token: string;
  /** fetch with the bearer token set. */
  call(path: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

/** Options: project files, the model script (null: no provider configured at all), extra env. */
export interface RalexUnderTestOptions {
  files?: Record<string, string>;
  script?: ScriptEntry[] | null;
  models?: string[];
  env?: Record<string, string>;
  /** Text of .ralex/config/preferences.yaml, written before Ralex starts. */
  preferences?: string;
  /** Serve the built web app from this directory (e.g. web/dist). */
  webDir?: string;
  /** Server options beyond the token (request logs, SSE heartbeat interval). */
  server?: Omit<ServerOptions, 'token' | 'webDir'>;
  /** The runtime's clock (events' times, the store's); the real one by default. */
  clock?: Clock;
}

/** A response body as JSON, untyped: tests assert its shape. */
// biome-ignore lint/suspicious/noExplicitAny: test code asserts the shape itself
export const json = (response: Response): Promise<any> => response.json() as Promise<any>;

/** Starts Ralex for a test. Always `await close()` in afterEach/afterAll. */
export async function startRalex(options: RalexUnderTestOptions = {}): Promise<RalexUnderTest> {
  const repo = await createTempGitRepo({ files: options.files ?? { 'README.md': '# demo\n' } });
  if (options.preferences !== undefined)
    await repo.write('.ralex/config/preferences.yaml', options.preferences);
  const model =
    options.script === null
      ? null
      : await startScriptedModelServer({
          models: options.models ?? ['scripted-model'],
          script: options.script ?? [],
        });
  const trust = userTrust(repo.dir, options.env);
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    ...(model ? { OPENAI_BASE_URL: model.url, OPENAI_API_KEY: 'sk-test' } : {}),
    ...trust.env,
    ...options.env,
  };
  const rt = await createRuntime({ projectDir: repo.dir, env, probeOllama: false, clock: options.clock });
  const token = 'test-token-0123456789abcdef';
  const app = await createServer(rt, { token, webDir: options.webDir, ...options.server });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return {
    repo,
    model,
    rt,
    app,
    url,
    token,
    call: (path, init = {}) =>
      fetch(`${url}${path}`, {
        ...init,
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          ...(init.headers ?? {}),
        },
      }),
    async close() {
      await app.close();
      await rt.close();
      await model?.close();
      await repo.cleanup();
      trust.cleanup();
    },
  };
}
