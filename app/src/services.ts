import type { Redis } from 'ioredis';
import type { Config } from './config.js';
import type { Database } from './db/database.js';
import type { Logger } from './logger.js';
import { AuditRepository } from './components/audit/repository.js';
import { AuditService } from './components/audit/service.js';
import { PasswordHasher } from './components/auth/passwords.js';
import { LoginRateLimiter } from './components/auth/rate-limit.js';
import { AuthRepository } from './components/auth/repository.js';
import { AuthService } from './components/auth/service.js';
import { AccessTokens } from './components/auth/tokens.js';
import { CaseRepository } from './components/cases/repository.js';
import { CaseService } from './components/cases/service.js';
import { DocumentRepository } from './components/documents/repository.js';
import { DocumentService } from './components/documents/service.js';
import { createStore } from './components/documents/storage.js';
import { Metrics } from './components/metrics/metrics.js';
import { ConflictClearance } from './components/conflicts/clearance.js';
import { ConflictRepository } from './components/conflicts/repository.js';
import { ConflictService } from './components/conflicts/service.js';
import { PartyRepository } from './components/parties/repository.js';
import { PartyService } from './components/parties/service.js';
import { UserRepository } from './components/users/repository.js';
import { UserService } from './components/users/service.js';

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
  const limiter = new LoginRateLimiter(config.login, deps.redis, config.redis?.keyPrefix ?? 'legal-service');
  const auth = new AuthService(
    config,
    repositories.users,
    repositories.auth,
    hasher,
    new AccessTokens(config.jwt),
    limiter,
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
      metrics.countStoreOperations(createStore(config.documents)),
      config.documents,
      deps.logger,
    ),
    parties: new PartyService(parties, cases),
    conflicts: new ConflictService(checks, parties, cases, config.conflicts.threshold),
    metrics,
  };
}
