/** The commented preferences.yaml that `ralex init` writes: every key, its default, and why. */
export const DEFAULT_PREFERENCES_YAML = `# Ralex preferences. Every key is optional; delete one to get its default.
# Docs: README.md ("Configuration"). Keys are checked at start-up: a typo stops Ralex with the
# file, the key and the fix.

models:
  # "provider:model". Providers come from the environment (OPENAI_API_KEY + OPENAI_BASE_URL,
  # OPENROUTER_API_KEY, ANTHROPIC_API_KEY, OLLAMA_HOST) or from "providers" below.
  # With routing off this is the model; with routing on it is one of the candidates.
  # default: openai:gpt-4o-mini
  fallbacks: []          # tried in order when the chosen model keeps failing (429, 5xx, timeouts)
  # Prices (US dollars per million tokens), window and capabilities over the built-in catalog,
  # or for models it does not know:
  overrides: {}
  #  "lmstudio:qwen2.5-coder-7b": { input: 0, output: 0, context_window: 32768, tools: true }
  #  "openai:gpt-4o-mini": { capability: { fix_bug: 0.7 } }   # 0–1 per task kind; learning corrects it
  # unknown_price: { input: 1, output: 4 }   # for models the catalog does not know (else: price unknown)

routing:
  mode: auto             # auto: score the candidates | off: always models.default
  candidates: []         # empty: models.default and fallbacks, or else every chat model listed
  weights: { capability: 0.4, cost: 0.2, performance: 0.3, context: 0.1, latency: 0 }
  exploration: 0.5       # how much to try models it knows little about (0: never)
  expected_output_tokens: 1024
  retries: 1             # tries per model on 429/5xx/timeouts, waiting as retry-after says
  max_retry_wait_ms: 10000
  cooldown_after: 3      # failures in a row before a model rests
  cooldown_ms: 60000

budgets:                 # US dollars; a limit left out is no limit (spend is counted all the same)
  # per_query: 0.50      # one command, or one chat request
  # per_session: 5
  # daily: 10
  # weekly: 40
  # monthly: 100
  timezone: local        # local | utc: when days, weeks (from Monday) and months start

# Extra OpenAI-compatible providers (LM Studio, vLLM, a team gateway). Keys stay in the
# environment: name the variable, never the key itself.
providers: []
#  - id: lmstudio
#    base_url: http://127.0.0.1:1234/v1
#    api_key_env: LMSTUDIO_API_KEY
#    models: [qwen2.5-coder-7b]

engine:
  type: builtin          # builtin | opencode
  max_steps: 24          # most model round-trips per command
  model_timeout_ms: 120000  # a model silent this long is abandoned (tools running and approvals waiting do not count)
  on_crash: restore      # restore | keep: a command cut off by a crash is rolled back, or its partial change kept

context:
  max_tokens: 12000      # token budget for the context sent with a request
  sync: off              # off | auto: memory on refs/ralex/memory, pushed/fetched with the remote in the background (ralex sync does it now)
  # sync_remote: origin  # default: origin, or the only remote
  learn: true            # learn preferences said in commands ("I prefer pytest", "remember that ...")

standards:
  enabled: true          # coding standards with model commands, chosen per command (ralex standards "<text>" shows which and why)
  builtin: true          # Ralex's defaults (testing, error handling, security, per language); yours replace them
  agent_os: true         # agent-os/standards (v3 index.yml, v2), ~/agent-os/profiles/<profile>, ~/.agent-os/standards (v1)
  claude: true           # .claude/rules/*.md (scoped by paths:) and CLAUDE.md @imports (inside the project only)
  profile: default       # Agent OS v2 profile when agent-os/config.yml names none
  max_share: 0.12        # most of the context budget standards take

docs:
  installed: true        # docs of the installed versions, offline (node_modules, Python site-packages, Go module cache)
  context7: off          # off | stdio | http: Context7 over MCP (sends library names and the request's search words to Context7)
  # context7_url: https://mcp.context7.com/mcp   # for http; CONTEXT7_API_KEY is sent when set
  timeout_ms: 3000       # the most a command waits for Context7
  cache_ttl_hours: 168   # cached docs stay fresh this long (a version change invalidates them at once)
  max_libraries: 3       # libraries looked up per command
  max_share: 0.2         # most of the context budget library docs take

checks:
  timeout_ms: 300000     # time limit for the project's tests
  # test_command: npm test   # empty: detected (package.json, pytest, go, cargo, make)
  max_attempts: 2        # tries the agent gets when checks fail after its change
  commit: auto           # auto | ask | off: commit a verified change (only its own hunks)
  network: off           # off | on: the tests run in the sandbox; on lets them reach the network

voice:
  engines: [pocketsphinx, openai]   # in order; pocketsphinx works offline with the project's vocabulary
  transcription:                    # any OpenAI-compatible /audio/transcriptions (OpenAI, Groq, whisper.cpp)
    # base_url: http://127.0.0.1:9000/v1   # default: OPENAI_BASE_URL, or OpenAI when OPENAI_API_KEY is set
    api_key_env: OPENAI_API_KEY
    model: whisper-1
  speech:                           # /v1/audio/speech; without base_url Ralex speaks offline with espeak-ng
    # base_url: https://api.openai.com/v1
    # api_key_env: OPENAI_API_KEY
    model: tts-1
  max_seconds: 60
  max_bytes: 26214400

approvals:
  timeout_ms: 120000     # an approval nobody answers is denied after this long

retention:               # ralex compact, and once a day while ralex serve runs
  events_days: 90        # the event log (replays); the dashboard's daily figures are kept
  audit_days: 365        # older audit entries go behind a sealed epoch (at least 30; shorter needs ralex trust)
  sessions_days: 180     # session logs in .ralex/sessions/ not written to since
  stats_hourly_days: 35  # hourly statistics; daily ones are kept
  ledger_days: 400       # finished model calls and old budget windows (at least 35); cost stays in the statistics

server:
  host: 127.0.0.1        # binding beyond loopback needs a token (RALEX_TOKEN or generated)
  port: 8000
  body_limit_bytes: 2097152          # request bodies of /api and the rest
  chat_body_limit_bytes: 50331648    # /v1/chat/completions (images arrive inline)
  auth_failures_per_minute: 10   # per client address; then it must wait
  commands_per_minute: 60        # commands (REST and ralex-agent) accepted per minute
  cors_origins: []               # browser origins allowed to call the API, e.g. ["https://chat.example.com"]
  log_level: info                # request log (stderr); also --log-level and RALEX_LOG_LEVEL
`;
