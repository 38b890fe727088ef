import {
  BatchGetImageCommand,
  CreateRepositoryCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  GetAuthorizationTokenCommand,
  PutLifecyclePolicyCommand,
  RepositoryAlreadyExistsException,
  RepositoryNotFoundException,
} from '@aws-sdk/client-ecr';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, test } from '@jest/globals';
import {
  ensureRepository,
  existingTags,
  getCredentials,
  lifecyclePolicyText,
  type EcrContext,
} from '../src/ecr.js';

const ecr = mockClient(ECRClient);
const retryLines: string[] = [];
const sleeps: number[] = [];
const ctx = (overrides: Partial<EcrContext> = {}): EcrContext => ({
  client: new ECRClient({ region: 'eu-west-1', maxAttempts: 1 }),
  maxAttempts: 4,
  sleep: async (ms) => {
    sleeps.push(ms);
  },
  log: (line) => retryLines.push(line),
  ...overrides,
});

const awsError = (name: string, message: string, status = 400) =>
  Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });

const TOKEN = Buffer.from('AWS:p4ssw0rd-from-ecr').toString('base64');
const DIGEST_A = `sha256:${'a'.repeat(64)}`;

beforeEach(() => {
  ecr.reset();
  retryLines.length = 0;
  sleeps.length = 0;
});

describe('GetAuthorizationToken', () => {
  test('when ECR answers, then the token and the decoded password are masked before they are returned', async () => {
    ecr.on(GetAuthorizationTokenCommand).resolves({
      authorizationData: [
        { authorizationToken: TOKEN, proxyEndpoint: 'https://123456789012.dkr.ecr.eu-west-1.amazonaws.com' },
      ],
    });
    const masked: string[] = [];
    const credentials = await getCredentials(ctx({ registryId: '123456789012' }), (s) => masked.push(s));
    expect(masked).toEqual([TOKEN, 'p4ssw0rd-from-ecr']);
    expect(credentials).toMatchObject({ token: TOKEN, username: 'AWS', password: 'p4ssw0rd-from-ecr' });
    expect(ecr.commandCalls(GetAuthorizationTokenCommand)[0]!.args[0].input).toEqual({
      registryIds: ['123456789012'],
    });
  });

  test('when ECR throttles twice, then the call is retried with labelled lines and succeeds', async () => {
    ecr
      .on(GetAuthorizationTokenCommand)
      .rejectsOnce(awsError('ThrottlingException', 'Rate exceeded'))
      .rejectsOnce(awsError('ServiceUnavailableException', 'busy', 503))
      .resolves({ authorizationData: [{ authorizationToken: TOKEN, proxyEndpoint: 'https://r.example' }] });
    await getCredentials(ctx(), () => undefined);
    expect(ecr.commandCalls(GetAuthorizationTokenCommand)).toHaveLength(3);
    expect(retryLines).toHaveLength(2);
    expect(retryLines[0]).toMatch(
      /^\[retry\] ECR GetAuthorizationToken: attempt 1\/4 failed \(ThrottlingException: Rate exceeded\)/,
    );
    expect(sleeps).toHaveLength(2);
  });

  test('when throttling outlasts the attempts, then the last error is reported', async () => {
    ecr.on(GetAuthorizationTokenCommand).rejects(awsError('ThrottlingException', 'Rate exceeded'));
    await expect(getCredentials(ctx({ maxAttempts: 2 }), () => undefined)).rejects.toThrow(
      'ECR GetAuthorizationToken failed after 2 attempts: Rate exceeded',
    );
    expect(ecr.commandCalls(GetAuthorizationTokenCommand)).toHaveLength(2);
  });

  test('when access is denied, then the failure names the IAM permission and is not retried', async () => {
    ecr.on(GetAuthorizationTokenCommand).rejects(awsError('AccessDeniedException', 'not authorized'));
    await expect(getCredentials(ctx(), () => undefined)).rejects.toThrow(
      "AWS refused ecr:GetAuthorizationToken (AccessDeniedException): the role used by this job needs the IAM permission 'ecr:GetAuthorizationToken'",
    );
    expect(ecr.commandCalls(GetAuthorizationTokenCommand)).toHaveLength(1);
  });

  test('when the token is not "user:password", then the failure says what was expected', async () => {
    ecr.on(GetAuthorizationTokenCommand).resolves({
      authorizationData: [
        { authorizationToken: Buffer.from('no-colon').toString('base64'), proxyEndpoint: 'https://r' },
      ],
    });
    await expect(getCredentials(ctx(), () => undefined)).rejects.toThrow(
      'expected a base64 "user:password" token and a proxyEndpoint',
    );
  });
});

