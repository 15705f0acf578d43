/**
 * The one place where the console talks HTTP to the Custodian API.
 *
 * Keep every request going through `apiFetch` so that session cookies are always sent and the
 * CSRF header cannot be forgotten by a caller. What must stay true here:
 * - the CSRF token lives in memory only (never localStorage, never a cookie readable by scripts),
 *   set by the auth provider from the sign-in answer or `GET /api/auth/me`, cleared on sign-out;
 * - every POST, PUT, PATCH and DELETE carries it as `X-CSRF-Token` (API.md, Authentication).
 */
import { HttpError } from 'react-admin';
import type { ApiError } from '@custodian/shared';

export const API_URL = '/api';

export const CSRF_HEADER = 'X-CSRF-Token';

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

let csrfToken: string | null = null;

/**
 * Where the console's tabs share when one of them last had an answer: a time, nothing personal.
 * One tab in use keeps the session alive for all of them, so none may warn of, or end, an idle
 * session on its own reckoning.
 */
const ACTIVITY_KEY = 'custodian.lastAnswerAt';

let lastAnswerAt: number | null = null;

/**
 * When this console, in any tab, last had an answer from the API other than a 401 (ms since
 * epoch): the session's last activity, as every such answer renewed its idle timeout on the
 * server (rolling sessions), whatever its status.
 */
export function lastApiAnswerAt(): number | null {
  let shared = NaN;
  try {
    shared = Number(globalThis.localStorage?.getItem(ACTIVITY_KEY));
  } catch {
    // Storage refused (a privacy mode): this tab's own reckoning stands.
  }
  if (!Number.isFinite(shared) || shared <= 0) return lastAnswerAt;
  return lastAnswerAt === null ? shared : Math.max(lastAnswerAt, shared);
}

function noteAnswer(at: number): void {
  lastAnswerAt = at;
  try {
    globalThis.localStorage?.setItem(ACTIVITY_KEY, String(at));
  } catch {
    // As above.
  }
}

/** Remembers the session's CSRF token (or forgets it, with `null`). */
export function setCsrfToken(token: string | null | undefined): void {
  csrfToken = token || null;
}

export function getCsrfToken(): string | null {
  return csrfToken;
}

/** Builds the headers of every API request; state-changing ones carry the CSRF token. */
export function buildHeaders(method: string = 'GET', hasBody = false): Headers {
  const headers = new Headers({ Accept: 'application/json' });
  if (hasBody) headers.set('Content-Type', 'application/json');
  const isUnsafe = UNSAFE_METHODS.has(method.toUpperCase());
  if (isUnsafe && csrfToken) headers.set(CSRF_HEADER, csrfToken);
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

/** The HTTP status a failed request was answered with; undefined when no answer came. */
export function statusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null || !('status' in error)) return undefined;
  const status = (error as { status: unknown }).status;
  return typeof status === 'number' ? status : undefined;
}

/**
 * Seconds to wait before trying again, from a 429's `Retry-After`, when the error carries one.
 * (react-admin's HttpError resets its prototype, so the value rides on the instance instead of a
 * subclass.)
 */
export function retryAfterSeconds(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null || !('retryAfterSeconds' in error)) return undefined;
  const value = (error as { retryAfterSeconds: unknown }).retryAfterSeconds;
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function parseRetryAfter(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds));
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

export interface ApiRequest {
  method?: string;
  query?: URLSearchParams;
  body?: unknown;
  signal?: AbortSignal;
}

/**
 * Sends one request to `API_URL + path` and resolves with the parsed JSON body (`undefined` for
 * an empty answer such as a 204). Failures reject with react-admin's HttpError carrying the
 * API's sentence, so that `authProvider.checkError` and notifications see the real reason.
 */
export async function apiFetch<T>(path: string, request: ApiRequest = {}): Promise<T> {
  const method = (request.method ?? 'GET').toUpperCase();
  const query = request.query?.toString();
  const url = `${API_URL}${path}${query ? `?${query}` : ''}`;
  const hasBody = request.body !== undefined;
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: buildHeaders(method, hasBody),
      credentials: 'include',
      body: hasBody ? JSON.stringify(request.body) : undefined,
      signal: request.signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    // fetch rejects with a TypeError when the server cannot be reached at all.
    if (error instanceof TypeError) throw new Error('The Custodian API cannot be reached.', { cause: error });
    throw error;
  }
  if (response.status !== 401) noteAnswer(Date.now());
  const text = await response.text();
  let json: unknown = undefined;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch {
      json = text;
    }
  }
  if (!response.ok) {
    const error = new HttpError(
      errorMessage(response.status, response.statusText, json),
      response.status,
      json ?? null,
    );
    const wait = parseRetryAfter(response.headers.get('Retry-After'));
    if (wait !== undefined) Object.assign(error, { retryAfterSeconds: wait });
    throw error;
  }
  return json as T;
}
