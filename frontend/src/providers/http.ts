/**
 * The one place where the console talks HTTP to the Custodian API.
 *
 * Keep every request going through `apiFetch` so that session cookies are always sent and the
 * CSRF header (added in `buildHeaders` once sign-in exists) cannot be forgotten by a caller.
 */
import { fetchUtils, HttpError } from 'react-admin';
import type { ApiError } from '@custodian/shared';

export const API_URL = '/api';

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Builds the headers of every API request. State-changing requests will need
 * `X-CSRF-Token` (API.md, Authentication): add it here, keyed on `isUnsafe`.
 */
export function buildHeaders(method: string = 'GET', hasBody = false): Headers {
  const headers = new Headers({ Accept: 'application/json' });
  if (hasBody) headers.set('Content-Type', 'application/json');
  const isUnsafe = UNSAFE_METHODS.has(method.toUpperCase());
  if (isUnsafe) {
    // The CSRF token header goes here once the auth provider holds the token.
  }
  return headers;
}

function isApiError(body: unknown): body is ApiError {
  return typeof body === 'object' && body !== null && 'statusCode' in body && 'message' in body;
}

/** Turns the contract's `{ statusCode, error, message }` into one readable sentence. */
export function errorMessage(status: number, statusText: string, body: unknown): string {
  if (isApiError(body)) {
    const message = Array.isArray(body.message) ? body.message.join('; ') : body.message;
    if (message) return message;
    if (body.error) return body.error;
  }
  return statusText ? `${status} ${statusText}` : `Request failed with status ${status}`;
}

export interface ApiRequest {
  method?: string;
  query?: URLSearchParams;
  body?: unknown;
  signal?: AbortSignal;
}

/** Sends one request to `API_URL + path` and resolves with the parsed JSON body. */
export async function apiFetch<T>(path: string, request: ApiRequest = {}): Promise<T> {
  const method = request.method ?? 'GET';
  const query = request.query?.toString();
  const url = `${API_URL}${path}${query ? `?${query}` : ''}`;
  const hasBody = request.body !== undefined;
  try {
    const { json } = await fetchUtils.fetchJson(url, {
      method,
      headers: buildHeaders(method, hasBody),
      credentials: 'include',
      body: hasBody ? JSON.stringify(request.body) : undefined,
      signal: request.signal,
    });
    return json as T;
  } catch (error) {
    if (error instanceof HttpError) {
      throw new HttpError(errorMessage(error.status, error.message, error.body), error.status, error.body);
    }
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    // fetch rejects with a TypeError when the server cannot be reached at all.
    if (error instanceof TypeError) throw new Error('The Custodian API cannot be reached.', { cause: error });
    throw error;
  }
}