describe('repository', () => {
  const settings = {
    imageTagMutability: 'IMMUTABLE' as const,
    mutabilityExclusions: [],
    scanOnPush: true,
    encryption: 'KMS' as const,
    kmsKey: 'arn:aws:kms:eu-west-1:123456789012:key/abc',
    lifecyclePolicy: lifecyclePolicyText('keep-last=30', () => ''),
  };

  test('when the repository exists, then it is left as it is and its settings are reported', async () => {
    ecr.on(DescribeRepositoriesCommand).resolves({
      repositories: [
        {
          repositoryName: 'team/app',
          imageTagMutability: 'MUTABLE',
          imageScanningConfiguration: { scanOnPush: false },
          encryptionConfiguration: { encryptionType: 'AES256' },
        },
      ],
    });
    const state = await ensureRepository(ctx(), 'team/app', true, settings);
    expect(state).toEqual({
      name: 'team/app',
      uri: undefined,
      created: false,
      imageTagMutability: 'MUTABLE',
      mutabilityExclusions: [],
      scanOnPush: false,
      encryption: 'AES256',
      kmsKey: undefined,
      lifecyclePolicyApplied: false,
    });
    expect(ecr.commandCalls(CreateRepositoryCommand)).toHaveLength(0);
    expect(ecr.commandCalls(PutLifecyclePolicyCommand)).toHaveLength(0);
  });

  test('when the repository is missing, then it is created with the settings and the lifecycle policy', async () => {
    ecr
      .on(DescribeRepositoriesCommand)
      .rejects(new RepositoryNotFoundException({ message: 'nope', $metadata: {} }));
    ecr.on(CreateRepositoryCommand).callsFake((input) => ({
      repository: {
        repositoryName: input.repositoryName,
        imageTagMutability: input.imageTagMutability,
        imageScanningConfiguration: input.imageScanningConfiguration,
        encryptionConfiguration: input.encryptionConfiguration,
      },
    }));
    ecr.on(PutLifecyclePolicyCommand).resolves({});
    const state = await ensureRepository(ctx({ registryId: '210987654321' }), 'team/app', true, settings);
    expect(state.created).toBe(true);
    expect(state.lifecyclePolicyApplied).toBe(true);
    expect(ecr.commandCalls(CreateRepositoryCommand)[0]!.args[0].input).toEqual({
      repositoryName: 'team/app',
      registryId: '210987654321',
      imageTagMutability: 'IMMUTABLE',
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfiguration: {
        encryptionType: 'KMS',
        kmsKey: 'arn:aws:kms:eu-west-1:123456789012:key/abc',
      },
    });
    const policy = JSON.parse(
      ecr.commandCalls(PutLifecyclePolicyCommand)[0]!.args[0].input.lifecyclePolicyText!,
    );
    expect(policy.rules[0].selection).toEqual({
      tagStatus: 'any',
      countType: 'imageCountMoreThan',
      countNumber: 30,
    });
    expect(policy.rules[0].action).toEqual({ type: 'expire' });
  });

  test('when the repository is missing and exclusions are set, then CreateRepository carries them as WILDCARD filters', async () => {
    ecr
      .on(DescribeRepositoriesCommand)
      .rejects(new RepositoryNotFoundException({ message: 'nope', $metadata: {} }));
    ecr.on(CreateRepositoryCommand).callsFake((input) => ({
      repository: {
        repositoryName: input.repositoryName,
        imageTagMutability: input.imageTagMutability,
        imageTagMutabilityExclusionFilters: input.imageTagMutabilityExclusionFilters,
      },
    }));
    const state = await ensureRepository(ctx(), 'team/app', true, {
      ...settings,
      imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION',
      mutabilityExclusions: ['main', 'pr-*'],
      lifecyclePolicy: undefined,
    });
    expect(ecr.commandCalls(CreateRepositoryCommand)[0]!.args[0].input).toMatchObject({
      imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION',
      imageTagMutabilityExclusionFilters: [
        { filterType: 'WILDCARD', filter: 'main' },
        { filterType: 'WILDCARD', filter: 'pr-*' },
      ],
    });
    expect(state).toMatchObject({
      created: true,
      imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION',
      mutabilityExclusions: ['main', 'pr-*'],
    });
  });

  test('when the repository exists with exclusion filters, then DescribeRepositories gives them back', async () => {
    ecr.on(DescribeRepositoriesCommand).resolves({
      repositories: [
        {
          repositoryName: 'team/app',
          imageTagMutability: 'MUTABLE_WITH_EXCLUSION',
          imageTagMutabilityExclusionFilters: [{ filterType: 'WILDCARD', filter: 'sha-*' }],
        },
      ],
    });
    const state = await ensureRepository(ctx(), 'team/app', true, settings);
    expect(state).toMatchObject({
      created: false,
      imageTagMutability: 'MUTABLE_WITH_EXCLUSION',
      mutabilityExclusions: ['sha-*'],
    });
    expect(ecr.commandCalls(DescribeRepositoriesCommand)[0]!.args[0].input).toEqual({
      repositoryNames: ['team/app'],
      registryId: undefined,
    });
  });

  test('when the repository is missing and create-repository is false, then the failure says so', async () => {
    ecr
      .on(DescribeRepositoriesCommand)
      .rejects(new RepositoryNotFoundException({ message: 'nope', $metadata: {} }));
    await expect(ensureRepository(ctx(), 'team/app', false, settings)).rejects.toThrow(
      "ECR repository 'team/app' does not exist and create-repository is false.",
    );
  });

  test('when another job creates the repository first, then theirs is used as it is', async () => {
    ecr
      .on(DescribeRepositoriesCommand)
      .rejectsOnce(new RepositoryNotFoundException({ message: 'nope', $metadata: {} }))
      .resolves({ repositories: [{ repositoryName: 'team/app', imageTagMutability: 'IMMUTABLE' }] });
    ecr
      .on(CreateRepositoryCommand)
      .rejects(new RepositoryAlreadyExistsException({ message: 'exists', $metadata: {} }));
    const state = await ensureRepository(ctx(), 'team/app', true, settings);
    expect(state).toMatchObject({ created: false, imageTagMutability: 'IMMUTABLE' });
  });

  test('when creating is denied, then the failure names ecr:CreateRepository', async () => {
    ecr
      .on(DescribeRepositoriesCommand)
      .rejects(new RepositoryNotFoundException({ message: 'nope', $metadata: {} }));
    ecr.on(CreateRepositoryCommand).rejects(awsError('AccessDeniedException', 'no'));
    await expect(ensureRepository(ctx(), 'team/app', true, settings)).rejects.toThrow(
      "needs the IAM permission 'ecr:CreateRepository'",
    );
  });

  test('when describing is denied, then the failure names ecr:DescribeRepositories', async () => {
    ecr.on(DescribeRepositoriesCommand).rejects(awsError('AccessDeniedException', 'no'));
    await expect(ensureRepository(ctx(), 'team/app', true, settings)).rejects.toThrow(
      "needs the IAM permission 'ecr:DescribeRepositories'",
    );
  });
});

