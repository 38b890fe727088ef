import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import type { Exec, ExecOptions } from '../src/exec.js';
import { createPusher, DockerPusher, repoDigest, sha256Digest, type PusherContext } from '../src/pushers.js';
import { parseImage } from '../src/refs.js';

const TOKEN = Buffer.from('AWS:super-secret-password').toString('base64');
const DIGEST = `sha256:${'c'.repeat(64)}`;

interface Call {
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
}

let workDir: string;
let calls: Call[];

beforeEach(() => {
  workDir = mkdtempSync(join(tmpdir(), 'pushers-test-'));
  calls = [];
});
afterEach(() => rmSync(workDir, { recursive: true, force: true }));

function context(exec: Exec, insecure = false): PusherContext {
  return {
    exec,
    target: { registry: '123456789012.dkr.ecr.eu-west-1.amazonaws.com', repository: 'team/app', insecure },
    workDir,
    authFile: join(workDir, 'config.json'),
    log: () => undefined,
    env: { PATH: '/usr/bin' },
  };
}

/** Records calls; answers like the tools do (docker push's last line, skopeo/podman digest files). */
const recordingExec =
  (answer: (call: Call) => string = () => ''): Exec =>
  async (command, args, options?: ExecOptions) => {
    const call = { command, args, env: options?.env };
    calls.push(call);
    return { code: 0, stdout: answer(call), stderr: '' };
  };

function noSecretOnArgv() {
  for (const call of calls) {
    expect(call.args.join(' ')).not.toContain(TOKEN);
    expect(call.args.join(' ')).not.toContain('super-secret-password');
  }
}

describe('docker', () => {
  // The last line docker push prints (docker CLI 20+).
  const pushOutput = `The push refers to repository [123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/app]\n5f70bf18a086: Pushed\nv1: digest: ${DIGEST} size: 528\n`;

  test('when pushing a tag, then docker tags the local image and pushes it with DOCKER_CONFIG as the only credential channel', async () => {
    const exec = recordingExec((call) => (call.args[0] === 'push' ? pushOutput : ''));
    const pusher = createPusher('docker', context(exec), parseImage('my-app:build'));
    expect(await pusher.push('v1')).toBe(DIGEST);
    expect(calls.map((c) => [c.command, ...c.args])).toEqual([
      ['docker', 'tag', 'my-app:build', '123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/app:v1'],
      ['docker', 'push', '123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/app:v1'],
    ]);
    for (const call of calls) expect(call.env?.DOCKER_CONFIG).toBe(workDir);
    noSecretOnArgv();
  });

  test('when the engine knows the image from this repository, then its digest is known before pushing', async () => {
    const exec = recordingExec(() =>
      JSON.stringify([
        `other/repo@sha256:${'d'.repeat(64)}`,
        `123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/app@${DIGEST}`,
      ]),
    );
    const pusher = createPusher('docker', context(exec), parseImage('my-app:build'));
    expect(await pusher.prepare()).toBe(DIGEST);
    expect(calls[0]!.args).toEqual(['image', 'inspect', '--format', '{{json .RepoDigests}}', 'my-app:build']);
  });

  test('when the engine has no digest for this repository, then it is unknown before pushing', async () => {
    const pusher = new DockerPusher(context(recordingExec(() => '[]\n')), 'my-app');
    expect(await pusher.prepare()).toBeUndefined();
    expect(repoDigest('not json', 'x')).toBeUndefined();
  });

  test('when docker push prints no digest, then the failure says so', async () => {
    const pusher = createPusher('docker', context(recordingExec(() => 'pushed\n')), parseImage('my-app'));
    await expect(pusher.push('v1')).rejects.toThrow("docker push of tag 'v1' did not report a digest.");
  });

  test('when docker is given a transport reference, then the failure names the pusher input', () => {
    expect(() => createPusher('docker', context(recordingExec()), parseImage('oci-archive:/x.tar'))).toThrow(
      "Input 'pusher': docker pushes a local image name",
    );
  });

  test('when docker exits non-zero, then its last error lines are reported', async () => {
    const exec: Exec = async () => ({
      code: 1,
      stdout: '',
      stderr: 'denied: Your authorization token has expired.\n',
    });
    const pusher = createPusher('docker', context(exec), parseImage('my-app'));
    await expect(pusher.push('v1')).rejects.toThrow(
      'docker tag exited with code 1: denied: Your authorization token has expired.',
    );
  });
});

