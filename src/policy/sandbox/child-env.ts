/** Names of variables that hold credentials: never handed to a command unless passed explicitly. */
const SECRET_NAME =
  /(^|_)(API_?KEY|KEY_?ID|TOKEN|SECRET|SECRETS|PASSWORD|PASSWD|PASS|CREDENTIALS?|PRIVATE_?KEY|ACCESS_?KEY|AUTH)(_|$)/i;

/** Words that mark a secret wherever they appear in the name (`PGPASSWORD`, `CLIENTSECRET`). */
const SECRET_WORD = /PASSWORD|PASSWD|SECRET/i;

/** Whether an environment variable name looks like it holds a secret (`OPENAI_API_KEY`, `RALEX_TOKEN`, …). */
export function isSecretEnvName(name: string): boolean {
  return SECRET_NAME.test(name) || SECRET_WORD.test(name);
}

/**
 * The environment a command gets: Ralex's own minus anything that looks like a credential
 * (the model must not be able to `echo $OPENAI_API_KEY`), plus `extra` (kept as given,
 * secrets included: the caller chose them), plus the run marker.
 */
export function buildChildEnv(
  base: NodeJS.ProcessEnv,
  extra: Record<string, string> | undefined,
  marker: { name: string; value: string },
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(base)) {
    if (value !== undefined && !isSecretEnvName(name)) env[name] = value;
  }
  Object.assign(env, extra);
  env[marker.name] = marker.value;
  return env;
}
