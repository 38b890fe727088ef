import type { Migration } from '../migration.js';

/** Documents of a case with immutable versions, a trash (deleted_at), and legal holds on cases. */
export const up: Migration = async ({ context: queryInterface }) => {
  const db = queryInterface.sequelize;
  const pg = db.getDialect() === 'postgres';
  const id = pg ? 'SERIAL PRIMARY KEY' : 'INTEGER PRIMARY KEY AUTOINCREMENT';
  const ts = pg ? 'TIMESTAMP WITH TIME ZONE' : 'DATETIME';
  const statements = [
    `CREATE TABLE documents (
      id ${id},
      case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
      name VARCHAR(255) NOT NULL,
      created_by INTEGER NOT NULL REFERENCES users(id),
      created_at ${ts} NOT NULL,
      updated_at ${ts} NOT NULL,
      deleted_at ${ts},
      deleted_by INTEGER REFERENCES users(id),
      UNIQUE (case_id, name)
    )`,
    'CREATE INDEX documents_case_name ON documents (case_id, name, id)',
    `CREATE TABLE document_versions (
      id ${id},
      document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
      version INTEGER NOT NULL CHECK (version >= 1),
      size BIGINT NOT NULL CHECK (size >= 0),
      sha256 CHAR(64) NOT NULL,
      content_type VARCHAR(127) NOT NULL,
      storage_key VARCHAR(400) NOT NULL UNIQUE,
      created_by INTEGER NOT NULL REFERENCES users(id),
      created_at ${ts} NOT NULL,
      UNIQUE (document_id, version)
    )`,
    `CREATE TABLE case_legal_holds (
      case_id INTEGER PRIMARY KEY REFERENCES cases(id) ON DELETE CASCADE,
      reason VARCHAR(1000) NOT NULL,
      set_by INTEGER NOT NULL REFERENCES users(id),
      set_at ${ts} NOT NULL
    )`,
  ];
  for (const sql of statements) await db.query(sql);
};

export const down: Migration = async ({ context: queryInterface }) => {
  for (const table of ['case_legal_holds', 'document_versions', 'documents']) {
    await queryInterface.dropTable(table);
  }
};
