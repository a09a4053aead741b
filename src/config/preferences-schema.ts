import { z } from 'zod';
import { BudgetsSchema, ModelsSchema, RoutingSchema } from './models-schema.js';

/**
 * `.ralex/config/preferences.yaml`: providers, models, routing, engine, server, limits.
 * Every key is optional; an empty file means the defaults below. Unknown keys are errors,
 * so a typo ("defualt") is caught instead of silently ignored.
 */

/** An extra OpenAI-compatible provider (LM Studio, vLLM, a team gateway...). */
export const ProviderConfigSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'use lowercase letters, digits, "-" or "_"'),
    base_url: z.url(),
    /** Name of the environment variable that holds the key (keys never live in config files). */
    api_key_env: z.string().optional(),
    /** Models to offer when the provider cannot list its own. */
    models: z.array(z.string()).optional(),
  })
  .strict();

/** The whole preferences file. */
export const PreferencesSchema = z
  .object({
    models: ModelsSchema.default({ fallbacks: [], overrides: {} }),
    routing: RoutingSchema.default(RoutingSchema.parse({})),
    budgets: BudgetsSchema.default({ timezone: 'local' }),
    providers: z.array(ProviderConfigSchema).default([]),
    engine: z
      .object({
        type: z.enum(['builtin', 'opencode']).default('builtin'),
        /** Most model steps (tool round-trips) per command. */
        max_steps: z.number().int().min(1).max(200).default(24),
        /** A model request with no progress for this long is abandoned; time a tool runs or an approval waits does not count. */
        model_timeout_ms: z.number().int().min(1000).default(120_000),
        /** A command cut off by a crash: put the project back to its checkpoint (restore) or keep the partial change (keep). */
        on_crash: z.enum(['restore', 'keep']).default('restore'),
      })
      .strict()
      .default({ type: 'builtin', max_steps: 24, model_timeout_ms: 120_000, on_crash: 'restore' }),
    context: z
      .object({
        /** Token budget for the context package sent with a request. */
        max_tokens: z.number().int().min(500).default(12_000),
        /**
         * Memory and session logs on refs/ralex/memory, fetched and pushed with the project's
         * remote in the background (auto), or only by `ralex sync` (off, the default: the logs hold
         * your conversations, and a shared or public remote would publish them).
         */
        sync: z.enum(['auto', 'off']).default('off'),
        /** The remote to sync with; default `origin`, or the only remote. */
        sync_remote: z.string().min(1).optional(),
        /** Learn preferences from what is said in commands ("I prefer …", "remember that …"). */
        learn: z.boolean().default(true),
      })
      .strict()
      .default({ max_tokens: 12_000, sync: 'off', learn: true }),
    standards: z
      .object({
        /** Coding standards with model commands: chosen per command by language, frameworks, complexity, intent and your preferences. */
        enabled: z.boolean().default(true),
        /** Ralex's own defaults (testing, error handling, security, one per major language); a project's or your own standard on the same subject replaces them. */
        builtin: z.boolean().default(true),
        /** Agent OS standards: `agent-os/standards/` (v3 with index.yml, v2), `~/agent-os/profiles/<profile>/`, `~/.agent-os/standards/` (v1). */
        agent_os: z.boolean().default(true),
        /** Claude-style rules: `.claude/rules/*.md` (scoped by `paths`) and the files CLAUDE.md imports with `@path`. */
        claude: z.boolean().default(true),
        /** The Agent OS v2 profile to read when the project's `agent-os/config.yml` names none. */
        profile: z
          .string()
          .regex(/^[A-Za-z0-9][\w.-]{0,63}$/, 'a profile name: letters, digits, ".", "-" or "_"')
          .default('default'),
        /** Largest share of the context budget standards take (descriptions first, full texts while they fit). */
        max_share: z.number().min(0).max(0.5).default(0.12),
      })
      .strict()
      .default({
        enabled: true,
        builtin: true,
        agent_os: true,
        claude: true,
        profile: 'default',
        max_share: 0.12,
      }),
    docs: z
      .object({
        /** Docs of the installed versions, offline: node_modules READMEs and .d.ts, Python docstrings, the Go module cache. */
        installed: z.boolean().default(true),
        /**
         * Context7's MCP server: off (default), stdio (the `@upstash/context7-mcp` installed with
         * Ralex) or http (`context7_url`). It sends library names and the request's search words
         * (never file contents) to Context7; `CONTEXT7_API_KEY` is used when set.
         */
        context7: z.enum(['off', 'stdio', 'http']).default('off'),
        context7_url: z.url().default('https://mcp.context7.com/mcp'),
        /** The most a command waits for Context7, from the start of its docs lookup. */
        timeout_ms: z.number().int().min(100).max(30_000).default(3000),
        /** How long cached docs stay fresh (a version change invalidates them at once). */
        cache_ttl_hours: z.number().min(0).max(8760).default(168),
        /** Libraries looked up per command, those the command points at most first. */
        max_libraries: z.number().int().min(0).max(10).default(3),
        /** Largest share of the context budget library docs take. */
        max_share: z.number().min(0).max(0.5).default(0.2),
      })
      .strict()
      .default({
        installed: true,
        context7: 'off',
        context7_url: 'https://mcp.context7.com/mcp',
        timeout_ms: 3000,
        cache_ttl_hours: 168,
        max_libraries: 3,
        max_share: 0.2,
      }),
    checks: z
      .object({
        /** Time limit for the project's tests when run as a direct command or a check. */
        timeout_ms: z.number().int().min(1000).default(300_000),
        /** Explicit test command; empty means detect (package.json, pytest, go, cargo, make). */
        test_command: z.string().optional(),
        /** Tries the agent gets when the checks fail after its change (the failure is shown to it). */
        max_attempts: z.number().int().min(1).max(10).default(2),
        /** After a verified change: commit it (auto), ask first (ask), or leave it uncommitted (off). */
        commit: z.enum(['auto', 'ask', 'off']).default('auto'),
        /**
         * Network for the test command, which runs in the sandbox like the agent's commands:
         * off (default; loopback inside the sandbox still works) or on, for tests that need it.
         * `true`/`false` are read as on/off.
         */
        network: z
          .union([z.enum(['on', 'off']), z.boolean().transform((on) => (on ? 'on' : 'off'))])
          .default('off'),
      })
      .strict()
      .default({ timeout_ms: 300_000, max_attempts: 2, commit: 'auto', network: 'off' }),
    sandbox: z
      .object({
        /**
         * Home-relative folders the agent's commands and the checks may read (read-only) beyond the
         * built-in toolchain list (`.pyenv`, `.rustup`, `.cargo/bin`, `.nvm`, `go/pkg/mod`, …);
         * the rest of the home is hidden.
         */
        home_readable: z.array(z.string().min(1)).default([]),
        /** Environment variable names passed to them beyond the built-in allow-list (e.g. DATABASE_URL for tests). */
        env: z
          .array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name'))
          .default([]),
        /** The project's secret files (.env, keys) are hidden from commands; globs here stay readable (e.g. `.env.test`). */
        visible_secrets: z.array(z.string().min(1)).default([]),
        /** Absolute paths outside the project commands may read (read-only), e.g. a linked package's checkout. */
        readable: z.array(z.string().regex(/^\//, 'an absolute path')).default([]),
      })
      .strict()
      .default({ home_readable: [], env: [], visible_secrets: [], readable: [] }),
    voice: z
      .object({
        /** Transcription engines in order; one failing or missing falls back to the next. */
        engines: z
          .array(z.enum(['pocketsphinx', 'openai']))
          .min(1)
          .default(['pocketsphinx', 'openai']),
        /** Any OpenAI-compatible transcription endpoint (OpenAI, Groq, whisper.cpp, speaches). */
        transcription: z
          .object({
            /** Default: OPENAI_BASE_URL, or OpenAI's when OPENAI_API_KEY is set. */
            base_url: z.url().optional(),
            api_key_env: z.string().default('OPENAI_API_KEY'),
            model: z.string().default('whisper-1'),
          })
          .strict()
          .default({ api_key_env: 'OPENAI_API_KEY', model: 'whisper-1' }),
        /** Text to speech for /v1/audio/speech; without base_url Ralex speaks offline with espeak-ng. */
        speech: z
          .object({
            base_url: z.url().optional(),
            api_key_env: z.string().optional(),
            model: z.string().default('tts-1'),
          })
          .strict()
          .default({ model: 'tts-1' }),
        /** Longest upload accepted, in seconds, and largest, in bytes. */
        max_seconds: z.number().int().min(1).max(600).default(60),
        max_bytes: z
          .number()
          .int()
          .min(1024)
          .max(100 * 1024 * 1024)
          .default(25 * 1024 * 1024),
      })
      .strict()
      .default({
        engines: ['pocketsphinx', 'openai'],
        transcription: { api_key_env: 'OPENAI_API_KEY', model: 'whisper-1' },
        speech: { model: 'tts-1' },
        max_seconds: 60,
        max_bytes: 25 * 1024 * 1024,
      }),
    approvals: z
      .object({
        /** An approval nobody answers is denied after this long. Nothing waits forever. */
        timeout_ms: z.number().int().min(1000).max(3_600_000).default(120_000),
      })
      .strict()
      .default({ timeout_ms: 120_000 }),
    /**
     * How long Ralex keeps its own records; older ones are compacted by `ralex compact` and,
     * while `ralex serve` runs, once a day. The statistics by day (dashboard, /metrics) are kept.
     */
    retention: z
      .object({
        /** The event log (replays for the web app and /ws): events older than this many days go. */
        events_days: z.number().int().min(1).max(36_500).default(90),
        /** The audit trail: older entries go behind a sealed compaction epoch that records them. */
        audit_days: z.number().int().min(30).max(36_500).default(365),
        /** Session logs in .ralex/sessions/ not written to for this many days are removed. */
        sessions_days: z.number().int().min(1).max(36_500).default(180),
        /** Hourly statistics (the dashboard's short ranges); daily ones are kept. */
        stats_hourly_days: z.number().int().min(4).max(36_500).default(35),
        /** The model ledger: finished calls, and budget windows not charged since (a month's window outlives its month). */
        ledger_days: z.number().int().min(35).max(36_500).default(400),
      })
      .strict()
      .default({
        events_days: 90,
        audit_days: 365,
        sessions_days: 180,
        stats_hourly_days: 35,
        ledger_days: 400,
      }),
    server: z
      .object({
        host: z.string().default('127.0.0.1'),
        port: z.number().int().min(0).max(65535).default(8000),
        /** Largest accepted request body, in bytes, for every route but chat completions and audio uploads. */
        body_limit_bytes: z
          .number()
          .int()
          .min(1024)
          .default(2 * 1024 * 1024),
        /** Largest chat completion body, in bytes: images arrive inline as base64 (a phone photo is ~5–10 MiB). */
        chat_body_limit_bytes: z
          .number()
          .int()
          .min(1024)
          .default(48 * 1024 * 1024),
        /** Failed token checks allowed per client address per minute before it is made to wait. */
        auth_failures_per_minute: z.number().int().min(1).default(10),
        /** Commands (REST and ralex-agent chats) accepted per minute; plain chats and client tasks are not counted. */
        commands_per_minute: z.number().int().min(1).default(60),
        /** Browser origins allowed to call the API from another site (e.g. "https://chat.example.com"); none by default. */
        cors_origins: z
          .array(
            z
              .string()
              .regex(
                /^https?:\/\/[^/\s]+$/,
                'use an origin: scheme and host (and port), no path, e.g. "https://chat.example.com"',
              ),
          )
          .default([]),
        /** Request log level (also `--log-level`, `RALEX_LOG_LEVEL`). Never logs the token or bodies. */
        log_level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
      })
      .strict()
      .default({
        host: '127.0.0.1',
        port: 8000,
        body_limit_bytes: 2 * 1024 * 1024,
        chat_body_limit_bytes: 48 * 1024 * 1024,
        auth_failures_per_minute: 10,
        commands_per_minute: 60,
        cors_origins: [],
        log_level: 'info',
      }),
  })
  .strict();

/** Validated preferences with defaults filled in. */
export type Preferences = z.infer<typeof PreferencesSchema>;
/** One extra provider from preferences. */
export type ProviderConfig = z.infer<typeof ProviderConfigSchema>;
