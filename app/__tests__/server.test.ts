import { afterAll, describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { testEnv } from './helpers/harness.js';
import { appDir, node, startServer, withTsx } from './helpers/server-process.js';

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups) await c();
});

describe('server process', () => {
  test('when SIGTERM arrives during a request, then that request completes, new connections are refused and the process exits 0', async () => {
    const { env, cleanup } = testEnv('sqlite', { LOG_LEVEL: 'info' });
    cleanups.push(cleanup);
    const server = await startServer(env);
    // A request whose body is still arriving is in flight on the server: it has its headers, not its body.
    const body = JSON.stringify({ email: 'nobody@test.legal', password: 'x'.repeat(20) });
    const socket = net.connect(server.port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    let response = '';
    socket.on('data', (d: Buffer) => (response += d.toString()));
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    socket.write(
      `POST /auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 10)}`,
    );
    await new Promise((r) => setTimeout(r, 300));
    server.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    // the listener is closed: a new connection is refused
    const refused = await new Promise<boolean>((resolve) => {
      const probe = net.connect(server.port, '127.0.0.1');
      probe.once('connect', () => (probe.destroy(), resolve(false)));
      probe.once('error', () => resolve(true));
    });
    expect(refused).toBe(true);
    socket.write(body.slice(10));
    await closed;
    expect(response).toMatch(/^HTTP\/1\.1 401 /);
    expect(response).toContain('application/problem+json');
    expect(await server.exit).toBe(0);
    expect(server.stdout()).toContain('"msg":"stopped"');
  }, 60_000);

  test('when the database is empty outside production, then demo users are created and their credentials printed at every start while they still sign in', async () => {
    const { env, cleanup } = testEnv('sqlite', { DEMO_DATA: 'true', NODE_ENV: 'development' });
    cleanups.push(cleanup);
    const first = await startServer(env);
    const printed = [...first.stdout().matchAll(/^ {2}(\w+) +(\S+@demo\.legal) +(\S+)$/gm)].map((m) => ({
      role: m[1],
      email: m[2],
      password: m[3],
    }));
    expect(printed.map((p) => p.role)).toEqual(['admin', 'attorney', 'paralegal', 'client', 'auditor']);
    const login = await fetch(`http://127.0.0.1:${first.port}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: printed[1]!.email, password: printed[1]!.password }),
    });
    expect(login.status).toBe(200);
    const { accessToken } = (await login.json()) as { accessToken: string };
    const cases = (await (
      await fetch(`http://127.0.0.1:${first.port}/cases`, {
        headers: { authorization: `Bearer ${accessToken}` },
      })
    ).json()) as { data: unknown[] };
    expect(cases.data).toHaveLength(3);
    // the JSON log never holds the demo passwords
    const logLines = first
      .stdout()
      .split('\n')
      .filter((l) => l.startsWith('{'));
    for (const p of printed) expect(logLines.join('\n')).not.toContain(p.password);
    // an admin deactivates the auditor: that account no longer signs in, so it is no longer shown
    const adminLogin = await fetch(`http://127.0.0.1:${first.port}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: printed[0]!.email, password: printed[0]!.password }),
    });
    const adminToken = ((await adminLogin.json()) as { accessToken: string }).accessToken;
    const users = (await (
      await fetch(`http://127.0.0.1:${first.port}/users?limit=10`, {
        headers: { authorization: `Bearer ${adminToken}` },
      })
    ).json()) as { data: { id: number; email: string }[] };
    const auditor = users.data.find((u) => u.email === 'auditor@demo.legal')!;
    const deactivate = await fetch(`http://127.0.0.1:${first.port}/users/${auditor.id}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ active: false }),
    });
    expect(deactivate.status).toBe(200);
    first.child.kill('SIGTERM');
    expect(await first.exit).toBe(0);

    const credentialsFile = path.join(env.DATA_DIR!, 'demo-credentials.json');
    expect(statSync(credentialsFile).mode & 0o777).toBe(0o600);
    const second = await startServer(env);
    const again = [...second.stdout().matchAll(/^ {2}(\w+) +(\S+@demo\.legal) +(\S+)$/gm)].map((m) => m[3]);
    expect(again).toEqual(printed.filter((p) => p.role !== 'auditor').map((p) => p.password));
    expect(second.stdout()).toContain(
      `To start over with fresh demo data: stop the service, delete ${env.DATA_DIR}`,
    );
    second.child.kill('SIGTERM');
    expect(await second.exit).toBe(0);
  }, 60_000);

  test('when demo data is off, then no credentials block is printed even if a credentials file exists', async () => {
    const { env, cleanup } = testEnv('sqlite', { DEMO_DATA: 'true', NODE_ENV: 'development' });
    cleanups.push(cleanup);
    const first = await startServer(env);
    expect(first.stdout()).toContain('Demo data is in use');
    first.child.kill('SIGTERM');
    expect(await first.exit).toBe(0);
    const second = await startServer({ ...env, DEMO_DATA: 'false' });
    expect(second.stdout()).not.toContain('Demo data is in use');
    second.child.kill('SIGTERM');
    expect(await second.exit).toBe(0);
  }, 60_000);

  test('when ADMIN_EMAIL and ADMIN_PASSWORD are set on an empty database, then that admin is created instead of demo data', async () => {
    const { env, cleanup } = testEnv('sqlite', {
      DEMO_DATA: 'true',
      ADMIN_EMAIL: 'Boss@Firm.legal',
      ADMIN_PASSWORD: 'a-very-long-admin-password',
    });
    cleanups.push(cleanup);
    const s = await startServer(env);
    expect(s.stdout()).not.toContain('Demo data is in use');
    const login = await fetch(`http://127.0.0.1:${s.port}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'boss@firm.legal', password: 'a-very-long-admin-password' }),
    });
    expect(login.status).toBe(200);
    expect(((await login.json()) as { user: { role: string } }).user.role).toBe('admin');
    s.child.kill('SIGTERM');
    expect(await s.exit).toBe(0);
  }, 60_000);

  test('when NODE_ENV=production has no JWT_SECRET, then the start fails with a message naming it', () => {
    const { env, cleanup } = testEnv('sqlite', { NODE_ENV: 'production' });
    cleanups.push(cleanup);
    delete env.JWT_SECRET;
    const run = spawnSync(node, withTsx, {
      cwd: appDir,
      env: { ...process.env, ...env, JWT_SECRET: '' },
      encoding: 'utf8',
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('JWT_SECRET: required when NODE_ENV=production');
  }, 30_000);
});
