/**
 * The legal service's container image end to end: app/Dockerfile built with buildah on a Node base image
 * assembled from this machine's node (scripts/node-base-image.sh; no registry image can be pulled here), run
 * with podman, and checked against sources that are not the Dockerfile: the kernel's /proc for the user and
 * PID 1, the service's own HTTP answers, podman's exit status after SIGTERM, and `npm ls` on the host for the
 * set of runtime packages.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { check, exec, haveTool } from '../stand-ins/commands.js';
import { privateStorage, RUN_LIMITS } from '../stand-ins/podman.js';
import { LIST_PACKAGES_PROGRAM, npmLsPackages, waitForHttp200 } from './helpers/service-image.js';
import { BUILD_TIMEOUT_MS, buildServiceImage } from '../pipeline/images.js';

const tools = ['buildah', 'podman', 'runc'];
const missing = tools.filter((tool) => !haveTool(tool));
if (missing.length > 0 && process.env.CI === 'true') {
  throw new Error(`the service image test needs ${missing.join(', ')} (CI=true)`);
}
const maybe = missing.length === 0 ? describe : describe.skip;
if (missing.length > 0) console.log(`skipping the service image test: ${missing.join(', ')} not installed`);

const REPO = resolve(import.meta.dirname, '..');
const APP_DIR = '/srv/legal-service';
const UID = 10001;
const JWT_SECRET = 'service-image-test-secret-0123456789abcdef';
const ADMIN = { email: 'admin@image.test', password: 'image-test-password-1' };

maybe('app/Dockerfile', () => {
  let work = '';
  let tools: ReturnType<typeof privateStorage>;
  const tag = `service-image-test-${process.pid}`;
  const image = `localhost/legal-service:${tag}`;
  const container = `legal-service-${tag}`;
  let baseUrl = '';

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'service-image-'));
    tools = privateStorage(work);
    await buildServiceImage(REPO, tools, image, []);
    await tools.podman([
      'run',
      '--detach',
      '--name',
      container,
      ...RUN_LIMITS,
      '--health-interval',
      'disable', // no systemd timer here; the test runs the check itself
      '--publish',
      '127.0.0.1::3000',
      '--env',
      `JWT_SECRET=${JWT_SECRET}`,
      '--env',
      `ADMIN_EMAIL=${ADMIN.email}`,
      '--env',
      `ADMIN_PASSWORD=${ADMIN.password}`,
      '--env',
      'ARGON2_MEMORY_KIB=1024',
      image,
    ]);
    const published = (await tools.podman(['port', container, '3000/tcp'])).trim().split('\n')[0] ?? '';
    expect(published).toMatch(/^127\.0\.0\.1:\d+$/);
    baseUrl = `http://${published}`;
    const running = async () =>
      (await tools.podman(['inspect', '--format', '{{.State.Running}}', container])).trim() === 'true';
    await waitForHttp200(`${baseUrl}/health`, 60_000, running);
  }, BUILD_TIMEOUT_MS + 120_000);

  afterAll(async () => {
    if (!work) return;
    if (tools) {
      for (const args of [
        ['rm', '--force', '--ignore', container],
        ['rmi', '--force', image],
      ]) {
        await tools.podman(args).catch((err: Error) => console.log(`cleanup: ${err.message.split('\n')[0]}`));
      }
      await tools.buildah(['rm', '--all']).catch(() => undefined);
    }
    try {
      rmSync(work, { recursive: true, force: true });
    } catch {
      // Rootless: image files owned by sub-uids (uid 10001 in the image) are removable only in the user namespace.
      await exec('buildah', ['unshare', 'rm', '-rf', work]);
      rmSync(work, { recursive: true, force: true });
    }
  }, 120_000);

  const inspect = async <T>(what: 'image' | 'container', name: string): Promise<T> =>
    (JSON.parse(await tools.podman([what, 'inspect', name])) as T[])[0]!;

  test('when the image is inspected, then it runs node in exec form as uid 10001 with a HEALTHCHECK on /health and NODE_ENV=production', async () => {
    const inspected = await inspect<{
      Config: {
        User: string;
        Cmd: string[];
        Entrypoint?: string[] | null;
        Env: string[];
        StopSignal?: string;
      };
      Healthcheck?: { Test: string[]; Interval: number; Timeout: number; Retries: number };
    }>('image', image);
    const config = inspected.Config;
    expect(config.User).toBe(`${UID}:${UID}`);
    expect(config.Entrypoint ?? []).toEqual([]);
    expect(config.Cmd).toEqual(['node', 'build/server.js']);
    expect(config.Env).toContain('NODE_ENV=production');
    expect(config.StopSignal).toBe('SIGTERM');
    expect(inspected.Healthcheck?.Test[0]).toBe('CMD');
    expect(inspected.Healthcheck?.Test.join(' ')).toContain('/health');
    expect(inspected.Healthcheck?.Retries).toBeGreaterThan(0);
  });

  test('when the container runs, then PID 1 is node, running as the non-root uid 10001 (per the kernel)', async () => {
    // /proc/1/status as the kernel reports it inside the container's PID namespace.
    const status = await tools.podman([
      'exec',
      container,
      'node',
      '-e',
      "const fs = require('fs'); process.stdout.write(fs.readFileSync('/proc/1/status', 'utf8') + 'Cmdline:\\t' + fs.readFileSync('/proc/1/cmdline', 'utf8').split('\\0')[0])",
    ]);
    const field = (name: string) =>
      new RegExp(`^${name}:\\s*(.*)$`, 'm').exec(status)?.[1]?.trim().split(/\s+/);
    // argv[0]: Node 24 names its main thread "MainThread", so the status Name field no longer says node
    expect(field('Cmdline')).toEqual(['node']);
    expect(field('Uid')).toEqual([`${UID}`, `${UID}`, `${UID}`, `${UID}`]);
    expect(field('Gid')).toEqual([`${UID}`, `${UID}`, `${UID}`, `${UID}`]);
    // The host's view of the container's main process: the same process is PID 1 in its own namespace.
    const pid = (await inspect<{ State: { Pid: number } }>('container', container)).State.Pid;
    const hostStatus = readFileSync(`/proc/${pid}/status`, 'utf8');
    expect(/^NSpid:\s*(.*)$/m.exec(hostStatus)?.[1]?.trim().split(/\s+/).at(-1)).toBe('1');
    expect(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean)).toEqual([
      'node',
      'build/server.js',
    ]);
  });

  test('when /health is requested and the HEALTHCHECK runs, then both answer healthy', async () => {
    const res = await fetch(`${baseUrl}/health`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { status: string }).status).toBe('ok');
    // Exits 0 when the image's HEALTHCHECK command succeeds inside the container (check() throws otherwise).
    await tools.podman(['healthcheck', 'run', container]);
    const status = await tools.podman(['inspect', '--format', '{{.State.Health.Status}}', container]);
    expect(status.trim()).toBe('healthy');
  });

  test('when the administrator logs in, then the native addons (argon2, sqlite3) work in the image as the non-root user', async () => {
    // ADMIN_EMAIL seeded an argon2id hash into the SQLite file under DATA_DIR; logging in verifies it.
    const res = await fetch(`${baseUrl}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ADMIN),
    });
    expect(res.status).toBe(200);
    expect(typeof ((await res.json()) as { accessToken: unknown }).accessToken).toBe('string');
  });

  test('when node_modules in the image is listed, then it holds exactly the runtime packages npm ls names on the host', async () => {
    const inImage = new Set(
      JSON.parse(
        await tools.podman([
          'exec',
          container,
          'node',
          '-e',
          LIST_PACKAGES_PROGRAM,
          `${APP_DIR}/node_modules`,
          `${APP_DIR}/app/node_modules`,
        ]),
      ) as string[],
    );
    // Independent source of truth: npm's own resolution of the app workspace's production tree on the host.
    const ls = JSON.parse(
      await check('npm', ['ls', '--omit=dev', '--all', '--json', '--workspace', 'app'], { cwd: REPO }),
    ) as { dependencies?: Record<string, { dependencies?: Record<string, never> }> };
    const expected = npmLsPackages(ls.dependencies?.['legal-service']?.dependencies);
    expect(expected.size).toBeGreaterThan(50);
    expect([...inImage].filter((p) => !expected.has(p)).sort()).toEqual([]);
    expect([...expected].filter((p) => !inImage.has(p)).sort()).toEqual([]);
    const names = [...inImage].map((p) => p.slice(0, p.lastIndexOf('@')));
    // (@types/node is no such check: sequelize and umzug list type packages as dependencies.)
    for (const dev of ['typescript', 'jest', 'tsx', 'ts-jest', 'autocannon', 's3rver', '@types/express']) {
      expect(names).not.toContain(dev);
    }
    // Nor the action toolkit's dependencies (the root package's): the image is the service alone.
    for (const rootOnly of ['@actions/core', '@aws-sdk/client-ecr', '@cyclonedx/cyclonedx-library']) {
      expect(names).not.toContain(rootOnly);
    }
  });

  test('when podman stop sends SIGTERM, then the service drains and node exits 0 before the grace period ends', async () => {
    const started = Date.now();
    await tools.podman(['stop', '--time', '30', container]);
    const elapsedMs = Date.now() - started;
    const state = (await inspect<{ State: { ExitCode: number; Status: string } }>('container', container))
      .State;
    expect({ status: state.Status, exitCode: state.ExitCode }).toEqual({ status: 'exited', exitCode: 0 });
    expect(elapsedMs).toBeLessThan(30_000); // not killed at the end of the grace period
    const logs = await tools.podman(['logs', container]);
    expect(logs).toMatch(/"signal":"SIGTERM"/);
    expect(logs).toMatch(/"msg":"stopped"/);
  });
});

const haveShellcheck = haveTool('shellcheck');
if (!haveShellcheck && process.env.CI === 'true') {
  throw new Error('the service image test needs shellcheck (CI=true)');
}
if (!haveShellcheck)
  console.log('skipping the shellcheck of scripts/node-base-image.sh: shellcheck not installed');

(haveShellcheck ? test : test.skip)(
  'when shellcheck reads scripts/node-base-image.sh, then it reports nothing',
  async () => {
    const result = await exec('shellcheck', ['--format', 'gcc', 'scripts/node-base-image.sh'], { cwd: REPO });
    expect({ code: result.code, findings: result.stdout.trim() }).toEqual({ code: 0, findings: '' });
  },
);
