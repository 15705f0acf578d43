import type { NextFunction, Request, Response } from 'express';
import type { IncomingMessage } from 'node:http';
import { randomUUID } from 'node:crypto';

/**
 * The request's id, as audit events and log lines name it: the caller's X-Request-Id when it is
 * short and plain (so a request can be followed from a proxy or another service), else a new one.
 */
export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && /^[\w-]{1,64}$/.test(given) ? given : randomUUID();
}

/** Gives every request its id first, whether or not request lines are logged (logger.config.ts). */
export function requestIdMiddleware(req: Request, _res: Response, next: NextFunction): void {
  req.id = requestIdOf(req);
  next();
}
