import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import express from 'express';
import request from 'supertest';
import { requestLog } from '../src/http/request-log.js';
import { createLogger } from '../src/logger.js';
import { bearer } from './helpers/api.js';
import { backends, cast, JWT_SECRET } from './helpers/harness.js';

interface Line {
  level: number;
  msg: string;
  req?: { id: string; method: string; url: string; route: string; remoteAddress: string };
  res?: { statusCode: number };
  responseTime?: number;
}

describe('request log', () => {
  const lines: Line[] = [];
  let arrived: () => void = () => {};
  const app = express();
  let server: Server;
  beforeAll(async () => {
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(JSON.parse(chunk.toString('utf8')) as Line);
        done();
      },
    });
    app.use(requestLog(createLogger('info', sink)));
    app.get('/ok', (req, res) => {
      res.json({ id: req.id });
    });
    app.get('/boom', (req, res) => {
      req.log.warn({ detail: 'about to fail' }, 'handler note');
      res.status(503).json({});
    });
    app.get('/hang', () => arrived());
    app.get('/items/:id', (_req, res) => {
      res.status(500).json({});
    });
    server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  const linesOf = (id: string) => lines.filter((l) => l.req?.id === id);
  const settle = () => new Promise((r) => setTimeout(r, 50));

  test('when a request completes, then one info line names id, method, URL, route, status and time, and no header', async () => {
    const res = await request(server).get('/ok?page=2').set('Authorization', 'Bearer secret-token-value');
    const id = res.headers['x-request-id'] as string;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.body).toEqual({ id });
    await settle();
    expect(linesOf(id)).toEqual([
      expect.objectContaining({
        level: 30,
        msg: 'request completed',
        req: { id, method: 'GET', url: '/ok?page=2', route: '/ok', remoteAddress: '127.0.0.1' },
        res: { statusCode: 200 },
        responseTime: expect.any(Number),
      }),
    ]);
    expect(JSON.stringify(lines)).not.toContain('secret-token-value');
  });

  test('when the query string carries credentials, then their values are redacted by parameter name and the rest is kept', async () => {
    const query = [
      'access_token=eyJ.hunter2.sig',
      'page=2',
      'Password=hunter2',
      'client%5Fsecret=s3cr3t',
      'api-key=k3y',
      'X-Amz-Signature=abcdef',
      'sig=azure-sas',
      'refreshToken=r3fr3sh',
      'sort=-title',
      'q=token+of+esteem',
    ].join('&');
    const res = await request(server).get(`/ok?${query}`);
    const id = res.headers['x-request-id'] as string;
    await settle();
    expect(linesOf(id).map((l) => l.req?.url)).toEqual([
      '/ok?access_token=[redacted]&page=2&Password=[redacted]&client%5Fsecret=[redacted]&api-key=[redacted]' +
        '&X-Amz-Signature=[redacted]&sig=[redacted]&refreshToken=[redacted]&sort=-title&q=token+of+esteem',
    ]);
    for (const secret of ['hunter2', 's3cr3t', 'k3y', 'abcdef', 'azure-sas', 'r3fr3sh'])
      expect(JSON.stringify(lines)).not.toContain(secret);
  });

  test('when a handler logs through req.log and answers 5xx, then its line carries the request id and the access line is an error', async () => {
    const res = await request(server).get('/boom').set('X-Request-Id', 'trace-5xx');
    expect(res.headers['x-request-id']).toBe('trace-5xx');
    await settle();
    const mine = linesOf('trace-5xx');
    expect(mine.map((l) => [l.level, l.msg])).toEqual([
      [40, 'handler note'],
      [50, 'request completed'],
    ]);
  });

  test('when requests fail, then each line carries the route template that labels the request in the metrics (unmatched when no route)', async () => {
    await request(server).get('/items/41').set('X-Request-Id', 'trace-route-41');
    await request(server).get('/items/42?x=1').set('X-Request-Id', 'trace-route-42');
    await request(server).get('/nowhere').set('X-Request-Id', 'trace-route-none');
    await settle();
    const routeOf = (id: string) => linesOf(id).map((l) => [l.level, l.req?.url, l.req?.route]);
    expect(routeOf('trace-route-41')).toEqual([[50, '/items/41', '/items/:id']]);
    expect(routeOf('trace-route-42')).toEqual([[50, '/items/42?x=1', '/items/:id']]);
    expect(routeOf('trace-route-none')).toEqual([[30, '/nowhere', 'unmatched']]);
  });

  test('when the client goes away before the response, then the line says the request was aborted', async () => {
    const { port } = server.address() as AddressInfo;
    const controller = new AbortController();
    const reached = new Promise<void>((r) => (arrived = r));
    const pending = fetch(`http://127.0.0.1:${port}/hang`, {
      headers: { 'X-Request-Id': 'trace-abort' },
      signal: controller.signal,
    }).catch((e: unknown) => e);
    await reached;
    controller.abort();
    await pending;
    for (let i = 0; i < 40 && linesOf('trace-abort').length === 0; i += 1) await settle();
    expect(linesOf('trace-abort')).toEqual([
      expect.objectContaining({
        level: 40,
        msg: 'request aborted',
        req: { id: 'trace-abort', method: 'GET', url: '/hang', route: '/hang', remoteAddress: '127.0.0.1' },
      }),
    ]);
  });
});

