import { describe, expect, test } from '@jest/globals';
import { Writable } from 'node:stream';
import {
  ConnectionAcquireTimeoutError,
  ConnectionRefusedError,
  DatabaseError,
  UniqueConstraintError,
} from 'sequelize';
import { Readiness } from '../src/components/health/readiness.js';
import { connectBackoffMs, connectDatabase, databaseLocation } from '../src/db/connect.js';
import type { Logger } from '../src/logger.js';
import { closedPort } from './helpers/documents.js';
import { createLogger } from '../src/logger.js';
import { asUnavailable, AuditWriteError, databaseCondition } from '../src/unavailable.js';

/** A driver error as Sequelize wraps it: DatabaseError with the driver's error (and its code) as `parent`. */
function wrapped(code: string, message = 'driver error'): DatabaseError {
  const driver = Object.assign(new Error(message), { code });
  return new DatabaseError(driver as unknown as Error & { sql: string; parameters: object });
}

describe('which database failures are conditions (503) and which are not', () => {
  // Codes from https://www.postgresql.org/docs/current/errcodes-appendix.html and https://sqlite.org/rescode.html
  test.each([
    ['PostgreSQL disk_full', 'storage-full', wrapped('53100')],
    ['PostgreSQL read_only_sql_transaction', 'database-read-only', wrapped('25006')],
    ['PostgreSQL connection_failure', 'database-unavailable', wrapped('08006')],
    ['PostgreSQL admin_shutdown', 'database-unavailable', wrapped('57P01')],
    ['PostgreSQL cannot_connect_now', 'database-unavailable', wrapped('57P03')],
    ['PostgreSQL too_many_connections', 'database-unavailable', wrapped('53300')],
    ['SQLite full', 'storage-full', wrapped('SQLITE_FULL', 'SQLITE_FULL: database or disk is full')],
    ['SQLite read-only', 'database-read-only', wrapped('SQLITE_READONLY')],
    ['SQLite I/O error', 'database-unavailable', wrapped('SQLITE_IOERR')],
    ['a full file system', 'storage-full', Object.assign(new Error('no space'), { code: 'ENOSPC' })],
    [
      'a read-only file system',
      'database-read-only',
      Object.assign(new Error('read-only'), { code: 'EROFS' }),
    ],
    [
      'a refused connection',
      'database-unavailable',
      new ConnectionRefusedError(new Error('connect ECONNREFUSED 127.0.0.1:5432')),
    ],
    [
      'no pooled connection in time',
      'database-unavailable',
      new ConnectionAcquireTimeoutError(new Error('timeout')),
    ],
    [
      'a connection lost under a statement',
      'database-unavailable',
      new DatabaseError(new Error('Connection terminated unexpectedly') as never),
    ],
    ['a cause chain', 'storage-full', new Error('outer', { cause: wrapped('53100') })],
  ])('when %s, then %s', (_what, condition, err) => {
    expect(databaseCondition(err)).toBe(condition);
  });

  test.each([
    ['a unique violation', new UniqueConstraintError({})],
    ['a syntax error', wrapped('42601')],
    ['a statement timeout', wrapped('57014')],
    ['a constraint in SQLite', wrapped('SQLITE_CONSTRAINT')],
    ['a plain bug', new TypeError('x is undefined')],
    ['not an error', 'text'],
  ])('when %s, then it is not a condition (it stays a 500)', (_what, err) => {
    expect(databaseCondition(err)).toBeUndefined();
  });

  test('when the audit event of a read fails, then the 503 is audit-unavailable and names the cause', () => {
    const read = asUnavailable(new AuditWriteError(wrapped('25006'), true))!;
    expect(read).toMatchObject({
      status: 503,
      problem: 'audit-unavailable',
      headers: { 'Retry-After': '5' },
    });
    expect(read.detail).toContain('(the database is read-only)');
    // a write's event shares its transaction: the database's own condition says more
    expect(asUnavailable(new AuditWriteError(wrapped('25006'), false))).toMatchObject({
      problem: 'database-read-only',
      headers: { 'Retry-After': '60' },
    });
    // a refusal that is no condition of the database (a trigger, say) is still the audit's
    expect(asUnavailable(new AuditWriteError(new Error('audit refused'), false))).toMatchObject({
      problem: 'audit-unavailable',
    });
  });
});

