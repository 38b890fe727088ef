/** The rehearsal's podman instances (the wrapper they get is stand-ins/__tests__/podman.test.ts's). */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from '@jest/globals';
import { podmanStandIn } from '../instances.js';

const dir = mkdtempSync(join(tmpdir(), 'wrapper-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('when an instance directory would give podman a runroot over 50 characters, then the error says so and how to fix it', () => {
  expect(() =>
    podmanStandIn(join(dir, 'x'.repeat(60)), 'i1', { host: '127.0.0.1:5000', authFile: '' }),
  ).toThrow(/runroot .* is over podman's limit of 50 characters; set a shorter TMPDIR/);
});

test('when an instance is set up, then its PATH finds its podman first and podman trusts the plain-http registry', () => {
  const standIn = podmanStandIn(dir, 'i1', { host: '127.0.0.1:5000', authFile: '/etc/auth.json' });
  expect(standIn.env.PATH!.split(':')[0]).toBe(join(dir, 'i1', 'bin'));
  expect(standIn.env.REGISTRY_AUTH_FILE).toBe('/etc/auth.json');
  expect(execFileSync('cat', [standIn.env.CONTAINERS_REGISTRIES_CONF!], { encoding: 'utf8' })).toBe(
    '[[registry]]\nlocation = "127.0.0.1:5000"\ninsecure = true\n',
  );
});
