/**
 * nock 15 intercepts fetch through @mswjs/interceptors, whose socket layer calls
 * Promise.withResolvers (Node 22+). The actions run on node24; this machine and CI run the tests on
 * Node 20, so give this test context the standard method when it is missing.
 */
const P = Promise as unknown as { withResolvers?: unknown };
if (typeof P.withResolvers !== 'function') {
  P.withResolvers = function withResolvers<T>() {
    let resolve!: (value: T | PromiseLike<T>) => void;
    let reject!: (reason?: unknown) => void;
    const promise = new Promise<T>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
}
export {};