describe.each(await backends())('what the service logs on %s', (backend) => {
  const { h, attorney } = cast(backend, { attorney: 'attorney' });

  test('when requests carry passwords and tokens, then none of them reaches the logs', async () => {
    const u = await h.createUser('client');
    const refreshed = await h.http().post('/auth/refresh').send({ refreshToken: u.refreshToken });
    await h.http().get('/users/me').set(bearer(refreshed.body.accessToken));
    await h.http().post('/auth/login').send({ email: u.email, password: 'wrong-but-secret-password' });
    const all = h.logs.join('');
    expect(all).toContain('request completed');
    for (const secret of [
      u.password,
      u.token,
      u.refreshToken,
      refreshed.body.accessToken,
      refreshed.body.refreshToken,
      'wrong-but-secret-password',
      JWT_SECRET,
    ]) {
      expect(all).not.toContain(secret);
    }
    expect(all.toLowerCase()).not.toContain('bearer ');
  });

  test('when a request carries a token or password in its query, then the request log has the parameter without its value', async () => {
    const res = await h
      .http()
      .get(`/cases?access_token=${attorney.token}&limit=5&password=hunter2-hunter2`)
      .set(bearer(attorney.token));
    expect(res.status).toBe(400); // unknown query parameters are refused, and still logged
    const id = res.headers['x-request-id'] as string;
    const lines = h.logs
      .flatMap((chunk) => chunk.split('\n'))
      .filter((l) => l.includes(id))
      .map((l) => JSON.parse(l) as { req?: { url?: string } });
    expect(lines.map((l) => l.req?.url)).toContain(
      '/cases?access_token=[redacted]&limit=5&password=[redacted]',
    );
    const all = h.logs.join('');
    expect(all).not.toContain(attorney.token);
    expect(all).not.toContain('hunter2-hunter2');
  });

  test('when a database error is logged, then only name, message and stack are kept', async () => {
    const err = await h.db
      .all("SELECT * FROM no_such_table WHERE secret = '$argon2id$v=19$m=1024$leak'")
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    // The raw error carries more than name, message and stack (its SQLSTATE or SQLite result code at least).
    expect(Object.keys(err as object)).toContain('code');
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    });
    createLogger('info', sink).error({ err }, 'failed');
    const logged = JSON.parse(lines.join('')) as { err: Record<string, unknown> };
    expect(Object.keys(logged.err).sort()).toEqual(['message', 'name', 'stack', 'type']);
    expect(lines.join('')).not.toContain('$argon2');
  });
});
