import type { Redis } from 'ioredis';
import type { Config } from './config.js';
import type { Database } from './db/database.js';
import type { Logger } from './logger.js';
import { AuditRepository } from './components/audit/repository.js';
import { AuditService } from './components/audit/service.js';
import { PasswordHasher } from './components/auth/passwords.js';
import { limiterFactory, LoginProtection, UserRequestLimiter } from './components/auth/rate-limit.js';
import { AuthRepository } from './components/auth/repository.js';
import { AuthService } from './components/auth/service.js';
import { AccessTokens } from './components/auth/tokens.js';
import { CaseRepository } from './components/cases/repository.js';
import { CaseService } from './components/cases/service.js';
import { DocumentRepository } from './components/documents/repository.js';
import { DocumentService } from './components/documents/service.js';
import { createStore, S3Store } from './components/documents/storage.js';
import { Readiness, type DependencyCheck } from './components/health/readiness.js';
import { Metrics } from './components/metrics/metrics.js';
import { ConflictClearance } from './components/conflicts/clearance.js';
import { ConflictRepository } from './components/conflicts/repository.js';
import { ConflictService } from './components/conflicts/service.js';
import { PartyRepository } from './components/parties/repository.js';
import { PartyService } from './components/parties/service.js';
import { UserRepository } from './components/users/repository.js';
import { UserService } from './components/users/service.js';
import { AppError } from './errors.js';
import { FreeSpaceGuard } from './free-space.js';
import type { RequestGuards } from './http/route.js';
import { RedisMonitor } from './redis.js';
import { databaseCondition } from './unavailable.js';

/** What the service needs from outside: configuration, an open (migrated) database, a logger, optionally Redis. */
export interface AppDeps {
  config: Config;
  db: Database;
  logger: Logger;
  redis?: Redis | undefined;
}

export interface Services extends AppDeps {
  audit: AuditService;
  auth: AuthService;
  users: UserService;
  cases: CaseService;
  documents: DocumentService;
  hasher: PasswordHasher;
  parties: PartyService;
  conflicts: ConflictService;
  metrics: Metrics;
  /** What every request passes before its handler: the per-user rate limit, room for writes. */
  guards: RequestGuards;
  readiness: Readiness;
  /** Follows the Redis connection (only with REDIS_URL). */
  redisMonitor: RedisMonitor | undefined;
  repositories: {
    users: UserRepository;
    cases: CaseRepository;
    auth: AuthRepository;
    audit: AuditRepository;
  };
}

/** Every service of the app, built here and nowhere else; route modules each get only their own. */
export function createServices(deps: AppDeps): Services {
  const { config, db } = deps;
  const repositories = {
    users: new UserRepository(db),
    cases: new CaseRepository(db),
    auth: new AuthRepository(db),
    audit: new AuditRepository(db),
  };
  const hasher = new PasswordHasher(config.argon2);
  const limiters = limiterFactory(deps.redis, config.redis?.keyPrefix ?? 'legal-service');
  const auth = new AuthService(
    config,
    repositories.users,
    repositories.auth,
    hasher,
    new AccessTokens(config.jwt),
    new LoginProtection(config.login, limiters),
  );
  const checks = new ConflictRepository(db);
  const cases = new CaseService(
    repositories.cases,
    repositories.users,
    auth,
    new ConflictClearance(checks, config.conflicts.required),
  );
  const parties = new PartyRepository(db);
  const metrics = new Metrics(db);
  const redisMonitor = deps.redis ? new RedisMonitor(deps.redis, deps.logger) : undefined;
  if (redisMonitor) metrics.watchRedis(redisMonitor);
  const store = createStore(config.documents);
  // SQLite keeps its file under DATA_DIR: the last of that disk is kept for the audit events of reads.
  const freeSpace =
    db.dialect === 'sqlite' ? new FreeSpaceGuard(config.dataDir, config.minFreeBytes) : undefined;
  const userRequests = new UserRequestLimiter(config.userRequestsPerMinute, limiters);
  return {
    ...deps,
    repositories,
    hasher,
    audit: new AuditService(repositories.audit, () => metrics.auditWriteFailures.inc()),
    auth,
    users: new UserService(repositories.users, repositories.auth, hasher, repositories.cases),
    cases,
    documents: new DocumentService(
      db,
      new DocumentRepository(db),
      cases,
      metrics.countStoreOperations(store),
      config.documents,
      deps.logger,
    ),
    parties: new PartyService(parties, cases),
    conflicts: new ConflictService(checks, parties, cases, config.conflicts.threshold),
    metrics,
    guards: {
      user: (userId) => userRequests.consume(userId),
      write: async () => freeSpace?.check(),
    },
    readiness: new Readiness(dependencyChecks(deps, freeSpace, store), deps.logger),
    redisMonitor,
  };
}

/** What /health/ready checks: the database (able to write), and Redis and S3 when they are configured. */
function dependencyChecks(
  { db, redis }: AppDeps,
  freeSpace: FreeSpaceGuard | undefined,
  store: ReturnType<typeof createStore>,
): DependencyCheck[] {
  const checks: DependencyCheck[] = [
    {
      name: 'database',
      required: true,
      run: async () => {
        await freeSpace?.check();
        await db.probeWrite();
      },
      // Full or read-only when the error says so; any other failure of the check leaves it unusable all the same.
      problem: (err) =>
        (err instanceof AppError ? err.problem : undefined) ??
        databaseCondition(err) ??
        'database-unavailable',
    },
  ];
  if (redis) {
    // Optional: without Redis the rate limits hold per instance, and every request is still served.
    checks.push({
      name: 'redis',
      required: false,
      run: async () => {
        if (redis.status !== 'ready') throw new Error(`not connected (${redis.status})`);
        await redis.ping();
      },
      problem: () => 'unreachable',
    });
  }
  if (store instanceof S3Store) {
    checks.push({
      name: 'documents',
      required: true,
      run: (signal) => store.check(signal),
      problem: () => 'unreachable',
    });
  }
  return checks;
}
