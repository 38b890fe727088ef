import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/** Thrown when the environment does not describe a valid configuration; the message names the variable. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Media types accepted for documents unless DOCUMENT_TYPES says otherwise (as sniffed from the bytes). */
export const DEFAULT_DOCUMENT_TYPES = [
  'application/pdf',
  'image/png',
  'image/jpeg',
  'image/tiff',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.oasis.opendocument.text',
  'application/rtf',
];

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

/** Every variable the service reads. Each one is documented in app/README.md (a test keeps them equal). */
const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: int(0, 65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'expected a postgres:// or postgresql:// URL')
    .optional(),
  DATABASE_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'expected a lower-case SQL identifier')
    .optional(),
  DATABASE_POOL_MAX: int(1, 1000).default(10),
  DATABASE_POOL_MIN: int(0, 1000).default(0),
  DATABASE_POOL_ACQUIRE_MS: int(100, 600_000).default(10_000),
  DATABASE_POOL_IDLE_MS: int(100, 600_000).default(10_000),
  DATABASE_STATEMENT_TIMEOUT_MS: int(0, 600_000).default(15_000),
  DATABASE_SSL: bool.default(false),
  DATABASE_CONNECT_ATTEMPTS: int(1, 1000).default(10),
  DATA_DIR_MIN_FREE_MB: int(0, 1_048_576).default(64),
  JWT_SECRET: z.string().min(32, 'expected at least 32 characters').optional(),
  JWT_SECRET_FILE: z.string().min(1).optional(),
  JWT_ISSUER: z.string().min(1).default('legal-service'),
  JWT_AUDIENCE: z.string().min(1).default('legal-api'),
  ACCESS_TOKEN_TTL_SECONDS: int(30, 86_400).default(900),
  REFRESH_TOKEN_TTL_SECONDS: int(60, 90 * 86_400).default(14 * 86_400),
  ARGON2_MEMORY_KIB: int(1024, 4_194_304).default(19_456),
  ARGON2_TIME_COST: int(2, 100).default(2),
  ARGON2_PARALLELISM: int(1, 16).default(1),
  LOGIN_FREE_FAILURES: int(0, 1000).default(3),
  LOGIN_MAX_DELAY_SECONDS: int(1, 86_400).default(900),
  LOGIN_MAX_FAILURES: int(1, 10_000).default(50),
  LOGIN_LOCKOUT_SECONDS: int(1, 86_400).default(900),
  RATE_LIMIT_LOGIN_PER_IP: int(1, 1_000_000).default(50),
  RATE_LIMIT_WINDOW_SECONDS: int(1, 86_400).default(900),
  RATE_LIMIT_USER_PER_MINUTE: int(1, 1_000_000).default(600),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'expected a redis:// or rediss:// URL')
    .optional(),
  REDIS_KEY_PREFIX: z.string().min(1).default('legal-service'),
  REDIS_TIMEOUT_MS: int(10, 60_000).default(500),
  BODY_LIMIT: z
    .string()
    .regex(/^\d+(b|kb|mb)$/i, "expected a size such as '100kb' or '1mb'")
    .default('100kb'),
  TRUST_PROXY: z.string().default('false'),
  SHUTDOWN_TIMEOUT_MS: int(0, 600_000).default(10_000),
  ADMIN_EMAIL: z.email().optional(),
  ADMIN_PASSWORD: z.string().min(12, 'expected at least 12 characters').optional(),
  ADMIN_NAME: z.string().min(1).default('Administrator'),
  DEMO_DATA: bool.optional(),
  DOCUMENT_MAX_BYTES: int(1, 5 * 1024 ** 4).default(25 * 1024 * 1024),
  DOCUMENT_TYPES: z
    .string()
    .regex(
      /^\s*[\w.+-]+\/[\w.+-]+\s*(,\s*[\w.+-]+\/[\w.+-]+\s*)*$/,
      "expected a comma-separated list of media types such as 'application/pdf,image/png'",
    )
    .default(DEFAULT_DOCUMENT_TYPES.join(',')),
  S3_BUCKET: z
    .string()
    .regex(
      /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
      'expected an S3 bucket name (3-63 lower-case letters, digits, dots, hyphens)',
    )
    .optional(),
  S3_PREFIX: z.string().max(200, 'expected at most 200 characters').default('documents/'),
  S3_REGION: z.string().min(1).optional(),
  S3_ENDPOINT: z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' }).optional(),
  S3_FORCE_PATH_STYLE: bool.default(false),
  S3_TIMEOUT_MS: int(100, 600_000).default(10_000),
  REQUIRE_CONFLICT_CHECK: bool.default(false),
  CONFLICT_MATCH_THRESHOLD: z.coerce
    .number('expected a number between 0.5 and 1')
    .min(0.5, 'expected a number between 0.5 and 1')
    .max(1, 'expected a number between 0.5 and 1')
    .default(0.85),
  METRICS_TOKEN: z.string().min(16, 'expected at least 16 characters').optional(),
  METRICS_PORT: int(0, 65535).optional(),
});

