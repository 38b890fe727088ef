import { Router } from 'express';
import { AppError } from '../errors.js';
import type { Operations } from './openapi.js';

/**
 * 405 with `Allow` for a method no route serves on a path that some route serves (TRACE, PUT, DELETE on a
 * read-only path ...), instead of the 404 of an unknown path. Mounted after every route: a path is matched as
 * Express matches it, and the first declared path that matches answers (`/users/me` before `/users/:id`).
 */
export function methodNotAllowed(operations: Operations): Router {
  const router = Router();
  const byPath = new Map<string, string[]>();
  for (const op of operations.all())
    byPath.set(op.path, [...(byPath.get(op.path) ?? []), op.method.toUpperCase()]);
  for (const [path, methods] of byPath) {
    // Express answers HEAD wherever it answers GET.
    const allowed = (methods.includes('GET') ? [...methods, 'HEAD'] : methods).sort();
    const allow = allowed.join(', ');
    router.all(path, (req, _res, next) => {
      if (allowed.includes(req.method)) {
        next();
        return;
      }
      next(
        new AppError(
          405,
          'Method Not Allowed',
          `${req.method} is not served on ${path}; it answers ${allow}.`,
          undefined,
          { Allow: allow },
        ),
      );
    });
  }
  return router;
}
