import { describe, expect, test } from '@jest/globals';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { backoffDelay, isNetworkFailure, withRetry } from '../retry.js';

describe('withRetry', () => {
  test('when the operation fails twice then succeeds, then two labelled retry lines are logged', async () => {
    const lines: string[] = [];
    const sleeps: number[] = [];
    let calls = 0;
    const result = await withRetry(
      async () => {
        calls++;
        if (calls < 3) throw new Error(`boom ${calls}`);
        return 'ok';
      },
      {
        label: 'ECR DescribeRepositories',
        sleep: async (ms) => void sleeps.push(ms),
        random: () => 0.5,
        log: (l) => lines.push(l),
      },
    );
    expect(result).toBe('ok');
    expect(calls).toBe(3);
    expect(sleeps).toEqual([250, 500]);
    expect(lines).toEqual([
      '[retry] ECR DescribeRepositories: attempt 1/5 failed (Error: boom 1); retrying in 250 ms',
      '[retry] ECR DescribeRepositories: attempt 2/5 failed (Error: boom 2); retrying in 500 ms',
    ]);
  });

  test('when attempts run out, then the last error is thrown', async () => {
    let calls = 0;
    await expect(
      withRetry(
        async () => {
          calls++;
          throw new Error('still failing');
        },
        { label: 'x', maxAttempts: 3, sleep: async () => {}, log: () => {} },
      ),
    ).rejects.toThrow('still failing');
    expect(calls).toBe(3);
  });

  test('when the error is not retryable, then it is thrown at once', async () => {
    let calls = 0;
    await expect(
      withRetry(
        async () => {
          calls++;
          throw new Error('denied');
        },
        { label: 'x', retryable: () => false, sleep: async () => {}, log: () => {} },
      ),
    ).rejects.toThrow('denied');
    expect(calls).toBe(1);
  });
});

describe('backoffDelay (full jitter)', () => {
  test('when random is at its top, then the delay doubles per attempt up to the cap', () => {
    const top = () => 0.999999;
    expect([0, 1, 2, 3, 4, 5].map((a) => backoffDelay(a, 100, 1000, top))).toEqual([
      99, 199, 399, 799, 999, 999,
    ]);
  });
  test('when random is 0, then there is no delay (the jitter spans the whole range)', () => {
    expect(backoffDelay(6, 100, 1000, () => 0)).toBe(0);
  });
});

describe('isNetworkFailure', () => {
  test('when fetch meets a refused connection or its timeout, then it is a network failure; other errors are not', async () => {
    // A port that was just free: connecting to it is refused.
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as { port: number };
    await new Promise((r) => server.close(r));
    const refused = await fetch(`http://127.0.0.1:${port}/`).catch((e: unknown) => e);
    expect(isNetworkFailure(refused)).toBe(true);
    const sockets: import('node:net').Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket)); // accepts and never answers
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    try {
      const { port: silentPort } = silent.address() as { port: number };
      const timedOut = await fetch(`http://127.0.0.1:${silentPort}/`, {
        signal: AbortSignal.timeout(100),
      }).catch((e: unknown) => e);
      expect(isNetworkFailure(timedOut)).toBe(true);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((r) => silent.close(r));
    }
    // Headers sent, then the connection drops while the body is read.
    const dropping = createHttpServer((_req, res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('partial', () => res.socket?.destroy());
    });
    await new Promise<void>((r) => dropping.listen(0, '127.0.0.1', r));
    try {
      const { port: droppingPort } = dropping.address() as { port: number };
      const response = await fetch(`http://127.0.0.1:${droppingPort}/`);
      const cut = await response.text().catch((e: unknown) => e);
      expect(cut).toMatchObject({ name: 'TypeError', message: 'terminated' });
      expect(isNetworkFailure(cut)).toBe(true);
    } finally {
      await new Promise((r) => dropping.close(r));
    }
    expect(isNetworkFailure(new TypeError('Cannot read properties of undefined'))).toBe(false);
    expect(isNetworkFailure(new Error('fetch failed'))).toBe(false);
    expect(isNetworkFailure('fetch failed')).toBe(false);
  });
});
