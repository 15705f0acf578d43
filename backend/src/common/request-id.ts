import type { IncomingMessage } from 'node:http';
import { randomUUID } from 'node:crypto';

/**
 * The request's id, as audit events and log lines name it: the caller's X-Request-Id when it is
 * short and plain (so a request can be followed from a proxy or another service), else a new one.
 */
function requestIdOf(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && /^[\w-]{1,64}$/.test(given) ? given : randomUUID();
}

/**
 * Fastify's id for each request (`genReqId`), also left on the raw request: the request logger
 * (pino-http, logger.config.ts) sees only that one, and must name the id the audit events name.
 */
export function assignRequestId(req: IncomingMessage): string {
  const id = requestIdOf(req);
  req.id = id;
  return id;
}