export type Env = z.infer<typeof schema>;

/** The names of every environment variable the service reads. */
export const ENV_VARIABLES: readonly string[] = Object.keys(schema.shape);

export interface Config {
  env: Env['NODE_ENV'];
  port: number;
  host: string;
  logLevel: Env['LOG_LEVEL'];
  version: string;
  /** DATA_DIR, absolute: the SQLite file, local documents and the demo credentials live under it. */
  dataDir: string;
  /** Write requests are refused (503) when DATA_DIR holds the database and has less free space than this. */
  minFreeBytes: number;
  /** How many times the database is tried at start before the service gives up. */
  connectAttempts: number;
  database:
    | { dialect: 'sqlite'; storage: string }
    | {
        dialect: 'postgres';
        url: string;
        schema: string | undefined;
        ssl: boolean;
        pool: { max: number; min: number; acquireMs: number; idleMs: number };
        statementTimeoutMs: number;
      };
  jwt: {
    /** undefined outside production when no secret is configured: an ephemeral key is generated at start. */
    secret: string | undefined;
    issuer: string;
    audience: string;
    accessTtlSeconds: number;
    refreshTtlSeconds: number;
  };
  argon2: { memoryCost: number; timeCost: number; parallelism: number };
  login: {
    /** Wrong passwords per account and address before each further attempt must wait (1 s, 2 s, 4 s, ...). */
    freeFailures: number;
    maxDelaySeconds: number;
    /** Wrong passwords per account, from any address, that lock it for addresses it has not signed in from. */
    maxFailures: number;
    lockoutSeconds: number;
    perIp: number;
    windowSeconds: number;
  };
  /** Requests per authenticated user and minute (shared through Redis when configured). */
  userRequestsPerMinute: number;
  redis: { url: string; keyPrefix: string; timeoutMs: number } | undefined;
  bodyLimit: string;
  trustProxy: boolean | number | string;
  shutdownTimeoutMs: number;
  admin: { email: string; password: string; name: string } | undefined;
  demoData: boolean;
  documents: {
    maxBytes: number;
    allowedTypes: string[];
    /** Local storage directory (used when s3 is undefined). */
    dir: string;
    s3:
      | {
          bucket: string;
          prefix: string;
          region: string | undefined;
          endpoint: string | undefined;
          forcePathStyle: boolean;
          timeoutMs: number;
        }
      | undefined;
  };
  /** POST /cases requires a cleared or waived conflict check; hits score at least `threshold` (0.5-1). */
  conflicts: { required: boolean; threshold: number };
  /** GET /metrics: bearer `token` on the API port, and/or its own listener on `port`; neither: off. */
  metrics: { token: string | undefined; port: number | undefined };
}

function describeIssue(issue: z.core.$ZodIssue, env: NodeJS.ProcessEnv): string {
  const name = String(issue.path[0] ?? '');
  const raw = env[name];
  const got =
    raw === undefined
      ? 'it is not set'
      : name.includes('SECRET') || name.includes('PASSWORD') || name.includes('TOKEN')
        ? 'got a value that does not fit'
        : `got '${raw}'`;
  return `${name}: ${issue.message} (${got})`;
}

function parseTrustProxy(value: string): boolean | number | string {
  if (value === 'true') return true;
  if (value === 'false' || value === '') return false;
  if (/^\d+$/.test(value)) return Number(value);
  return value;
}