describe('skopeo', () => {
  const stageManifest = '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json"}';
  const skopeoExec = recordingExec((call) => {
    const i = call.args.indexOf('--digestfile');
    if (i >= 0) writeFileSync(call.args[i + 1]!, DIGEST);
    if (call.args.includes('--dest-compress')) {
      const stage = call.args[call.args.length - 1]!.slice('dir:'.length);
      mkdirSync(stage, { recursive: true });
      writeFileSync(join(stage, 'manifest.json'), stageManifest);
    }
    return '';
  });

  test('when staging, then the digest is the hash of the staged manifest', async () => {
    const pusher = createPusher('skopeo', context(skopeoExec), parseImage('oci-archive:/img.tar'));
    expect(await pusher.prepare()).toBe(sha256Digest(stageManifest));
    expect(calls[0]!.args).toEqual([
      'copy',
      '--all',
      '--dest-compress',
      'oci-archive:/img.tar',
      `dir:${join(workDir, 'staged')}`,
    ]);
  });

  test('when pushing over https, then the auth file is passed by path and TLS stays verified', async () => {
    const pusher = createPusher('skopeo', context(skopeoExec), parseImage('oci-archive:/img.tar'));
    await pusher.prepare();
    expect(await pusher.push('v1')).toBe(DIGEST);
    const args = calls[1]!.args;
    expect(args.slice(0, 5)).toEqual([
      'copy',
      '--all',
      '--preserve-digests',
      '--authfile',
      join(workDir, 'config.json'),
    ]);
    expect(args.some((a) => a.includes('tls-verify'))).toBe(false);
    expect(args.slice(5, 7)).toEqual(['--retry-times', '3']);
    expect(args[args.length - 1]).toBe('docker://123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/app:v1');
    noSecretOnArgv();
  });

  test('when the registry is plain http on loopback, then TLS verification is off for the destination only', async () => {
    const pusher = createPusher('skopeo', context(skopeoExec, true), parseImage('oci:/layout:v1'));
    await pusher.push('v1');
    expect(calls[0]!.args).toContain('--dest-tls-verify=false');
  });

  test('when skopeo is given a local name, then it reads it from containers-storage', async () => {
    const pusher = createPusher('skopeo', context(skopeoExec), parseImage('localhost/app:v1'));
    await pusher.prepare();
    expect(calls[0]!.args[3]).toBe('containers-storage:localhost/app:v1');
  });
});

describe('podman', () => {
  test('when the image is an archive, then podman pulls it, stages it and pushes by image ID with --authfile', async () => {
    const id = 'e'.repeat(64);
    const exec = recordingExec((call) => {
      if (call.args[0] === 'pull') return `${id}\n`;
      if (call.args.includes('--compress')) {
        const stage = call.args[call.args.length - 1]!.slice('dir:'.length);
        mkdirSync(stage, { recursive: true });
        writeFileSync(join(stage, 'manifest.json'), '{}');
      }
      const i = call.args.indexOf('--digestfile');
      if (i >= 0) writeFileSync(call.args[i + 1]!, `${DIGEST}\n`);
      return '';
    });
    const pusher = createPusher('podman', context(exec, true), parseImage('oci-archive:/img.tar'));
    expect(await pusher.prepare()).toBe(sha256Digest('{}'));
    expect(await pusher.push('v1')).toBe(DIGEST);
    expect(calls.map((c) => c.args[0])).toEqual(['pull', 'push', 'push']);
    expect(calls[0]!.args).toEqual(['pull', '--quiet', 'oci-archive:/img.tar']);
    expect(calls[1]!.args).toEqual(['push', '--compress', id, `dir:${join(workDir, 'staged')}`]);
    expect(calls[2]!.args.slice(0, 4)).toEqual([
      'push',
      '--authfile',
      join(workDir, 'config.json'),
      '--tls-verify=false',
    ]);
    expect(calls[2]!.args.slice(-2)).toEqual([
      id,
      'docker://123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/app:v1',
    ]);
    noSecretOnArgv();
  });

  test('when podman pull prints no image ID, then the failure says so', async () => {
    const pusher = createPusher(
      'podman',
      context(recordingExec(() => 'Trying to pull...\n')),
      parseImage('oci-archive:/img.tar'),
    );
    await expect(pusher.prepare()).rejects.toThrow('podman pull did not print an image ID');
  });
});
