import type { IncomingMessage } from 'node:http';

/** Most bytes of a refused request's body read (and thrown away) so that its client gets the answer. */
export const DISCARD_LIMIT = 1024 * 1024;
/** Longest wait for the rest of such a body. */
export const DISCARD_TIMEOUT_MS = 5000;

/**
 * Reads and throws away what is left of the body of a request answered without it (a refused upload: 401,
 * 403, hidden 404, 409, 415). A client still sending when the server closes gets a reset connection instead
 * of the answer (Node's fetch: EPIPE and no response). Resolves true when the body has ended within
 * `limit` bytes and `timeoutMs`; false when more was coming (or a declared Content-Length is above the
 * limit: nothing is read), and the connection must then be closed after the answer.
 */
export function discardBody(
  req: IncomingMessage,
  limit = DISCARD_LIMIT,
  timeoutMs = DISCARD_TIMEOUT_MS,
): Promise<boolean> {
  if (req.complete) return Promise.resolve(true);
  if (req.destroyed || Number(req.headers['content-length']) > limit) return Promise.resolve(false);
  return new Promise((resolve) => {
    let read = 0;
    const finish = (ended: boolean) => {
      clearTimeout(timer);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('close', onClose);
      if (!ended) req.pause();
      resolve(ended);
    };
    const onData = (chunk: Buffer) => {
      read += chunk.length;
      if (read > limit) finish(false);
    };
    const onEnd = () => finish(true);
    const onClose = () => finish(req.complete);
    const timer = setTimeout(() => finish(false), timeoutMs);
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('close', onClose);
    req.resume();
  });
}
