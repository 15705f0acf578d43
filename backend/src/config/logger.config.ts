import type { Params } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { AppConfig } from './app.config';

/**
 * Request logs. Must stay true: no personal data or secret is logged. Query strings carry exact
 * email and phone lookups, so only the path and the names of the parameters are kept; cookies and
 * authorization headers are never serialized.
 */
export function loggerParams(config: AppConfig): Params {
  return {
    pinoHttp: {
      level: config.logLevel,
      genReqId: (req: IncomingMessage) => {
        const given = req.headers['x-request-id'];
        return typeof given === 'string' && /^[\w-]{1,64}$/.test(given) ? given : randomUUID();
      },
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
    },
  };
}
