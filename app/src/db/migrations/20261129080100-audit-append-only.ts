import type { Migration } from '../migration.js';

/** The audit trail is append-only: the database itself refuses UPDATE and DELETE (and TRUNCATE on PostgreSQL). */
export const up: Migration = async ({ context: queryInterface }) => {
  const db = queryInterface.sequelize;
  if (db.getDialect() === 'postgres') {
    await db.query(`CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END
      $fn$`);
    await db.query(`CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON audit_events
      FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()`);
    await db.query(`CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
      FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()`);
    return;
  }
  await db.query(`CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
    BEGIN SELECT RAISE(ABORT, 'audit_events is append-only: UPDATE refused'); END`);
  await db.query(`CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
    BEGIN SELECT RAISE(ABORT, 'audit_events is append-only: DELETE refused'); END`);
};

export const down: Migration = async ({ context: queryInterface }) => {
  const db = queryInterface.sequelize;
  if (db.getDialect() === 'postgres') {
    await db.query('DROP TRIGGER IF EXISTS audit_events_no_truncate ON audit_events');
    await db.query('DROP TRIGGER IF EXISTS audit_events_no_change ON audit_events');
    await db.query('DROP FUNCTION IF EXISTS audit_events_append_only()');
    return;
  }
  await db.query('DROP TRIGGER IF EXISTS audit_events_no_delete');
  await db.query('DROP TRIGGER IF EXISTS audit_events_no_update');
};
