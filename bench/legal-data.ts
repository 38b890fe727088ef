/**
 * The legal service's benchmark data, shared by bench:api and bench:db-costs: an admin, an attorney responsible
 * for three quarters of `count` cases (the admin for the rest), dates one second apart.
 */
import type { Config } from '../app/src/config.js';
import type { Database } from '../app/src/db/database.js';
import { PasswordHasher } from '../app/src/components/auth/passwords.js';
import { UserRepository } from '../app/src/components/users/repository.js';

export const ATTORNEY_EMAIL = 'bench-attorney@bench.legal';

/** PostgreSQL of this machine (or TEST_DATABASE_URL / PGPASSWORD), as the tests reach it. */
export function pgUrl(): string {
  if (process.env.TEST_DATABASE_URL) return process.env.TEST_DATABASE_URL;
  const pw = process.env.PGPASSWORD ? `:${encodeURIComponent(process.env.PGPASSWORD)}` : '';
  return `postgres://postgres${pw}@127.0.0.1:5432/test`;
}

/** A date as Sequelize writes it into SQLite: 'YYYY-MM-DD HH:mm:ss.SSS +00:00'. */
function sqliteDate(date: Date): string {
  const iso = date.toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)} +00:00`;
}

/** Bulk-inserts the cases with multi-row INSERTs; dates as literals in the format the service itself writes. */
async function seedCases(db: Database, count: number, attorneyId: number, adminId: number): Promise<void> {
  const chunk = 1000;
  const base = Date.now() - count * 1000;
  const statuses = ['open', 'pending', 'closed'];
  for (let start = 0; start < count; start += chunk) {
    const rows: string[] = [];
    for (let i = start; i < Math.min(count, start + chunk); i += 1) {
      const date = new Date(base + i * 1000);
      const at = `'${db.dialect === 'sqlite' ? sqliteDate(date) : date.toISOString()}'`;
      const status = statuses[i % 3]!;
      const closed = status === 'closed' ? at : 'NULL';
      const year = 2000 + Math.floor(i / 99_999);
      const number = `${year}-${String((i % 99_999) + 1).padStart(5, '0')}`;
      rows.push(
        `('${number}', 'Matter ${i} v. Party ${i % 977}', 'Seeded matter ${i}', 'Litigation', '${status}', ${at}, ${at}, ${closed}, 'Client ${i % 5003}', NULL, ${i % 4 === 0 ? adminId : attorneyId}, ${attorneyId}, 1, ${at}, ${at})`,
      );
    }
    await db.sequelize.query(
      `INSERT INTO cases (number, title, description, practice_area, status, opened_at, status_changed_at, closed_at, client_name, client_id,
        responsible_attorney_id, created_by, version, created_at, updated_at) VALUES ${rows.join(', ')}`,
      { transaction: null },
    );
  }
  await db.sequelize.query('ANALYZE', { transaction: null });
}

/** The two users (both with `password`) and the cases; returns the attorney's id. */
export async function seedLegalData(
  db: Database,
  config: Config,
  count: number,
  password: string,
): Promise<{ attorneyId: number }> {
  const users = new UserRepository(db);
  const passwordHash = await new PasswordHasher(config.argon2).hash(password);
  const admin = await users.create({
    email: 'bench-admin@bench.legal',
    name: 'Bench Admin',
    role: 'admin',
    passwordHash,
  });
  const attorney = await users.create({
    email: ATTORNEY_EMAIL,
    name: 'Bench Attorney',
    role: 'attorney',
    passwordHash,
  });
  await seedCases(db, count, attorney.id, admin.id);
  return { attorneyId: attorney.id };
}
