import { readFileSync } from 'node:fs';

/** Ralex's version, from package.json. */
export const RALEX_VERSION: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
