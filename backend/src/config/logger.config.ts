import type { IncomingMessage } from 'node:http';
import type { Params } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import type { AppConfig } from './app.config';

/** The levels at which pino-http's request lines (written at info) are kept. */
const REQUEST_LINE_LEVELS = new Set(['info', 'debug', 'trace']);

/**
 * Logs. Must stay true: no personal data or secret is logged. Query strings carry exact email and
 * phone lookups, so only the path and the names of the parameters are kept; cookies and
 * authorization headers are never serialized.
 *
 * Request lines are written at info. Above it (LOG_LEVEL warn, error, fatal or silent) the request
 * middleware is not installed at all: it would still build two child loggers, a finish listener and
 * an async context for every request, lines never written: about a quarter of the API's CPU per
 * exact-email lookup (0.90-0.97 -> 0.66-0.75 ms, 934-1,031 -> 1,179-1,343 req/s, three
 * alternating runs of the build before and after, pnpm bench's load). Errors are still logged,
 * each with its request id (AllExceptionsFilter).
 *
 * `destination`: where lines go instead of standard output (the tests read them).
 */
export function loggerParams(config: AppConfig, destination?: DestinationStream): Params {
  const options = {
    level: config.logLevel,
    // The id Fastify gave the request before any middleware ran (assignRequestId), which audit
    // events name too.
    genReqId: (req: IncomingMessage) => req.id,
    serializers: {
      req: (req: { id: string; method: string; url: string }) => {
        const [path, query] = req.url.split('?', 2);
        return {
          id: req.id,
          method: req.method,
          path,
          params: query ? [...new URLSearchParams(query).keys()] : undefined,
        };
      },
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    redact: {
      paths: ['req.headers.cookie', 'req.headers.authorization', '*.password', '*.otp', '*.token'],
      censor: '[redacted]',
    },
    quietReqLogger: true,
  };
  return {
    pinoHttp: destination ? [options, destination] : options,
    ...(REQUEST_LINE_LEVELS.has(config.logLevel) ? {} : { forRoutes: [] }),
  };
}
