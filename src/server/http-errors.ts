import type { ErrorCode, RalexError } from '../errors.js';

/** The one place Ralex error codes become HTTP statuses. */
export const HTTP_STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  invalid_config: 500,
  not_a_git_repository: 500,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  model_not_found: 404,
  no_model_configured: 503,
  payload_too_large: 413,
  rate_limited: 429,
  budget_exceeded: 402,
  upstream_error: 502,
  upstream_timeout: 504,
  policy_denied: 403,
  approval_timeout: 408,
  cancelled: 499,
  timeout: 504,
  conflict: 409,
  busy: 409,
  internal_error: 500,
};

/** OpenAI's error `type` for each status family, as OpenAI clients expect on `/v1`. */
function openAiType(status: number): string {
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 404) return 'not_found_error';
  if (status === 429) return 'rate_limit_error';
  if (status < 500) return 'invalid_request_error';
  return 'server_error';
}

/** The OpenAI error shape `{error:{message,type,code}}` used on `/v1` and `/v4`. */
export function openAiErrorBody(error: RalexError): {
  error: { message: string; type: string; code: string; param: null };
} {
  const message = error.hint ? `${error.message} ${error.hint}` : error.message;
  return { error: { message, type: openAiType(HTTP_STATUS[error.code]), code: error.code, param: null } };
}

/** Ralex's own error shape, used on `/api` and elsewhere. */
export function apiErrorBody(error: RalexError): { error: ReturnType<RalexError['toJSON']> } {
  return { error: error.toJSON() };
}

/** True for the OpenAI-compatible routes, whose errors take the OpenAI shape. */
export function isOpenAiPath(url: string): boolean {
  return /^\/v[14](\/|$|\?)/.test(url);
}
