import type { FastifyServerOptions } from 'fastify';

/** Log levels, as pino names them. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
/** One log level. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Where and how much the server logs. */
export interface RequestLogOptions {
  level: LogLevel;
  /** Default: stderr, so stdout keeps `ralex serve`'s own lines (URL, token, QR code). */
  stream?: { write(line: string): unknown };
}

/** A URL with secrets in its query (`?token=`, the /ws auth) replaced. */
export function redactUrl(url: string): string {
  return url.replace(/([?&](?:token|access_token|api_key|key)=)[^&#]*/gi, '$1[redacted]');
}

/**
 * Fastify's pino logger for the server: one line per request received and per response sent,
 * with method, path, status and time, as JSON. Only these fields are logged: never a header
 * (so never the bearer token), never a body, and a token in a query string is redacted.
 */
export function requestLogger(options: RequestLogOptions): FastifyServerOptions['logger'] {
  return {
    level: options.level,
    stream: options.stream ?? process.stderr,
    serializers: {
      req: (request: {
        method?: string;
        url?: string;
        ip?: string;
        socket?: { remoteAddress?: string };
      }) => ({
        method: request.method,
        url: redactUrl(request.url ?? ''),
        remoteAddress: request.ip ?? request.socket?.remoteAddress,
      }),
      res: (reply: { statusCode?: number }) => ({ statusCode: reply.statusCode }),
    },
    redact: { paths: ['req.headers', 'headers', 'authorization', '*.authorization'], remove: true },
  };
}
