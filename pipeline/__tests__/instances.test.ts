/** The podman wrapper each stand-in instance gets: shellcheck-clean, and podman itself reports the flags it was given. */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from '@jest/globals';
import { haveTool } from '../../action-tests/helpers/ecr-registry.js';
import { podmanStandIn, podmanWrapper } from '../instances.js';

const missing = ['podman', 'shellcheck'].filter((tool) => !haveTool(tool));
if (missing.length > 0 && process.env.CI === 'true') throw new Error(`needs ${missing.join(', ')} (CI=true)`);
const maybe = missing.length === 0 ? test : test.skip;

const dir = mkdtempSync(join(tmpdir(), 'wrapper-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

maybe(
  'when the wrapper runs podman, then podman sees every flag, quotes included, and shellcheck finds nothing',
  () => {
    const root = join(dir, "graph root's");
    const wrapper = join(dir, 'podman');
    writeFileSync(
      wrapper,
      podmanWrapper(
        ['--root', root, '--runroot', join(dir, 'run'), '--storage-driver', 'vfs'],
        ['--ulimit', 'nofile=1024:1024'],
      ),
    );
    chmodSync(wrapper, 0o755);
    expect(spawnSync('shellcheck', [wrapper], { encoding: 'utf8' }).stdout).toBe('');
    const info = execFileSync(
      wrapper,
      ['info', '--format', '{{.Store.GraphRoot}} {{.Store.GraphDriverName}}'],
      {
        encoding: 'utf8',
      },
    );
    expect(info.trim()).toBe(`${root} vfs`);
  },
);

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
