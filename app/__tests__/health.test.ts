import { describe, expect, test } from '@jest/globals';
import { backends, cast, startHarness } from './helpers/harness.js';

describe.each(await backends())('liveness and readiness on %s', (backend) => {
  const { h } = cast(backend, {});

  test('when asked for liveness and readiness, then both answer with status and version', async () => {
    const live = await h.http().get('/health');
    expect(live.status).toBe(200);
    expect(live.body).toMatchObject({ status: 'ok', version: '0.0.0-test', uptime: expect.any(Number) });
    const ready = await h.http().get('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({
      status: 'ready',
      database: backend,
      checks: { database: { status: 'up', ms: expect.any(Number) } },
    });
  });

  test('when the database is unreachable, then /health/ready answers 503 while /health stays 200', async () => {
    const other = await startHarness(backend);
    await other.db.close();
    const ready = await other.http().get('/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({
      status: 503,
      detail: 'Not ready: database (database-unavailable).',
      checks: { database: { status: 'down', problem: 'database-unavailable' } },
    });
    expect((await other.http().get('/health')).status).toBe(200);
    await other.close();
  });
});
