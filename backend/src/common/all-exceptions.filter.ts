import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import type { Request, Response } from 'express';
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
    const response = host.switchToHttp().getResponse<Response>();
    const request = host.switchToHttp().getRequest<Request>();
    const { statusCode, message } = this.describe(exception);
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
      if (response.headersSent) return;
      if (typeof retryAfter === 'number') response.setHeader('Retry-After', String(retryAfter));
      response.status(statusCode).json(body);
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
          details: { method: request.method, path: request.path, message: body.message },
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
      // Errors raised by Express before Nest's pipeline (body parser, URL decoding) arrive wrapped,
      // with the parser's own message, which can quote the request body: say it in our words.
      const fromExpress = describeExpressError(exception.cause);
      if (fromExpress) return fromExpress;
      const res = exception.getResponse();
      const message =
        typeof res === 'string'
          ? res
          : ((res as { message?: string | string[] }).message ?? exception.message);
      return { statusCode: exception.getStatus(), message };
    }
    if (exception instanceof QueryFailedError) return this.describeDatabaseError(exception);
    return describeExpressError(exception) ?? { statusCode: 500, message: 'internal server error' };
  }

  private describeDatabaseError(error: QueryFailedError): { statusCode: number; message: string } {
    const code = (error.driverError as { code?: string } | undefined)?.code ?? '';
    // Class 22: data exceptions (a value the column type cannot hold, e.g. a forged cursor).
    if (code.startsWith('22'))
      return { statusCode: 400, message: 'a parameter has a value of the wrong form' };
    if (code === '23505') return { statusCode: 409, message: 'a record with the same unique value exists' };
    if (code === '40001' || code === '40P01') {
      return { statusCode: 409, message: 'the record was changed at the same time; try again' };
    }
    return { statusCode: 500, message: 'internal server error' };
  }
}

const EXPRESS_ERROR_MESSAGES: Record<string, string> = {
  'entity.parse.failed': 'request body is not valid JSON',
  'entity.too.large': 'request body is too large',
  'encoding.unsupported': 'request body encoding is not supported',
  'charset.unsupported': 'request body charset is not supported',
  'request.aborted': 'request was aborted',
};

function describeExpressError(error: unknown): { statusCode: number; message: string } | undefined {
  if (error instanceof URIError) return { statusCode: 400, message: 'the URL is not correctly encoded' };
  const { status, type } = (error ?? {}) as { status?: unknown; type?: unknown };
  if (typeof status !== 'number' || status < 400 || status >= 500) return undefined;
  const known = typeof type === 'string' ? EXPRESS_ERROR_MESSAGES[type] : undefined;
  return { statusCode: status, message: known ?? (STATUS_CODES[status] ?? 'bad request').toLowerCase() };
}
