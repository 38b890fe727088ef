/**
 * nock 15 intercepts fetch through @mswjs/interceptors, whose socket layer calls Promise.withResolvers
 * (Node 22+). The actions run on node24, but the tests run on Node 20 here, where every intercepted
 * request would fail as "fetch failed": this test-only shim adds it, then loads nock. Import nock from here.
 */
import { afterAll } from '@jest/globals';

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

// Node's http and fetch are shared by every test file a jest worker runs, while each file loads its own
// copy of nock: switch this copy off after the file, or it keeps intercepting the next file's requests.
afterAll(() => {
  nock.cleanAll();
  nock.restore();
});
