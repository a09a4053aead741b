import { RalexError } from '../errors.js';

/** The environment variables Ralex reads (architecture.md, "Config"). */
export interface RalexEnv {
  openaiApiKey?: string;
  /** Any OpenAI-compatible upstream; its `/models` are listed. */
  openaiBaseUrl?: string;
  openrouterApiKey?: string;
  openrouterBaseUrl: string;
  anthropicApiKey?: string;
  anthropicBaseUrl?: string;
  /** Where Ollama listens; probed at localhost:11434 when unset. */
  ollamaHost?: string;
  token?: string;
  host?: string;
  port?: number;
}

/** Reads and checks Ralex's environment variables; a bad value names the variable and the fix. */
export function readEnv(env: NodeJS.ProcessEnv = process.env): RalexEnv {
  const get = (name: string) => {
    const value = env[name]?.trim();
    return value ? value : undefined;
  };
  const portText = get('RALEX_PORT');
  let port: number | undefined;
  if (portText !== undefined) {
    port = Number(portText);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw new RalexError('invalid_config', `RALEX_PORT is "${portText}", which is not a port number.`, {
        hint: 'Set RALEX_PORT to a whole number from 0 to 65535 (0 picks a free port), or unset it for 8000.',
      });
    }
  }
  for (const name of ['OPENAI_BASE_URL', 'OPENROUTER_BASE_URL', 'ANTHROPIC_BASE_URL', 'OLLAMA_HOST']) {
    const value = get(name);
    if (value !== undefined && !URL.canParse(withScheme(value))) {
      throw new RalexError('invalid_config', `${name} is "${value}", which is not a URL.`, {
        hint: `Set ${name} to a URL such as http://127.0.0.1:11434, or unset it.`,
      });
    }
  }
  const ollama = get('OLLAMA_HOST');
  return {
    openaiApiKey: get('OPENAI_API_KEY'),
    openaiBaseUrl: get('OPENAI_BASE_URL'),
    openrouterApiKey: get('OPENROUTER_API_KEY'),
    openrouterBaseUrl: get('OPENROUTER_BASE_URL') ?? 'https://openrouter.ai/api/v1',
    anthropicApiKey: get('ANTHROPIC_API_KEY'),
    anthropicBaseUrl: get('ANTHROPIC_BASE_URL'),
    ollamaHost: ollama ? withScheme(ollama) : undefined,
    token: get('RALEX_TOKEN'),
    host: get('RALEX_HOST'),
    port,
  };
}

/** OLLAMA_HOST is often given as `host:port`; URLs need a scheme. */
function withScheme(value: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`;
}
