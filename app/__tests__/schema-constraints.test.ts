import { beforeAll, describe, expect, test } from '@jest/globals';
import { createCase, type CreatedCase } from './helpers/api.js';
import { backends, cast } from './helpers/harness.js';

describe.each(await backends())('constraints of the schema on %s', (backend) => {
  const { h, admin, attorney } = cast(backend, { admin: 'admin', attorney: 'attorney' });
  let caseA: CreatedCase;
  beforeAll(async () => {
    caseA = await createCase(h, attorney, { title: 'Smith v. Jones', clientName: 'Smith Ltd' });
  });

  test('when rows break a foreign key or a unique constraint, then the database refuses them', async () => {
    const now = new Date();
    await expect(
      h.db.run(
        'INSERT INTO case_members (case_id, user_id, role, added_by, added_at) VALUES (:c, 999999, :r, :a, :now)',
        { c: caseA.id, r: 'client', a: admin.id, now },
      ),
    ).rejects.toThrow();
    await expect(
      h.db.run(
        "INSERT INTO users (email, name, password_hash, role, active, failed_logins, created_at, updated_at) VALUES (:e, 'n', 'h', 'client', :t, 0, :now, :now)",
        { e: admin.email, t: true, now },
      ),
    ).rejects.toThrow();
    await expect(
      h.db.run("UPDATE cases SET status = 'archived' WHERE id = :id", { id: caseA.id }),
    ).rejects.toThrow();
  });
});
