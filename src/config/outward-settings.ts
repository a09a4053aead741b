import { type Preferences, PreferencesSchema } from './preferences-schema.js';

/** A setting of a project's preferences that sends data out or widens the sandbox, in words. */
export interface OutwardSetting {
  /** The key path, e.g. `providers[0].base_url` or `sandbox.home_readable`. */
  key: string;
  /** What it does, for the person asked to trust it. */
  words: string;
}

const DEFAULTS = PreferencesSchema.parse({});
const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|::1)$/;

/**
 * The settings of `.ralex/config/preferences.yaml` that a repository pulled from someone else
 * could use against its user: endpoints that would receive the user's code, audio and API keys,
 * the network for the checks, a wider sandbox (home folders, environment variables, secret files),
 * a server reachable from elsewhere, and an audit trail kept for less time than the default. Like loosening security rules, they apply only once the
 * user trusted that exact file (`ralex trust`); until then the defaults stand.
 */
export function outwardSettings(prefs: Preferences): OutwardSetting[] {
  const out: OutwardSetting[] = [];
  for (const [i, p] of prefs.providers.entries()) {
    const key = p.api_key_env ? `, with the key in $${p.api_key_env}` : '';
    out.push({ key: `providers[${i}]`, words: `sends your prompts and code to ${p.base_url}${key}` });
  }
  for (const kind of ['transcription', 'speech'] as const) {
    const url = prefs.voice[kind].base_url;
    if (url)
      out.push({
        key: `voice.${kind}.base_url`,
        words: `sends ${kind === 'transcription' ? 'your recordings' : 'text to speak'} to ${url}, with the key in $${prefs.voice[kind].api_key_env ?? 'OPENAI_API_KEY'}`,
      });
  }
  if (prefs.context.sync === 'auto')
    out.push({
      key: 'context.sync',
      words: `pushes your memory and session logs to the remote ${prefs.context.sync_remote ?? '(origin)'} in the background`,
    });
  if (prefs.docs.context7 !== 'off')
    out.push({
      key: 'docs.context7',
      words: `sends library names and your requests' search words to Context7 (${prefs.docs.context7 === 'http' ? prefs.docs.context7_url : 'context7.com, through its MCP server'})`,
    });
  if (prefs.checks.network === 'on')
    out.push({
      key: 'checks.network',
      words: 'gives the project’s tests (which the agent can edit) the network',
    });
  if (prefs.sandbox.home_readable.length)
    out.push({
      key: 'sandbox.home_readable',
      words: `lets commands read ${prefs.sandbox.home_readable.map((p) => `~/${p}`).join(', ')}`,
    });
  if (prefs.sandbox.readable.length)
    out.push({ key: 'sandbox.readable', words: `lets commands read ${prefs.sandbox.readable.join(', ')}` });
  if (prefs.sandbox.env.length)
    out.push({
      key: 'sandbox.env',
      words: `passes ${prefs.sandbox.env.map((n) => `$${n}`).join(', ')} to commands`,
    });
  if (prefs.sandbox.visible_secrets.length)
    out.push({
      key: 'sandbox.visible_secrets',
      words: `lets commands read the secret files ${prefs.sandbox.visible_secrets.join(', ')}`,
    });
  if (prefs.retention.audit_days < DEFAULTS.retention.audit_days)
    out.push({
      key: 'retention.audit_days',
      words: `drops audit entries after ${prefs.retention.audit_days} days instead of ${DEFAULTS.retention.audit_days}`,
    });
  if (!LOOPBACK.test(prefs.server.host))
    out.push({
      key: 'server.host',
      words: `serves Ralex on ${prefs.server.host}, reachable from other machines`,
    });
  if (prefs.server.cors_origins.length)
    out.push({
      key: 'server.cors_origins',
      words: `lets web pages from ${prefs.server.cors_origins.join(', ')} call Ralex's API`,
    });
  return out;
}

/** The preferences with every outward setting back at its default (what applies while untrusted). */
export function withoutOutwardSettings(prefs: Preferences): Preferences {
  return {
    ...prefs,
    providers: DEFAULTS.providers,
    voice: {
      ...prefs.voice,
      transcription: { ...prefs.voice.transcription, base_url: undefined },
      speech: { ...prefs.voice.speech, base_url: undefined },
    },
    checks: { ...prefs.checks, network: DEFAULTS.checks.network },
    docs: { ...prefs.docs, context7: DEFAULTS.docs.context7, context7_url: DEFAULTS.docs.context7_url },
    context: { ...prefs.context, sync: DEFAULTS.context.sync },
    sandbox: DEFAULTS.sandbox,
    server: { ...prefs.server, host: DEFAULTS.server.host, cors_origins: DEFAULTS.server.cors_origins },
    retention: {
      ...prefs.retention,
      audit_days: Math.max(prefs.retention.audit_days, DEFAULTS.retention.audit_days),
    },
  };
}
