import type { Migration } from '../migration.js';
import { ROLES, PERMISSIONS, ROLE_PERMISSIONS } from '../../components/auth/permissions.js';

/**
 * Users, roles and permissions, refresh tokens, cases, members, ethical walls and the audit trail. The tables
 * are written as SQL (through the QueryInterface's Sequelize) because createTable cannot state their CHECK
 * constraints, and a migration that has run must keep producing the schema it produced then.
 */
export const up: Migration = async ({ context: queryInterface }) => {
  const db = queryInterface.sequelize;
  const pg = db.getDialect() === 'postgres';
  const id = pg ? 'SERIAL PRIMARY KEY' : 'INTEGER PRIMARY KEY AUTOINCREMENT';
  const ts = pg ? 'TIMESTAMP WITH TIME ZONE' : 'DATETIME';
  const bool = 'BOOLEAN';
  const statements = [
    `CREATE TABLE roles (
      name VARCHAR(32) PRIMARY KEY,
      description VARCHAR(200) NOT NULL
    )`,
    `CREATE TABLE permissions (
      name VARCHAR(64) PRIMARY KEY,
      description VARCHAR(200) NOT NULL
    )`,
    `CREATE TABLE role_permissions (
      role VARCHAR(32) NOT NULL REFERENCES roles(name) ON DELETE CASCADE,
      permission VARCHAR(64) NOT NULL REFERENCES permissions(name) ON DELETE CASCADE,
      PRIMARY KEY (role, permission)
    )`,
    `CREATE TABLE users (
      id ${id},
      email VARCHAR(254) NOT NULL UNIQUE,
      name VARCHAR(200) NOT NULL,
      password_hash VARCHAR(255) NOT NULL,
      role VARCHAR(32) NOT NULL REFERENCES roles(name),
      active ${bool} NOT NULL DEFAULT TRUE,
      failed_logins INTEGER NOT NULL DEFAULT 0,
      locked_until ${ts},
      created_at ${ts} NOT NULL,
      updated_at ${ts} NOT NULL
    )`,
    `CREATE TABLE refresh_tokens (
      id ${id},
      user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      family VARCHAR(64) NOT NULL,
      token_hash VARCHAR(64) NOT NULL UNIQUE,
      expires_at ${ts} NOT NULL,
      created_at ${ts} NOT NULL,
      used_at ${ts},
      revoked_at ${ts}
    )`,
    'CREATE INDEX refresh_tokens_family ON refresh_tokens (family)',
    'CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id)',
    `CREATE TABLE case_counters (
      year INTEGER PRIMARY KEY,
      last INTEGER NOT NULL
    )`,
    `CREATE TABLE cases (
      id ${id},
      number VARCHAR(16) NOT NULL UNIQUE,
      title VARCHAR(300) NOT NULL,
      description TEXT,
      practice_area VARCHAR(100),
      status VARCHAR(10) NOT NULL CHECK (status IN ('open', 'pending', 'closed')),
      opened_at ${ts} NOT NULL,
      status_changed_at ${ts} NOT NULL,
      closed_at ${ts},
      client_name VARCHAR(200) NOT NULL,
      client_id INTEGER REFERENCES users(id),
      responsible_attorney_id INTEGER NOT NULL REFERENCES users(id),
      created_by INTEGER NOT NULL REFERENCES users(id),
      version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
      created_at ${ts} NOT NULL,
      updated_at ${ts} NOT NULL,
      CHECK ((status = 'closed') = (closed_at IS NOT NULL))
    )`,
    'CREATE INDEX cases_updated ON cases (updated_at, id)',
    'CREATE INDEX cases_created ON cases (created_at, id)',
    'CREATE INDEX cases_title ON cases (title, id)',
    'CREATE INDEX cases_attorney ON cases (responsible_attorney_id)',
    'CREATE INDEX cases_status ON cases (status)',
    `CREATE TABLE case_members (
      case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
      user_id INTEGER NOT NULL REFERENCES users(id),
      role VARCHAR(32) NOT NULL REFERENCES roles(name),
      added_by INTEGER NOT NULL REFERENCES users(id),
      added_at ${ts} NOT NULL,
      PRIMARY KEY (case_id, user_id)
    )`,
    'CREATE INDEX case_members_user ON case_members (user_id, case_id)',
    `CREATE TABLE ethical_walls (
      case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
      user_id INTEGER NOT NULL REFERENCES users(id),
      reason VARCHAR(1000) NOT NULL,
      created_by INTEGER NOT NULL REFERENCES users(id),
      created_at ${ts} NOT NULL,
      PRIMARY KEY (case_id, user_id)
    )`,
    'CREATE INDEX ethical_walls_user ON ethical_walls (user_id, case_id)',
    `CREATE TABLE audit_events (
      id ${id},
      occurred_at ${ts} NOT NULL,
      actor_id INTEGER REFERENCES users(id),
      action VARCHAR(64) NOT NULL,
      entity VARCHAR(32) NOT NULL,
      entity_id VARCHAR(64),
      outcome VARCHAR(10) NOT NULL CHECK (outcome IN ('success', 'denied', 'failure')),
      status INTEGER NOT NULL,
      request_id VARCHAR(128),
      ip VARCHAR(64),
      details TEXT
    )`,
    'CREATE INDEX audit_events_time ON audit_events (occurred_at, id)',
    'CREATE INDEX audit_events_actor ON audit_events (actor_id, id)',
    'CREATE INDEX audit_events_entity ON audit_events (entity, entity_id)',
  ];
  for (const sql of statements) await db.query(sql);
  const rows = (entries: Record<string, string>) =>
    Object.entries(entries).map(([name, description]) => ({ name, description }));
  await queryInterface.bulkInsert('roles', rows(ROLES));
  await queryInterface.bulkInsert('permissions', rows(PERMISSIONS));
  await queryInterface.bulkInsert(
    'role_permissions',
    Object.entries(ROLE_PERMISSIONS).flatMap(([role, permissions]) =>
      permissions.map((permission) => ({ role, permission })),
    ),
  );
};

export const down: Migration = async ({ context: queryInterface }) => {
  for (const table of [
    'audit_events',
    'ethical_walls',
    'case_members',
    'cases',
    'case_counters',
    'refresh_tokens',
    'users',
    'role_permissions',
    'permissions',
    'roles',
  ]) {
    await queryInterface.dropTable(table);
  }
};
