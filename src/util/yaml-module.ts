import { createRequire } from 'node:module';

type Yaml = typeof import('yaml');
let yaml: Yaml | undefined;

/**
 * The `yaml` package, loaded on first use (its Node entry is CommonJS, so `require` gives the very
 * module an import would): a command in a project without YAML config never pays its ~25 ms.
 */
export function yamlModule(): Yaml {
  yaml ??= createRequire(import.meta.url)('yaml') as Yaml;
  return yaml;
}
