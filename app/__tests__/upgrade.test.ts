/**
 * Databases made by the released service (fixtures/release-0.1.0: a SQLite file and a PostgreSQL dump made by
 * that release's own API, with their document files) are upgraded in place by this code's migrator and then
 * served: every row the release wrote reads back through the API, and new writes land beside them.
 */
import { afterAll, describe, expect, test } from '@jest/globals';
import { cpSync, readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import request from 'supertest';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrator.js';
import { createLogger } from '../src/logger.js';
import { USERS, PASSWORD } from './fixtures/release-0.1.0/users.js';
import { sha256 } from './helpers/documents.js';
import { backends, postgresUrl, testEnv, type Backend } from './helpers/harness.js';
import { Sql } from './helpers/sql.js';

const FIXTURE = path.join(import.meta.dirname, 'fixtures', 'release-0.1.0');

/** Lays the release's database where `env` points: the SQLite file, or the dump loaded into the test schema. */
async function restore(backend: Backend, env: Record<string, string>): Promise<void> {
  cpSync(path.join(FIXTURE, backend, 'documents'), path.join(env.DATA_DIR!, 'documents'), {
    recursive: true,
  });
  if (backend === 'sqlite') {
    cpSync(path.join(FIXTURE, 'sqlite', 'legal.sqlite'), path.join(env.DATA_DIR!, 'legal.sqlite'));
    return;
  }
  // psql's meta-commands (\restrict) are for psql only; the rest is plain SQL, one schema renamed.
  const dump = readFileSync(path.join(FIXTURE, 'postgres', 'dump.sql'), 'utf8')
    .split('\n')
    .filter((line) => !line.startsWith('\\'))
    .join('\n')
    .replaceAll('release_fixture', env.DATABASE_SCHEMA!);
  const client = new pg.Client({ connectionString: postgresUrl() });
  await client.connect();
  try {
    await client.query(dump);
  } finally {
    await client.end();
  }
}

describe.each(await backends())('a database of release 0.1.0 on %s', (backend) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of cleanups) await c();
  });

  test('when this release migrates it in place, then every record reads back through the API and new writes work', async () => {
    const { env, cleanup } = testEnv(backend);
    cleanups.push(cleanup);
    await restore(backend, env);
    const config = loadConfig(env, '0.0.0-test');
    const database = await openDatabase(config.database);
    cleanups.unshift(() => database.close().catch(() => undefined));
    // Nothing new to apply to a database the release made: its migrations table is this release's.
    expect(await migrateToLatest(database)).toEqual([]);
    const app = createApp({ config, db: database, logger: createLogger('silent') });
    const http = () => request(app);
    const tokens: Record<string, string> = {};
    for (const u of USERS) {
      const res = await http().post('/auth/login').send({ email: u.email, password: PASSWORD });
      expect(res.status).toBe(200);
      tokens[u.role] = res.body.accessToken as string;
    }
    const as = (role: string) => ({ Authorization: `Bearer ${tokens[role]}` });

    const me = await http().get('/users/me').set(as('client'));
    expect(me.body).toMatchObject({ email: 'client@release.test', role: 'client', active: true });
    const users = await http().get('/users').set(as('admin'));
    expect(users.body.data.map((u: { email: string }) => u.email).sort()).toEqual(
      USERS.map((u) => u.email).sort(),
    );

    const list = await http().get('/cases?sort=title').set(as('attorney'));
    expect(list.status).toBe(200);
    expect(
      list.body.data.map((c: { title: string; status: string; version: number }) => [
        c.title,
        c.status,
        c.version,
      ]),
    ).toEqual([
      ['Estate of Doe', 'closed', 2],
      ['Smith v. Jones', 'pending', 2],
      ['Widget merger', 'open', 1],
    ]);
    const smith = list.body.data.find((c: { title: string }) => c.title === 'Smith v. Jones') as {
      id: number;
      number: string;
      clientId: number;
      openedAt: string;
      updatedAt: string;
    };
    expect(smith.number).toMatch(/^\d{4}-00001$/);
    expect(Date.parse(smith.updatedAt)).toBeGreaterThan(Date.parse(smith.openedAt));
    const widget = list.body.data.find((c: { title: string }) => c.title === 'Widget merger') as {
      id: number;
    };
    // The release's wall still bars the paralegal; its membership still grants Smith v. Jones.
    expect((await http().get(`/cases/${widget.id}`).set(as('paralegal'))).status).toBe(404);
    expect((await http().get(`/cases/${smith.id}`).set(as('paralegal'))).status).toBe(200);
    const members = await http().get(`/cases/${smith.id}/members`).set(as('attorney'));
    expect(members.body.data.map((m: { email: string; role: string }) => [m.email, m.role])).toEqual([
      ['paralegal@release.test', 'paralegal'],
      ['client@release.test', 'client'],
    ]);
    const parties = await http().get(`/cases/${smith.id}/parties`).set(as('attorney'));
    expect(parties.body.data).toMatchObject([
      { name: 'Jones & Co. GmbH', role: 'opposing_party', kind: 'organisation', phone: '+49 30 1234567' },
    ]);
    const hold = await http().get(`/cases/${smith.id}/legal-hold`).set(as('attorney'));
    expect(hold.body).toMatchObject({ active: true, reason: 'Litigation pending' });

    const documents = await http().get(`/cases/${smith.id}/documents`).set(as('attorney'));
    expect(
      documents.body.data.map((d: { name: string; latest: { version: number; size: number } }) => [
        d.name,
        d.latest.version,
        d.latest.size,
      ]),
    ).toEqual([['contract.pdf', 2, 2500]]);
    const trashed = await http().get(`/cases/${smith.id}/documents?trashed=true`).set(as('attorney'));
    expect(trashed.body.data.map((d: { name: string }) => d.name)).toEqual(['draft.pdf']);
    const contract = documents.body.data[0] as { id: number; latest: { sha256: string } };
    const download = await http()
      .get(`/documents/${contract.id}/download?version=1`)
      .set(as('attorney'))
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect(download.status).toBe(200);
    const versions = await http().get(`/documents/${contract.id}/versions`).set(as('attorney'));
    expect(sha256(download.body as Buffer)).toBe(
      versions.body.data.find((v: { version: number }) => v.version === 1).sha256,
    );

    const audit = await http().get('/audit?action=case.create').set(as('auditor'));
    expect(audit.body.data).toHaveLength(3);
    const sql = new Sql(database);
    const failed = await sql.one<{ failed_logins: unknown }>(
      "SELECT failed_logins FROM users WHERE email = 'client@release.test'",
    );
    // The release counted one failed login; this test's successful login reset it.
    expect(Number(failed!.failed_logins)).toBe(0);
    const check = await sql.one<{ case_id: unknown; status: string }>(
      'SELECT case_id, status FROM conflict_checks',
    );
    expect([Number(check!.case_id), check!.status]).toEqual([smith.id, 'cleared']);

    // New writes beside the old rows: the year's counter goes on from the release's.
    const created = await http()
      .post('/cases')
      .set(as('attorney'))
      .send({ title: 'After the upgrade', clientName: 'New Client' });
    expect(created.status).toBe(201);
    expect(created.body.number).not.toBe(smith.number);
    expect((await http().get('/cases').set(as('attorney'))).body.data).toHaveLength(4);
  }, 30_000);
});
