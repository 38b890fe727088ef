/**
 * The local ECR stand-in answers the AWS SDK's own requests as ECR does for tag mutability: the four settings,
 * exclusion filters within ECR's documented constraints, and filters returned by DescribeRepositories.
 * The SDK's serializer and error parser are the independent side here.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import {
  CreateRepositoryCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  PutImageTagMutabilityCommand,
  type ImageTagMutability,
} from '@aws-sdk/client-ecr';
import { startEcrEndpoint, type EcrEndpoint } from '../ecr-endpoint.js';

let endpoint: EcrEndpoint;
let client: ECRClient;

beforeAll(async () => {
  // No registry is needed for the API side; the URL is never called by these requests.
  endpoint = await startEcrEndpoint({ registryUrl: 'http://127.0.0.1:9', password: 'unused' });
  client = new ECRClient({
    endpoint: endpoint.url,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'AKIALOCAL', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
});

afterAll(async () => {
  client?.destroy();
  await endpoint?.close();
});

const filters = (...values: string[]) =>
  values.map((filter) => ({ filterType: 'WILDCARD' as const, filter }));

describe('CreateRepository and DescribeRepositories', () => {
  test('when a repository is created IMMUTABLE_WITH_EXCLUSION with two filters, then DescribeRepositories returns both', async () => {
    await client.send(
      new CreateRepositoryCommand({
        repositoryName: 'team/excluded',
        imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION',
        imageTagMutabilityExclusionFilters: filters('main', 'pr-*'),
      }),
    );
    const described = await client.send(
      new DescribeRepositoriesCommand({ repositoryNames: ['team/excluded'] }),
    );
    expect(described.repositories?.[0]).toMatchObject({
      repositoryName: 'team/excluded',
      imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION',
      imageTagMutabilityExclusionFilters: filters('main', 'pr-*'),
    });
  });

  test.each<[string, ImageTagMutability | undefined, ReturnType<typeof filters> | undefined, string, string]>(
    [
      [
        'six filters',
        'IMMUTABLE_WITH_EXCLUSION',
        filters('a', 'b', 'c', 'd', 'e', 'f'),
        'ValidationException',
        "at 'imageTagMutabilityExclusionFilters' failed to satisfy constraint: Member must have length less than or equal to 5",
      ],
      [
        'a filter with a slash',
        'IMMUTABLE_WITH_EXCLUSION',
        filters('feature/x'),
        'ValidationException',
        "Value 'feature/x' at 'imageTagMutabilityExclusionFilters.1.member.filter' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[0-9a-zA-Z._*-]{1,128}$",
      ],
      [
        'a filter of 129 characters',
        'MUTABLE_WITH_EXCLUSION',
        filters('a'.repeat(129)),
        'ValidationException',
        'Member must satisfy regular expression pattern',
      ],
      [
        'filters with IMMUTABLE',
        'IMMUTABLE',
        filters('main'),
        'InvalidParameterException',
        'Exclusion filters are only valid with IMMUTABLE_WITH_EXCLUSION or MUTABLE_WITH_EXCLUSION, not IMMUTABLE.',
      ],
      [
        'filters with the default (MUTABLE)',
        undefined,
        filters('main'),
        'InvalidParameterException',
        'not MUTABLE.',
      ],
      [
        'MUTABLE_WITH_EXCLUSION without filters',
        'MUTABLE_WITH_EXCLUSION',
        undefined,
        'InvalidParameterException',
        'Exclusion filters are required with MUTABLE_WITH_EXCLUSION.',
      ],
      [
        'an unknown mutability',
        'SOMETIMES' as ImageTagMutability,
        undefined,
        'ValidationException',
        "Value 'SOMETIMES' at 'imageTagMutability' failed to satisfy constraint: Member must satisfy enum value set",
      ],
    ],
  )(
    'when CreateRepository gets %s, then it is refused with %s',
    async (_, mutability, given, type, message) => {
      const name = `team/refused-${Math.random().toString(36).slice(2, 8)}`;
      const error = await client
        .send(
          new CreateRepositoryCommand({
            repositoryName: name,
            imageTagMutability: mutability,
            imageTagMutabilityExclusionFilters: given,
          }),
        )
        .catch((err: unknown) => err as Error);
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).name).toBe(type);
      expect((error as Error).message).toContain(message);
      expect(endpoint.repositories.has(name)).toBe(false);
    },
  );
});

describe('PutImageTagMutability', () => {
  test('when an IMMUTABLE repository gets main as an exclusion, then it is described so; back to MUTABLE drops the filters', async () => {
    await client.send(
      new CreateRepositoryCommand({ repositoryName: 'team/changed', imageTagMutability: 'IMMUTABLE' }),
    );
    await client.send(
      new PutImageTagMutabilityCommand({
        repositoryName: 'team/changed',
        imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION',
        imageTagMutabilityExclusionFilters: filters('main'),
      }),
    );
    let repo = (await client.send(new DescribeRepositoriesCommand({ repositoryNames: ['team/changed'] })))
      .repositories?.[0];
    expect(repo).toMatchObject({
      imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION',
      imageTagMutabilityExclusionFilters: filters('main'),
    });
    await client.send(
      new PutImageTagMutabilityCommand({ repositoryName: 'team/changed', imageTagMutability: 'MUTABLE' }),
    );
    repo = (await client.send(new DescribeRepositoriesCommand({ repositoryNames: ['team/changed'] })))
      .repositories?.[0];
    expect(repo?.imageTagMutability).toBe('MUTABLE');
    expect(repo?.imageTagMutabilityExclusionFilters).toBeUndefined();
  });
});
