import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import { routeLabel } from '../components/metrics/metrics.js';
import type { Logger } from '../logger.js';

declare module 'node:http' {
  interface IncomingMessage {
    /** The caller's X-Request-Id when it is sane, otherwise a new UUID; echoed in the response. */
    id: string;
    /** The service's logger, bound to this request's id. */
    log: Logger;
  }
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

/**
 * Request ids and one access-log line per request with only what traces it (id, method, URL, route template,
 * client address, status, milliseconds), never headers or bodies: 'request completed' (error level for a
 * 5xx), or 'request aborted' when the client went away first. `route` and the status are the labels of
 * http_request_duration_seconds, so a spike on a dashboard leads to its lines and their request ids. The
 * per-request child logger behind `req.log` is made only when something logs through it.
 */
export function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const incoming = req.headers['x-request-id'];
    const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    req.id = id;
    res.setHeader('X-Request-Id', id);
    let child: Logger | undefined;
    Object.defineProperty(req, 'log', {
      get: () => (child ??= logger.child({ req: { id } })),
      configurable: true,
    });
    const start = performance.now();
    const remoteAddress = req.socket.remoteAddress; // gone from the socket once the client has left
    res.once('close', () => {
      const line = {
        req: { id, method: req.method, url: req.originalUrl, route: routeLabel(req), remoteAddress },
        res: { statusCode: res.statusCode },
        responseTime: Math.round(performance.now() - start),
      };
      if (!res.writableFinished) logger.warn(line, 'request aborted');
      else if (res.statusCode >= 500) logger.error(line, 'request completed');
      else logger.info(line, 'request completed');
    });
    next();
  };
}