describe('start-up retries', () => {
  test('when attempts fail, then the waits double from 0.5 s up to 8 s, with their upper half random', () => {
    const bounds = [1, 2, 3, 4, 5, 6, 50].map((n) => [
      connectBackoffMs(n, () => 0),
      connectBackoffMs(n, () => 1),
    ]);
    expect(bounds).toEqual([
      [250, 500],
      [500, 1000],
      [1000, 2000],
      [2000, 4000],
      [4000, 8000],
      [4000, 8000],
      [4000, 8000],
    ]);
  });

  test('when nothing listens where DATABASE_URL points, then every attempt is logged with its wait and the last error names the variable', async () => {
    const port = await closedPort();
    const warnings: Record<string, unknown>[] = [];
    const waits: number[] = [];
    const attempt = connectDatabase(
      {
        dialect: 'postgres',
        url: `postgres://app:s3cret@127.0.0.1:${port}/legal`,
        schema: undefined,
        ssl: false,
        pool: { max: 1, min: 0, acquireMs: 1000, idleMs: 1000 },
        statementTimeoutMs: 0,
      },
      3,
      { warn: (line: Record<string, unknown>) => warnings.push(line) } as unknown as Pick<Logger, 'warn'>,
      async (ms) => void waits.push(ms),
    );
    await expect(attempt).rejects.toThrow(
      `DATABASE_URL (postgres://app@127.0.0.1:${port}/legal): the database is not reachable after 3 attempts: connect ECONNREFUSED 127.0.0.1:${port}`,
    );
    expect(warnings.map((w) => [w.attempt, w.attempts, w.retryInMs])).toEqual([
      [1, 3, waits[0]],
      [2, 3, waits[1]],
    ]);
    expect(waits[0]).toBeGreaterThanOrEqual(250);
    expect(waits[1]).toBeGreaterThanOrEqual(500);
  });

  test('when the database is named in a message, then the password is not', () => {
    expect(
      databaseLocation({
        dialect: 'postgres',
        url: 'postgres://app:s3cret@db.internal:5432/legal',
        schema: undefined,
        ssl: false,
        pool: { max: 1, min: 0, acquireMs: 100, idleMs: 100 },
        statementTimeoutMs: 0,
      }),
    ).toBe('DATABASE_URL (postgres://app@db.internal:5432/legal)');
    expect(databaseLocation({ dialect: 'sqlite', storage: '/var/lib/legal/legal.sqlite' })).toBe(
      'DATA_DIR (SQLite file /var/lib/legal/legal.sqlite)',
    );
  });
});

describe('readiness', () => {
  test('when a check hangs, then it is down as a timeout within the budget, and each change is logged once', async () => {
    const lines: string[] = [];
    const logger = createLogger(
      'info',
      new Writable({ write: (c: Buffer, _e, done) => (lines.push(c.toString()), done()) }),
    );
    let hang = true;
    const readiness = new Readiness(
      [
        {
          name: 'database',
          required: true,
          run: (signal) =>
            hang
              ? new Promise((_, reject) =>
                  signal.addEventListener('abort', () => reject(new Error('aborted'))),
                )
              : Promise.resolve(),
          problem: () => 'database-unavailable',
        },
        {
          name: 'redis',
          required: false,
          run: () => Promise.reject(new Error('down')),
          problem: () => 'unreachable',
        },
      ],
      logger,
      100,
    );
    const started = performance.now();
    const first = await readiness.report();
    expect(performance.now() - started).toBeLessThan(1000);
    expect(first).toMatchObject({
      status: 'not-ready',
      checks: {
        database: { status: 'down', problem: 'timeout' },
        redis: { status: 'down', problem: 'unreachable' },
      },
    });
    await readiness.report();
    hang = false;
    const second = await readiness.report();
    expect(second.status).toBe('degraded');
    const messages = lines.map((l) => (JSON.parse(l) as { msg: string }).msg);
    // each change once (the two first ones in the order the checks ended)
    expect(messages.slice(0, 2).sort()).toEqual([
      'readiness: database is down (timeout)',
      'readiness: redis is down (unreachable)',
    ]);
    expect(messages.slice(2)).toEqual(['readiness: database is up again']);
  });
});
