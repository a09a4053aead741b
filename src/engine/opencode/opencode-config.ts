/** The provider id Ralex's own `/v1` endpoint has inside OpenCode. */
export const RALEX_PROVIDER_ID = 'ralex';

/** What the generated OpenCode config points at: Ralex's OpenAI-compatible endpoint and its models. */
export interface OpenCodeProviderSettings {
  /** Ralex's `/v1` base URL, e.g. `http://127.0.0.1:8000/v1`. */
  baseUrl: string;
  /** Bearer token OpenCode sends to Ralex's `/v1`. */
  apiKey: string;
  /** Model ids Ralex serves that OpenCode may ask for (e.g. `ralex-auto`). */
  models: readonly string[];
}

/**
 * OpenCode's permission rules as Ralex sets them: every tool that touches the project or the
 * outside world asks, and each ask goes to Ralex's policy (which lets ordinary reads through at
 * once and turns risky actions into approvals). Only OpenCode's own to-do list is free; the
 * interactive `question` tool and skills are off because nobody sits at OpenCode's prompt.
 */
export const OPENCODE_PERMISSION = {
  read: 'ask',
  list: 'ask',
  glob: 'ask',
  grep: 'ask',
  edit: 'ask',
  bash: 'ask',
  task: 'ask',
  webfetch: 'ask',
  websearch: 'ask',
  external_directory: 'ask',
  doom_loop: 'ask',
  lsp: 'deny',
  skill: 'deny',
  question: 'deny',
  todowrite: 'allow',
} as const;

/**
 * The config handed to `opencode serve` (as `OPENCODE_CONFIG_CONTENT`, so nothing is written into
 * the user's project): one provider, Ralex's `/v1`, through OpenCode's bundled
 * `@ai-sdk/openai-compatible`; OpenCode's own snapshots, sharing, auto-update, LSP and formatters
 * off (Ralex owns checkpoints, and a formatter would make changes nobody asked for).
 */
export function buildOpenCodeConfig(provider: OpenCodeProviderSettings): Record<string, unknown> {
  const models = Object.fromEntries(provider.models.map((id) => [id, { name: id, tool_call: true }]));
  const first = provider.models[0] ?? 'ralex-auto';
  return {
    $schema: 'https://opencode.ai/config.json',
    provider: {
      [RALEX_PROVIDER_ID]: {
        npm: '@ai-sdk/openai-compatible',
        name: 'Ralex',
        options: { baseURL: provider.baseUrl, apiKey: provider.apiKey },
        models,
      },
    },
    enabled_providers: [RALEX_PROVIDER_ID],
    model: `${RALEX_PROVIDER_ID}/${first}`,
    small_model: `${RALEX_PROVIDER_ID}/${first}`,
    permission: OPENCODE_PERMISSION,
    tools: { question: false, skill: false },
    snapshot: false,
    share: 'disabled',
    autoupdate: false,
    lsp: false,
    formatter: false,
    mcp: {},
  };
}
