import picomatch from 'picomatch';

/** Globs (matched against the path relative to the project, or the home directory) of files holding secrets. */
export const SECRET_GLOBS = [
  '**/.env',
  '**/.env.*',
  '**/*.pem',
  '**/*.key',
  '**/*.p12',
  '**/*.pfx',
  '**/*.jks',
  '**/*.keystore',
  '**/*.ppk',
  '**/id_rsa*',
  '**/id_dsa*',
  '**/id_ecdsa*',
  '**/id_ed25519*',
  '**/.ssh/**',
  '**/.gnupg/**',
  '**/.npmrc',
  '**/.pypirc',
  '**/.netrc',
  '**/_netrc',
  '**/.git-credentials',
  '**/.aws/credentials',
  '**/.aws/config',
  '**/.docker/config.json',
  '**/.kube/config',
  '**/.config/gh/hosts.yml',
  '**/credentials.json',
  '**/secrets.{yml,yaml,json,toml}',
  '**/.htpasswd',
  '**/.ralex/state/**',
  // Remote URLs in a repository's config often carry tokens (https://user:token@host/...).
  '**/.git/config',
];

/** Files that look like secrets by name but are templates meant to be shared. */
const NOT_SECRET_GLOBS = [
  '**/.env.{example,sample,template,dist}',
  '**/.env.{example,sample,template,dist}.*',
  '**/*.pub',
];

// Case-insensitive: on macOS and Windows `.ENV` is `.env`; on Linux treating it as a secret costs nothing.
const isSecretGlob = picomatch(SECRET_GLOBS, { dot: true, nocase: true });
const isTemplate = picomatch(NOT_SECRET_GLOBS, { dot: true, nocase: true });

/** True when a path (absolute or relative, `/`-separated) names a secret: env files, private keys, credentials. */
export function isSecretPath(path: string): boolean {
  const p = path.startsWith('/') ? path.slice(1) : path;
  return isSecretGlob(p) && !isTemplate(p);
}
