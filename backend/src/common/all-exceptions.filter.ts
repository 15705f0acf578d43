import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  Logger,
  NotFoundException,
} from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuditService, requestFacts } from '../audit/audit.service';
import { QueryFailedError } from 'typeorm';
import { AuditAction, type ApiError } from '@custodian/shared';

/**
 * The one place errors become responses, in the contract's shape `{ statusCode, error, message }`.
 * Must stay true: no stack trace, SQL fragment or driver message ever reaches the client (a
 * PostgreSQL message can quote the offending value, which may be personal data), and nothing but
 * a genuine server fault is a 500.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  constructor(private readonly audit?: AuditService) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<FastifyReply>();
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const { statusCode, message } = isRouterMiss(exception, request)
      ? { statusCode: 404, message: `no route answers ${request.method} at this path` }
      : this.describe(exception);
    const body: ApiError = { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message };
    if (statusCode >= 500) {
      // The name, code and stack locate the fault; the message line is left out because it may
      // quote a request value.
      const err = exception instanceof Error ? exception : new Error(String(exception));
      const code = (exception as { code?: unknown }).code;
      this.logger.error({
        reqId: request.id,
        err: { name: err.name, code, stack: err.stack?.split('\n').slice(1).join('\n') },
      });
    }
    const retryAfter = (exception as { retryAfterSeconds?: unknown }).retryAfterSeconds;
    const send = () => {
      if (response.sent) return;
      if (typeof retryAfter === 'number') response.header('Retry-After', String(retryAfter));
      response.status(statusCode).send(body);
    };
    // Every refusal on a protected route is an audit event, recorded before the answer goes out.
    if (
      (statusCode === 401 || statusCode === 403) &&
      request?.protectedRoute &&
      !request.auditRecorded &&
      this.audit
    ) {
      this.audit
        .record({
          ...requestFacts(request, request.principal),
          action: statusCode === 401 ? AuditAction.AuthUnauthenticated : AuditAction.AccessDenied,
          outcome: 'denied',
          target: (exception as Partial<RefusalOn>).auditTarget ?? null,
          details: { method: request.method, path: request.url.split('?', 1)[0], message: body.message },
        })
        .catch((error: unknown) =>
          this.logger.error(
            { reqId: request.id, err: { name: (error as Error)?.name } },
            'audit write failed',
          ),
        )
        .finally(send);
      return;
    }
    send();
  }

  private describe(exception: unknown): { statusCode: number; message: string | string[] } {
    if (exception instanceof HttpException) {
      // Errors raised by Fastify before Nest's pipeline (body parser, URL decoding) arrive wrapped,
      // with Fastify's own message, which can quote the request body or URL: say it in our words.
      const fromFastify = describeFastifyError(exception.cause);
      if (fromFastify) return fromFastify;
      const res = exception.getResponse();
      const message =
        typeof res === 'string'
          ? res
          : ((res as { message?: string | string[] }).message ?? exception.message);
      return { statusCode: exception.getStatus(), message };
    }
    if (exception instanceof QueryFailedError) {
      return describeDatabaseError(exception) ?? { statusCode: 500, message: 'internal server error' };
    }
    return describeFastifyError(exception) ?? { statusCode: 500, message: 'internal server error' };
  }
}

/**
 * The router's 404 for a path no route serves. Its message ("Cannot GET /api/…?email=…") quotes
 * the whole URL, which can hold personal data: in a path segment or in the query string.
 */
function isRouterMiss(exception: unknown, request: FastifyRequest | undefined): boolean {
  return (
    exception instanceof NotFoundException &&
    request !== undefined &&
    exception.message.startsWith(`Cannot ${request.method} `)
  );
}

/** A refusal that concerns one record: its access.denied event names that record as its target. */
export interface RefusalOn {
  auditTarget: { type: string; id: string };
}

/** Marks a refusal (401/403) as concerning `target`, so that the filter's event names it. */
export function refusalOn<E extends HttpException>(exception: E, target: RefusalOn['auditTarget']): E {
  return Object.assign(exception, { auditTarget: target });
}

/**
 * What a clash on a unique index means, by the index's name, in words that quote no value (the
 * driver's own message quotes the clashing value, which may be personal data).
 */
export const UNIQUE_INDEX_MESSAGES = {
  account_email_key: 'another account already uses this email address',
  // Taken between the check for the email and the insert, by a create sent at the same time.
  staff_email_key: 'a staff member with this email exists',
} as const satisfies Record<string, string>;

/**
 * A database error that is not a fault of the server but of the request or of a race, in our
 * words: its status (4xx) and message; undefined for anything else (a 500). Approvals and bulk
 * runs use it too, to say why a change could not be applied.
 */
export function describeDatabaseError(error: unknown): { statusCode: number; message: string } | undefined {
  if (!(error instanceof QueryFailedError)) return undefined;
  const { code = '', constraint } = (error.driverError ?? {}) as { code?: string; constraint?: string };
  // Class 22: data exceptions (a value the column type cannot hold, e.g. a forged cursor).
  if (code.startsWith('22')) return { statusCode: 400, message: 'a parameter has a value of the wrong form' };
  if (code === '23505') {
    const known =
      constraint === undefined ? undefined : (UNIQUE_INDEX_MESSAGES as Record<string, string>)[constraint];
    return { statusCode: 409, message: known ?? 'a record with the same unique value exists' };
  }
  if (code === '40001' || code === '40P01') {
    return { statusCode: 409, message: 'the record was changed at the same time; try again' };
  }
  return undefined;
}

const FASTIFY_ERROR_MESSAGES: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'request body is not valid JSON',
  FST_ERR_CTP_BODY_TOO_LARGE: 'request body is too large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'request body must be JSON (Content-Type: application/json)',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'request body does not match its Content-Length',
  FST_ERR_CTP_INVALID_TYPE: 'the Content-Type header is not valid',
  FST_ERR_BAD_URL: 'the URL is not correctly encoded',
  FST_ERR_ASYNC_CONSTRAINT: 'the request does not match a route',
};

/** A client error Fastify raised itself, in our words; undefined for anything else. */
export function describeFastifyError(error: unknown): { statusCode: number; message: string } | undefined {
  if (error instanceof URIError) return { statusCode: 400, message: 'the URL is not correctly encoded' };
  const { statusCode, code } = (error ?? {}) as { statusCode?: unknown; code?: unknown };
  if (typeof statusCode !== 'number' || statusCode < 400 || statusCode >= 500) return undefined;
  // The JSON parser's syntax errors carry no code of their own.
  const known =
    typeof code === 'string'
      ? FASTIFY_ERROR_MESSAGES[code]
      : error instanceof SyntaxError
        ? FASTIFY_ERROR_MESSAGES.FST_ERR_CTP_INVALID_JSON_BODY
        : undefined;
  return { statusCode, message: known ?? (STATUS_CODES[statusCode] ?? 'bad request').toLowerCase() };
}
