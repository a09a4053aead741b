/** An error answer from Ralex (`{error:{code,message,hint?}}`) or the network. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

/** Calls Ralex's HTTP API with the bearer token. */
export interface ApiClient {
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body?: unknown): Promise<T>;
  /** Sends a multipart form (audio uploads). */
  upload<T>(path: string, form: FormData, signal?: AbortSignal): Promise<T>;
}

/** Creates a client for the server the page came from; `onUnauthorized` runs on every 401. */
export function createApiClient(token: () => string, onUnauthorized: () => void): ApiClient {
  const call = async <T>(path: string, init: RequestInit): Promise<T> => {
    let response: Response;
    try {
      response = await fetch(path, {
        ...init,
        headers: { authorization: `Bearer ${token()}`, ...(init.headers ?? {}) },
      });
    } catch {
      throw new ApiError(0, 'unreachable', 'Ralex cannot be reached. Is `ralex serve` running?');
    }
    const body = (await response.json().catch(() => null)) as {
      error?: { code?: string; message?: string; hint?: string };
    } | null;
    if (response.ok) return body as T;
    if (response.status === 401) onUnauthorized();
    const e = body?.error;
    throw new ApiError(
      response.status,
      e?.code ?? `http_${response.status}`,
      e?.message ?? `HTTP ${response.status}`,
      e?.hint,
    );
  };
  return {
    get: (path) => call(path, { method: 'GET' }),
    post: (path, body) =>
      call(path, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body ?? {}),
      }),
    upload: (path, form, signal) => call(path, { method: 'POST', body: form, signal }),
  };
}
