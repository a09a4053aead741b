import type { OpencodeClient } from '@opencode-ai/sdk/v2/client';
import { RalexError } from '../../errors.js';
import { OPENCODE_INSTALL_HINT } from './opencode-binary.js';

/** The generated OpenCode HTTP client (`@opencode-ai/sdk/v2`). */
export type OpenCodeClient = OpencodeClient;

/**
 * A client for one project on a running server. The SDK is an optional dependency, so it is
 * imported on first use; every request carries the server's credentials and the project directory
 * (OpenCode keeps one instance per directory, so one server serves every project).
 */
export async function connectOpenCode(
  server: { url: string; authorization: string },
  directory: string,
): Promise<OpenCodeClient> {
  let sdk: typeof import('@opencode-ai/sdk/v2/client');
  try {
    sdk = await import('@opencode-ai/sdk/v2/client');
  } catch (error) {
    throw new RalexError(
      'invalid_config',
      'The OpenCode engine is selected but @opencode-ai/sdk is not installed.',
      {
        cause: error,
        hint: `Run \`${OPENCODE_INSTALL_HINT}\`, or set engine: builtin in preferences.yaml.`,
      },
    );
  }
  return sdk.createOpencodeClient({
    baseUrl: server.url,
    directory,
    headers: { authorization: server.authorization },
  });
}

/** Unwraps an SDK result, turning an HTTP error into a RalexError that says which call failed. */
export function unwrap<T>(result: { data?: T; error?: unknown; response?: Response }, what: string): T {
  if (result.error !== undefined || result.data === undefined) {
    const status = result.response?.status;
    const detail = result.error === undefined ? 'no data' : JSON.stringify(result.error).slice(0, 500);
    throw new RalexError(
      'upstream_error',
      `OpenCode ${what} failed${status ? ` (HTTP ${status})` : ''}: ${detail}`,
    );
  }
  return result.data;
}