describe('existing tags', () => {
  test('when some tags exist, then their digests are returned and missing ones are absent', async () => {
    ecr.on(BatchGetImageCommand).resolves({
      images: [{ imageId: { imageTag: 'v1', imageDigest: DIGEST_A } }],
      failures: [
        {
          imageId: { imageTag: 'v2' },
          failureCode: 'ImageNotFound',
          failureReason: 'Requested image not found',
        },
      ],
    });
    const found = await existingTags(ctx(), 'team/app', ['v1', 'v2']);
    expect([...found]).toEqual([['v1', DIGEST_A]]);
    const input = ecr.commandCalls(BatchGetImageCommand)[0]!.args[0].input;
    expect(input.imageIds).toEqual([{ imageTag: 'v1' }, { imageTag: 'v2' }]);
    expect(input.acceptedMediaTypes).toContain('application/vnd.oci.image.manifest.v1+json');
  });

  test('when there are more than 100 tags, then they are asked in chunks of 100', async () => {
    ecr.on(BatchGetImageCommand).resolves({ images: [], failures: [] });
    await existingTags(
      ctx(),
      'team/app',
      Array.from({ length: 150 }, (_, i) => `t${i}`),
    );
    expect(ecr.commandCalls(BatchGetImageCommand).map((c) => c.args[0].input.imageIds!.length)).toEqual([
      100, 50,
    ]);
  });

  test('when BatchGetImage is throttled, then it is retried', async () => {
    ecr
      .on(BatchGetImageCommand)
      .rejectsOnce(awsError('ThrottlingException', 'slow down'))
      .resolves({ images: [], failures: [] });
    await existingTags(ctx(), 'team/app', ['v1']);
    expect(ecr.commandCalls(BatchGetImageCommand)).toHaveLength(2);
    expect(retryLines[0]).toMatch(/^\[retry\] ECR BatchGetImage: attempt 1\/4/);
  });

  test('when a tag lookup fails for another reason, then the failure names the tag and the code', async () => {
    ecr.on(BatchGetImageCommand).resolves({
      failures: [{ imageId: { imageTag: 'v1' }, failureCode: 'KmsError', failureReason: 'key disabled' }],
    });
    await expect(existingTags(ctx(), 'team/app', ['v1'])).rejects.toThrow(
      "could not look up tag 'v1': KmsError key disabled",
    );
  });

  test('when BatchGetImage is denied, then the failure names ecr:BatchGetImage', async () => {
    ecr.on(BatchGetImageCommand).rejects(awsError('AccessDeniedException', 'no'));
    await expect(existingTags(ctx(), 'team/app', ['v1'])).rejects.toThrow(
      "needs the IAM permission 'ecr:BatchGetImage'",
    );
  });
});

