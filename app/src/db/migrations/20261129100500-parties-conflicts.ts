import type { Migration } from '../migration.js';

/** Parties of a case (contacts) and conflict checks with their decision. */
export const up: Migration = async ({ context: queryInterface }) => {
  const db = queryInterface.sequelize;
  const pg = db.getDialect() === 'postgres';
  const id = pg ? 'SERIAL PRIMARY KEY' : 'INTEGER PRIMARY KEY AUTOINCREMENT';
  const ts = pg ? 'TIMESTAMP WITH TIME ZONE' : 'DATETIME';
  const statements = [
    `CREATE TABLE case_parties (
      id ${id},
      case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
      role VARCHAR(20) NOT NULL CHECK (role IN ('client', 'opposing_party', 'opposing_counsel', 'witness')),
      kind VARCHAR(12) NOT NULL CHECK (kind IN ('person', 'organisation')),
      name VARCHAR(300) NOT NULL,
      email VARCHAR(254),
      phone VARCHAR(50),
      address VARCHAR(1000),
      notes TEXT,
      created_by INTEGER NOT NULL REFERENCES users(id),
      created_at ${ts} NOT NULL,
      updated_at ${ts} NOT NULL
    )`,
    'CREATE INDEX case_parties_case ON case_parties (case_id, id)',
    `CREATE TABLE conflict_checks (
      id ${id},
      requested_by INTEGER NOT NULL REFERENCES users(id),
      names TEXT NOT NULL,
      hit_count INTEGER NOT NULL,
      hits TEXT NOT NULL,
      threshold REAL NOT NULL,
      status VARCHAR(10) NOT NULL CHECK (status IN ('pending', 'cleared', 'waived')),
      reason VARCHAR(2000),
      decided_by INTEGER REFERENCES users(id),
      decided_at ${ts},
      claimed_at ${ts},
      case_id INTEGER REFERENCES cases(id) ON DELETE SET NULL,
      created_at ${ts} NOT NULL,
      CHECK ((status = 'pending') = (decided_at IS NULL)),
      CHECK ((status = 'pending') = (reason IS NULL))
    )`,
    'CREATE INDEX conflict_checks_requester ON conflict_checks (requested_by, id)',
  ];
  for (const sql of statements) await db.query(sql);
};

export const down: Migration = async ({ context: queryInterface }) => {
  await queryInterface.dropTable('conflict_checks');
  await queryInterface.dropTable('case_parties');
};
