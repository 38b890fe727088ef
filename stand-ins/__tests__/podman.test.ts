/** This machine's podman: the wrapper is shellcheck-clean, and podman itself reports the storage and runtime it was given. */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from '@jest/globals';
import { haveTool } from '../commands.js';
import { podmanWrapper, privateStorage, RUN_LIMITS } from '../podman.js';

const missing = ['podman', 'runc', 'shellcheck'].filter((tool) => !haveTool(tool));
if (missing.length > 0 && process.env.CI === 'true') throw new Error(`needs ${missing.join(', ')} (CI=true)`);
const maybe = missing.length === 0 ? test : test.skip;

const dir = mkdtempSync(join(tmpdir(), 'wrapper-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

maybe(
  'when the wrapper runs podman with a private storage, then podman sees every flag, quotes included, and shellcheck finds nothing',
  () => {
    const storageDir = join(dir, "graph root's");
    const wrapper = join(dir, 'podman');
    writeFileSync(wrapper, podmanWrapper(privateStorage(storageDir).podmanFlags, RUN_LIMITS));
    chmodSync(wrapper, 0o755);
    expect(spawnSync('shellcheck', [wrapper], { encoding: 'utf8' }).stdout).toBe('');
    const info = execFileSync(
      wrapper,
      [
        'info',
        '--format',
        '{{.Store.GraphRoot}}|{{.Store.RunRoot}}|{{.Store.GraphDriverName}}|{{.Host.OCIRuntime.Name}}|{{.Host.CgroupManager}}',
      ],
      { encoding: 'utf8' },
    );
    // runc with cgroupfs: this machine has no systemd and no crun.
    expect(info.trim()).toBe(`${join(storageDir, 'root')}|${join(storageDir, 'run')}|vfs|runc|cgroupfs`);
  },
);