/** Reads and validates the environment once. Throws ConfigError naming each bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, version = '0.0.0'): Config {
  // An empty variable counts as unset, as in most twelve-factor tooling.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => describeIssue(i, env));
    throw new ConfigError(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  const e = parsed.data;
  let secret = e.JWT_SECRET;
  if (secret === undefined && e.JWT_SECRET_FILE !== undefined) {
    try {
      secret = readFileSync(e.JWT_SECRET_FILE, 'utf8').trim();
    } catch (err) {
      throw new ConfigError(
        `JWT_SECRET_FILE: cannot read '${e.JWT_SECRET_FILE}' (${(err as Error).message})`,
      );
    }
    if (secret.length < 32)
      throw new ConfigError('JWT_SECRET_FILE: expected a file holding at least 32 characters');
  }
  if (secret === undefined && e.NODE_ENV === 'production') {
    throw new ConfigError(
      'JWT_SECRET: required when NODE_ENV=production (set JWT_SECRET to at least 32 random characters, or JWT_SECRET_FILE to a file holding it)',
    );
  }
  if ((e.ADMIN_EMAIL === undefined) !== (e.ADMIN_PASSWORD === undefined)) {
    throw new ConfigError(
      `${e.ADMIN_EMAIL === undefined ? 'ADMIN_EMAIL' : 'ADMIN_PASSWORD'}: required when ${e.ADMIN_EMAIL === undefined ? 'ADMIN_PASSWORD' : 'ADMIN_EMAIL'} is set`,
    );
  }
  if (e.DATABASE_POOL_MIN > e.DATABASE_POOL_MAX) {
    throw new ConfigError(
      `DATABASE_POOL_MIN: expected at most DATABASE_POOL_MAX (${e.DATABASE_POOL_MAX}), got '${e.DATABASE_POOL_MIN}'`,
    );
  }
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    logLevel: e.LOG_LEVEL,
    version,
    dataDir: path.resolve(e.DATA_DIR),
    minFreeBytes: e.DATA_DIR_MIN_FREE_MB * 1024 * 1024,
    connectAttempts: e.DATABASE_CONNECT_ATTEMPTS,
    database:
      e.DATABASE_URL === undefined
        ? { dialect: 'sqlite', storage: path.resolve(e.DATA_DIR, 'legal.sqlite') }
        : {
            dialect: 'postgres',
            url: e.DATABASE_URL,
            schema: e.DATABASE_SCHEMA,
            ssl: e.DATABASE_SSL,
            pool: {
              max: e.DATABASE_POOL_MAX,
              min: e.DATABASE_POOL_MIN,
              acquireMs: e.DATABASE_POOL_ACQUIRE_MS,
              idleMs: e.DATABASE_POOL_IDLE_MS,
            },
            statementTimeoutMs: e.DATABASE_STATEMENT_TIMEOUT_MS,
          },
    jwt: {
      secret,
      issuer: e.JWT_ISSUER,
      audience: e.JWT_AUDIENCE,
      accessTtlSeconds: e.ACCESS_TOKEN_TTL_SECONDS,
      refreshTtlSeconds: e.REFRESH_TOKEN_TTL_SECONDS,
    },
    argon2: {
      memoryCost: e.ARGON2_MEMORY_KIB,
      timeCost: e.ARGON2_TIME_COST,
      parallelism: e.ARGON2_PARALLELISM,
    },
    login: {
      freeFailures: e.LOGIN_FREE_FAILURES,
      maxDelaySeconds: e.LOGIN_MAX_DELAY_SECONDS,
      maxFailures: e.LOGIN_MAX_FAILURES,
      lockoutSeconds: e.LOGIN_LOCKOUT_SECONDS,
      perIp: e.RATE_LIMIT_LOGIN_PER_IP,
      windowSeconds: e.RATE_LIMIT_WINDOW_SECONDS,
    },
    userRequestsPerMinute: e.RATE_LIMIT_USER_PER_MINUTE,
    redis:
      e.REDIS_URL === undefined
        ? undefined
        : { url: e.REDIS_URL, keyPrefix: e.REDIS_KEY_PREFIX, timeoutMs: e.REDIS_TIMEOUT_MS },
    bodyLimit: e.BODY_LIMIT,
    trustProxy: parseTrustProxy(e.TRUST_PROXY),
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    admin:
      e.ADMIN_EMAIL !== undefined && e.ADMIN_PASSWORD !== undefined
        ? { email: e.ADMIN_EMAIL.toLowerCase(), password: e.ADMIN_PASSWORD, name: e.ADMIN_NAME }
        : undefined,
    demoData: e.DEMO_DATA ?? e.NODE_ENV !== 'production',
    documents: {
      maxBytes: e.DOCUMENT_MAX_BYTES,
      allowedTypes: e.DOCUMENT_TYPES.split(',').map((t) => t.trim().toLowerCase()),
      dir: path.resolve(e.DATA_DIR, 'documents'),
      s3:
        e.S3_BUCKET === undefined
          ? undefined
          : {
              bucket: e.S3_BUCKET,
              prefix: e.S3_PREFIX,
              region: e.S3_REGION,
              endpoint: e.S3_ENDPOINT,
              forcePathStyle: e.S3_FORCE_PATH_STYLE,
              timeoutMs: e.S3_TIMEOUT_MS,
            },
    },
    conflicts: { required: e.REQUIRE_CONFLICT_CHECK, threshold: e.CONFLICT_MATCH_THRESHOLD },
    metrics: { token: e.METRICS_TOKEN, port: e.METRICS_PORT },
  };
}
