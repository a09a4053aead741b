import { describe, expect, it } from 'vitest';
import { buildChildEnv, isSecretEnvName } from './child-env.js';

describe('child environment', () => {
  it('recognises credential-like names and leaves ordinary ones', () => {
    for (const name of [
      'OPENAI_API_KEY',
      'RALEX_TOKEN',
      'GITHUB_TOKEN',
      'AWS_SECRET_ACCESS_KEY',
      'AWS_ACCESS_KEY_ID',
      'PGPASSWORD',
      'DB_PASSWORD',
      'SSH_AUTH_SOCK',
      'ANTHROPIC_API_KEY',
    ])
      expect(isSecretEnvName(name), name).toBe(true);
    for (const name of [
      'PATH',
      'HOME',
      'LANG',
      'TOKENIZERS_PARALLELISM',
      'NODE_OPTIONS',
      'XAUTHORITY',
      'OPENAI_BASE_URL',
    ])
      expect(isSecretEnvName(name), name).toBe(false);
  });

  it('drops inherited secrets, keeps explicit ones and adds the marker', () => {
    const env = buildChildEnv(
      { PATH: '/bin', OPENAI_API_KEY: 'sk' },
      { NPM_TOKEN: 'given' },
      { name: 'RALEX_RUN_ID', value: 'run_1' },
    );
    expect(env).toEqual({ PATH: '/bin', NPM_TOKEN: 'given', RALEX_RUN_ID: 'run_1' });
  });
});
