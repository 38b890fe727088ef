/**
 * The deployment's settings, read once from CDK context (`cdk.json` or `-c key=value`) and validated, so a
 * wrong value fails the synthesis with a message that names the context key and says what was expected.
 */
import { z } from 'zod';

const NAME = /^[a-z][a-z0-9-]{0,31}$/;

export interface EnvironmentConfig {
  /** GitHub environment name; also the value of the instances' environment tag. */
  name: string;
  /** Parameter Store path whose parameters become the container's environment (ssm-rollout's env-parameters-path). */
  parametersPath: string;
  /** ssm-rollout's release-parameter. */
  releaseParameter: string;
  /** ssm-rollout's lock-parameter. */
  lockParameter: string;
}

export interface InfraConfig {
  /** GitHub owner and repository whose workflow runs may assume the roles. */
  owner: string;
  repo: string;
  account?: string;
  region?: string;
  /** ECR repository name (ecr-push's repository input). */
  repository: string;
  /** The container name on the instances (ssm-rollout's container-name); names the parameter paths. */
  service: string;
  environments: EnvironmentConfig[];
  /** Tag key that carries the environment name on each EC2 instance (ssm-rollout's `tag:KEY=NAME` target). */
  instanceTagKey: string;
  /** The branch whose workflow runs push images (deploy.yml's build job) and run the nightly scan. */
  pushBranch: string;
  /** The environment whose live release the nightly scan reads. */
  scanEnvironment: string;
  /** An existing GitHub OIDC provider in the account; empty: the shared stack creates one. */
  oidcProviderArn?: string;
  /** Tags excluded from tag immutability in the repository (they move to each new image). */
  mutableTags: string[];
  /** Images kept by the repository's lifecycle rule (ecr-push's keep-last=N). */
  keepImages: number;
  /** Optional e-mail address subscribed to the notification topic. */
  notificationEmail?: string;
}

/** Environment paths as deploy.yml passes them to ssm-rollout. */
export function environmentDefaults(service: string, name: string): EnvironmentConfig {
  return {
    name,
    parametersPath: `/${service}/${name}/env`,
    releaseParameter: `/${service}/${name}/release`,
    lockParameter: `/${service}/${name}/lock`,
  };
}

const list = (value: string) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

const schema = z.object({
  owner: z
    .string({ error: 'is required: the GitHub owner (user or organization) of the repository' })
    .regex(/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/, 'expected a GitHub user or organization name'),
  repo: z
    .string({ error: 'is required: the GitHub repository name' })
    .regex(/^[A-Za-z0-9._-]{1,100}$/, 'expected a GitHub repository name'),
  account: z
    .string()
    .regex(/^\d{12}$/, 'expected a 12-digit AWS account ID')
    .optional(),
  region: z
    .string()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'expected an AWS region such as eu-west-1')
    .optional(),
  repository: z
    .string()
    .regex(
      /^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/,
      'expected an ECR repository name (lowercase letters, digits, . _ - and /)',
    )
    .default('legal-service'),
  service: z.string().regex(NAME, 'expected a lowercase name (letters, digits, -)').default('legal-service'),
  environments: z
    .string()
    .default('staging,production')
    .transform(list)
    .pipe(
      z
        .array(z.string().regex(NAME, 'expected lowercase names (letters, digits, -), comma separated'))
        .min(1, 'expected at least one environment name'),
    ),
  instanceTagKey: z
    .string()
    .regex(/^[A-Za-z0-9_.:/=+@-]{1,128}$/, 'expected an EC2 tag key')
    .default('Environment'),
  pushBranch: z
    .string()
    .regex(/^[A-Za-z0-9._/-]+$/, 'expected a branch name')
    .default('main'),
  scanEnvironment: z.string().optional(),
  oidcProviderArn: z
    .string()
    .regex(
      /^arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/,
      'expected the ARN of the token.actions.githubusercontent.com OIDC provider',
    )
    .optional(),
  mutableTags: z
    .string()
    .default('main')
    .transform(list)
    .pipe(z.array(z.string().regex(/^[A-Za-z0-9_.*-]{1,128}$/, 'expected tag names or wildcards'))),
  keepImages: z.coerce
    .number()
    .int('expected a whole number')
    .min(1, 'expected at least 1')
    .max(10000, 'expected at most 10000')
    .default(50),
  notificationEmail: z.email('expected an e-mail address').optional(),
});

export class ConfigError extends Error {}

/** `get(key)` returns the raw context value (string or undefined). */
export function readConfig(get: (key: string) => unknown): InfraConfig {
  const raw: Record<string, string> = {};
  for (const key of Object.keys(schema.shape)) {
    const value = get(key);
    if (value !== undefined && value !== '') raw[key] = String(value);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map(
      (issue) =>
        `context '${issue.path.join('.')}': ${issue.message}, got ${JSON.stringify(raw[String(issue.path[0])] ?? null)}`,
    );
    throw new ConfigError(
      `Invalid CDK context (set it in infra/cdk.json or with -c key=value):\n${lines.join('\n')}`,
    );
  }
  const { environments, scanEnvironment, ...rest } = parsed.data;
  const scan = scanEnvironment ?? environments[environments.length - 1]!;
  if (!environments.includes(scan)) {
    throw new ConfigError(
      `Invalid CDK context: context 'scanEnvironment': expected one of the environments (${environments.join(', ')}), got "${scan}"`,
    );
  }
  return {
    ...rest,
    environments: environments.map((name) => environmentDefaults(rest.service, name)),
    scanEnvironment: scan,
  };
}
