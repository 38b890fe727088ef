/**
 * nock 15 intercepts fetch through @mswjs/interceptors, whose socket layer calls Promise.withResolvers
 * (Node 22+). On Node 20 that is missing and every intercepted request fails as "fetch failed"; this
 * test-only shim adds it before nock loads.
 */
type Resolvers<T> = { promise: Promise<T>; resolve: (v: T) => void; reject: (e: unknown) => void };
const P = Promise as unknown as { withResolvers?: <T>() => Resolvers<T> };
P.withResolvers ??= <T>() => {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((a, b) => {
    resolve = a;
    reject = b;
  });
  return { promise, resolve, reject };
};

export const { default: nock } = await import('nock');
