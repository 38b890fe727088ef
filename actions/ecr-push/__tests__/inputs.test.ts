import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, test } from '@jest/globals';
import { getInputs, resolvePusher } from '../src/main.js';
import { parseImage } from '../src/refs.js';

const dir = mkdtempSync(join(tmpdir(), 'ecr-push-inputs-'));
const archive = join(dir, 'image.tar');
writeFileSync(archive, '');
const saved = { ...process.env };

function withInputs(inputs: Record<string, string>) {
  for (const key of Object.keys(process.env)) if (key.startsWith('INPUT_')) delete process.env[key];
  const all: Record<string, string> = {
    repository: 'team/app',
    tags: 'v1',
    image: `oci-archive:${archive}`,
    ...inputs,
  };
  for (const [name, value] of Object.entries(all)) process.env[`INPUT_${name.toUpperCase()}`] = value;
}

afterEach(() => {
  process.env = { ...saved };
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('getInputs', () => {
  test('when only the required inputs are given, then the defaults are immutable tags, scan on push, AES256, skopeo', () => {
    withInputs({});
    expect(getInputs()).toEqual({
      repository: 'team/app',
      tags: ['v1'],
      image: {
        kind: 'transport',
        transport: 'oci-archive',
        reference: `oci-archive:${archive}`,
        path: archive,
      },
      pusher: 'skopeo',
      registryId: undefined,
      region: undefined,
      createRepository: true,
      settings: {
        imageTagMutability: 'IMMUTABLE',
        mutabilityExclusions: [],
        scanOnPush: true,
        encryption: 'AES256',
        kmsKey: undefined,
        lifecyclePolicy: undefined,
      },
      maskPassword: true,
      retryMaxAttempts: 5,
    });
  });

  test.each([
    [{ repository: '' }, "Input 'repository': is required"],
    [{ image: '' }, "Input 'image': is required"],
    [{ tags: '' }, "Input 'tags': is required"],
    [{ tags: 'v1\nbad tag' }, "Input 'tags': 'bad tag' is not a valid image tag"],
    [{ repository: 'Team/App' }, "Input 'repository': 'Team/App' is not a valid ECR repository name"],
    [{ image: 'dir:/tmp/x' }, "Input 'image': 'dir:/tmp/x' uses the transport 'dir:'"],
    [
      { image: 'oci-archive:/does/not/exist.tar' },
      "Input 'image': '/does/not/exist.tar' (from 'oci-archive:/does/not/exist.tar') does not exist.",
    ],
    [{ pusher: 'kaniko' }, "Input 'pusher': expected one of auto, docker, skopeo, podman, got 'kaniko'."],
    [{ pusher: 'docker' }, "Input 'pusher': docker pushes a local image name"],
    [{ 'registry-id': '12345' }, "Input 'registry-id': expected a 12-digit AWS account ID, got '12345'."],
    [
      { region: 'eu_west_1' },
      "Input 'region': expected an AWS region such as eu-west-1 or us-gov-west-1, got 'eu_west_1'.",
    ],
    [{ encryption: 'DES' }, "Input 'encryption': expected one of AES256, KMS, got 'DES'."],
    [{ 'kms-key': 'alias/x' }, "Input 'kms-key': is only used with encryption: KMS (encryption is AES256)."],
    [
      { 'image-tag-mutability': 'SOMETIMES' },
      "Input 'image-tag-mutability': expected one of MUTABLE, IMMUTABLE, IMMUTABLE_WITH_EXCLUSION, MUTABLE_WITH_EXCLUSION, got 'SOMETIMES'.",
    ],
    [
      { 'image-tag-mutability': 'IMMUTABLE_WITH_EXCLUSION', 'mutability-exclusions': 'main\nfeature/x' },
      "Input 'mutability-exclusions': expected wildcard filters of 1 to 128 characters, each a letter, digit, '.', '_', '-' or '*' (as ECR accepts them), got 'feature/x'.",
    ],
    [
      { 'image-tag-mutability': 'IMMUTABLE_WITH_EXCLUSION', 'mutability-exclusions': `${'a'.repeat(129)}` },
      `Input 'mutability-exclusions': expected wildcard filters of 1 to 128 characters`,
    ],
    [
      { 'image-tag-mutability': 'IMMUTABLE_WITH_EXCLUSION', 'mutability-exclusions': 'a,b,c,d,e,f' },
      "Input 'mutability-exclusions': ECR takes at most 5 exclusion filters, got 6: a, b, c, d, e, f.",
    ],
    [
      { 'mutability-exclusions': 'main' },
      "Input 'mutability-exclusions': exclusion filters apply only with image-tag-mutability IMMUTABLE_WITH_EXCLUSION or MUTABLE_WITH_EXCLUSION, but it is IMMUTABLE; remove the filters or choose one of those.",
    ],
    [
      { 'image-tag-mutability': 'MUTABLE', 'mutability-exclusions': 'main' },
      "Input 'mutability-exclusions': exclusion filters apply only with image-tag-mutability IMMUTABLE_WITH_EXCLUSION or MUTABLE_WITH_EXCLUSION, but it is MUTABLE;",
    ],
    [
      { 'image-tag-mutability': 'MUTABLE_WITH_EXCLUSION' },
      "Input 'mutability-exclusions': image-tag-mutability MUTABLE_WITH_EXCLUSION needs 1 to 5 exclusion filters (e.g. main for a tag that moves with every release), got none.",
    ],
    [{ 'scan-on-push': 'yes' }, "Input 'scan-on-push': expected true or false, got 'yes'."],
    [{ 'create-repository': 'maybe' }, "Input 'create-repository': expected true or false"],
    [{ 'mask-password': 'no' }, "Input 'mask-password': expected true or false"],
    [{ 'lifecycle-policy': 'keep-last=0' }, "Input 'lifecycle-policy': keep-last must be from 1 to 10000"],
    [
      { 'lifecycle-policy': '/nope/policy.json' },
      "Input 'lifecycle-policy': expected keep-last=N or a readable JSON policy file",
    ],
    [
      { 'retry-max-attempts': '0' },
      "Input 'retry-max-attempts': expected a whole number from 1 to 20, got '0'.",
    ],
  ])('when %j, then the failure names the input', (inputs, message) => {
    withInputs(inputs as Record<string, string>);
    expect(() => getInputs()).toThrow(message);
  });

  test('when KMS with a key, another registry and keep-last are given, then they are read', () => {
    withInputs({
      encryption: 'KMS',
      'kms-key': 'alias/ecr',
      'registry-id': '210987654321',
      'lifecycle-policy': 'keep-last=10',
      region: 'eu-west-1',
      pusher: 'podman',
    });
    const inputs = getInputs();
    expect(inputs).toMatchObject({ registryId: '210987654321', region: 'eu-west-1', pusher: 'podman' });
    expect(inputs.settings).toMatchObject({ encryption: 'KMS', kmsKey: 'alias/ecr' });
    expect(JSON.parse(inputs.settings.lifecyclePolicy!).rules[0].selection.countNumber).toBe(10);
  });

  test('when IMMUTABLE_WITH_EXCLUSION comes with filters one per line and comma separated, then each is read once', () => {
    withInputs({
      'image-tag-mutability': 'immutable_with_exclusion',
      'mutability-exclusions': 'main\npr-*, release-*.rc\nmain',
    });
    expect(getInputs().settings).toMatchObject({
      imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION',
      mutabilityExclusions: ['main', 'pr-*', 'release-*.rc'],
    });
  });
});

describe('pusher auto', () => {
  test('when the image is a local name, then docker; when it is a transport, then skopeo', () => {
    expect(resolvePusher('auto', parseImage('my-app:1'))).toBe('docker');
    expect(resolvePusher('auto', parseImage('containers-storage:app'))).toBe('skopeo');
    expect(resolvePusher('podman', parseImage('my-app:1'))).toBe('podman');
  });
});