describe('lifecycle-policy input', () => {
  test('when empty, then no policy is set', () => {
    expect(lifecyclePolicyText('', () => '')).toBeUndefined();
  });

  test('when a policy file is given, then its JSON is used', () => {
    const text =
      '{"rules":[{"rulePriority":1,"selection":{"tagStatus":"untagged","countType":"imageCountMoreThan","countNumber":3},"action":{"type":"expire"}}]}';
    expect(JSON.parse(lifecyclePolicyText('policy.json', () => text)!)).toEqual(JSON.parse(text));
  });

  test.each([
    ['keep-last=0', 'keep-last must be from 1 to 10000, got 0'],
    ['keep-last=many', "expected keep-last=N with N a whole number, got 'keep-last=many'"],
  ])('when it is %s, then the failure names the input', (spec, message) => {
    expect(() => lifecyclePolicyText(spec, () => '')).toThrow(`Input 'lifecycle-policy': ${message}`);
  });

  test('when the file is missing, not JSON or has no rules, then the failure names the input and the file', () => {
    const missing = () => {
      throw new Error('ENOENT: no such file');
    };
    expect(() => lifecyclePolicyText('p.json', missing)).toThrow(
      "Input 'lifecycle-policy': expected keep-last=N or a readable JSON policy file; cannot read 'p.json'",
    );
    expect(() => lifecyclePolicyText('p.json', () => '{oops')).toThrow(
      "Input 'lifecycle-policy': 'p.json' is not valid JSON",
    );
    expect(() => lifecyclePolicyText('p.json', () => '{"rules":[]}')).toThrow('non-empty "rules" array');
  });
});
