import { describe, expect, test } from '@jest/globals';
import type { Response } from 'supertest';
import { bearer, expectProblem } from './helpers/api.js';
import { backends, cast } from './helpers/harness.js';

describe.each(await backends())('users on %s', (backend) => {
  const { h, admin } = cast(backend, { admin: 'admin' });

  test('when an admin creates, lists and changes users, then duplicates are 409 and roles apply at once', async () => {
    const email = `Mixed.Case-${Date.now()}@Example.legal`;
    const created = await h
      .http()
      .post('/users')
      .set(bearer(admin.token))
      .send({ email, name: 'Pat', role: 'paralegal', password: 'correct horse battery' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ email: email.toLowerCase(), role: 'paralegal', active: true });
    expect(created.body).not.toHaveProperty('passwordHash');
    const hash = await h.db.one<{ password_hash: string }>('SELECT password_hash FROM users WHERE id = :id', {
      id: created.body.id,
    });
    expect(hash?.password_hash).toMatch(/^\$argon2id\$v=19\$/);
    expect(hash?.password_hash).toContain('m=1024');
    expect(hash?.password_hash).toContain('t=2');
    expectProblem(
      await h.http().post('/users').set(bearer(admin.token)).send({
        email: email.toUpperCase(),
        name: 'Dup',
        role: 'client',
        password: 'correct horse battery',
      }),
      409,
    );
    const short = await h
      .http()
      .post('/users')
      .set(bearer(admin.token))
      .send({ email: 'x@y.legal', name: 'S', role: 'boss', password: 'short' });
    expect(expectProblem(short, 400).errors).toEqual(
      expect.arrayContaining([
        { field: 'body.role', message: 'expected one of admin, attorney, paralegal, client, auditor' },
        { field: 'body.password', message: 'expected at least 12 characters' },
      ]),
    );
    const { token } = await h.login(email, 'correct horse battery');
    expect(
      (await h.http().post('/cases').set(bearer(token)).send({ title: 't', clientName: 'c' })).status,
    ).toBe(403);
    await h.http().patch(`/users/${created.body.id}`).set(bearer(admin.token)).send({ role: 'attorney' });
    expect(
      (await h.http().post('/cases').set(bearer(token)).send({ title: 't', clientName: 'c' })).status,
    ).toBe(201);
    const ids: number[] = [];
    let cursor: string | null = null;
    do {
      const page: Response = await h
        .http()
        .get('/users')
        .query({ limit: 4, ...(cursor ? { cursor } : {}) })
        .set(bearer(admin.token));
      ids.push(...page.body.data.map((u: { id: number }) => u.id));
      cursor = page.body.page.nextCursor;
    } while (cursor);
    const count = await h.db.one<{ n: unknown }>('SELECT COUNT(*) AS n FROM users');
    expect(ids).toHaveLength(Number(count?.n));
    expectProblem(
      await h.http().patch(`/users/${admin.id}`).set(bearer(admin.token)).send({ active: false }),
      409,
    );
    expectProblem(
      await h.http().patch('/users/999999').set(bearer(admin.token)).send({ active: false }),
      404,
    );
    expect(
      expectProblem(await h.http().patch(`/users/${created.body.id}`).set(bearer(admin.token)).send({}), 400)
        .errors,
    ).toEqual([{ field: 'body', message: 'expected at least one of name, role, active' }]);
  });

  describe('one e-mail, one account', () => {
    test('when four requests create one e-mail at once, then one 201, three 409 on body.email, and no hash in the logs', async () => {
      const email = `race-${backend}@test.legal`;
      const results = await Promise.all(
        [1, 2, 3, 4].map((n) =>
          h
            .http()
            .post('/users')
            .set(bearer(admin.token))
            .send({ email, name: `Racer ${n}`, role: 'client', password: `racing-password-${n}` }),
        ),
      );
      expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409]);
      for (const r of results.filter((x) => x.status === 409))
        expectProblem(r, 409, 'body.email', 'already in use');
      const rows = await h.db.all('SELECT id FROM users WHERE email = :email', { email });
      expect(rows).toHaveLength(1);
      expect(h.logs.join('')).not.toContain('$argon2');
    });
  });
});
