import { RalexError } from '../errors.js';

/** Where traces go: an OTLP/HTTP (JSON) endpoint, its headers, the service's name. */
export interface TraceConfig {
  url: string;
  headers: Record<string, string>;
  serviceName: string;
}

/**
 * Reads the standard OpenTelemetry variables: `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` (the full
 * URL), else `OTEL_EXPORTER_OTLP_ENDPOINT` + `/v1/traces`; `OTEL_EXPORTER_OTLP_HEADERS`
 * (`k=v,k2=v2`); `OTEL_SERVICE_NAME` (default `ralex`). Null — no traces — when neither endpoint
 * is set, when `OTEL_SDK_DISABLED=true`, or when `OTEL_TRACES_EXPORTER=none`.
 */
export function traceConfig(env: NodeJS.ProcessEnv): TraceConfig | null {
  if (env.OTEL_SDK_DISABLED?.toLowerCase() === 'true') return null;
  if (env.OTEL_TRACES_EXPORTER?.toLowerCase() === 'none') return null;
  const full = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim();
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  if (!full && !base) return null;
  const url = full || `${base!.replace(/\/+$/, '')}/v1/traces`;
  const name = full ? 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT' : 'OTEL_EXPORTER_OTLP_ENDPOINT';
  if (!/^https?:\/\/[^/]/.test(url))
    throw new RalexError('invalid_config', `${name} is not an http(s) URL: "${url}".`, {
      hint: `Set ${name} to the collector's OTLP/HTTP address, e.g. http://localhost:4318${full ? '/v1/traces' : ''}, or unset it to send no traces.`,
    });
  const protocol = env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? env.OTEL_EXPORTER_OTLP_PROTOCOL;
  if (protocol && protocol !== 'http/json')
    throw new RalexError('invalid_config', `Ralex sends traces as OTLP http/json, not "${protocol}".`, {
      hint: 'Set OTEL_EXPORTER_OTLP_PROTOCOL=http/json (collectors accept it on port 4318), or unset it.',
    });
  return {
    url,
    headers: parseHeaders(env.OTEL_EXPORTER_OTLP_TRACES_HEADERS ?? env.OTEL_EXPORTER_OTLP_HEADERS ?? ''),
    serviceName: env.OTEL_SERVICE_NAME?.trim() || 'ralex',
  };
}

/** `k=v,k2=v2` (values URL-encoded, as the specification says). */
function parseHeaders(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of text.split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    out[part.slice(0, eq).trim()] = decodeURIComponent(part.slice(eq + 1).trim());
  }
  return out;
}
