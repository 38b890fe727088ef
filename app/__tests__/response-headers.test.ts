import { describe, expect, test } from '@jest/globals';
import { expectProblem } from './helpers/api.js';
import { backends, cast } from './helpers/harness.js';

describe.each(await backends())('response headers on %s', (backend) => {
  const { h } = cast(backend, {});

  test('when any response is sent, then helmet headers and a request id are set; a sane incoming id is kept', async () => {
    const res = await h.http().get('/health').set('X-Request-Id', 'trace-abc_123');
    expect(res.headers['x-request-id']).toBe('trace-abc_123');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-powered-by']).toBeUndefined();
    const weird = await h.http().get('/health').set('X-Request-Id', 'bad id with spaces');
    expect(weird.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expectProblem(await h.http().get('/nowhere'), 404);
  });
});
