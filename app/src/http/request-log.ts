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
 * Query parameters whose names say they carry a credential (`access_token`, `password`, `client_secret`,
 * `api_key`, `X-Amz-Signature`, `sig`, ...), compared without case, `-`, `_` and `.`: their values never reach
 * the log, as the Authorization header never does. A false positive only hides a value.
 */
const SECRET_PARAM =
  /token|passw|pwd|secret|key|signature|credential|session|cookie|jwt|auth|^sig$|^code$|^otp$/;

/** The URL as logged: each secret-looking query parameter's value replaced by `[redacted]`, the rest as sent. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q === -1) return url;
  const params = url
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const rawName = eq === -1 ? pair : pair.slice(0, eq);
      let name: string;
      try {
        name = decodeURIComponent(rawName.replace(/\+/g, ' '));
      } catch {
        name = rawName;
      }
      return SECRET_PARAM.test(name.toLowerCase().replace(/[-_\s.]/g, '')) && eq !== -1
        ? `${rawName}=[redacted]`
        : pair;
    });
  return `${url.slice(0, q)}?${params.join('&')}`;
}

/**
 * Request ids and one access-log line per request with only what traces it (id, method, URL without the
 * values of secret-looking query parameters, route template,
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
        req: {
          id,
          method: req.method,
          url: redactUrl(req.originalUrl),
          route: routeLabel(req),
          remoteAddress,
        },
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
