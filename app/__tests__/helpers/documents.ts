import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, openSync, readSync, closeSync, readdirSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect } from '@jest/globals';
import S3rver from 's3rver';
import { bearer, expectProblem } from './api.js';
import type { Harness, TestUser } from './harness.js';

export const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** A 1×1 PNG (the widely published smallest valid PNG image). */
export const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

/** A PDF of about `size` bytes: a real header and trailer around random filler in a comment-free stream. */
export function pdf(size = 20_000): Buffer {
  const head = Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Length 0 >>\nstream\n', 'latin1');
  const tail = Buffer.from('\nendstream\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n', 'latin1');
  return Buffer.concat([head, randomBytes(Math.max(0, size - head.length - tail.length)), tail]);
}

/** The first bytes of the Node.js executable running the tests: a real native executable (ELF or Mach-O). */
export function executable(size = 8192): Buffer {
  const fd = openSync(process.execPath, 'r');
  try {
    const buf = Buffer.alloc(size);
    const n = readSync(fd, buf, 0, size, 0);
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/** POST /cases/:id/documents of one file by `user`, through supertest. */
export const uploadDocument = (h: Harness, user: TestUser, caseId: number, data: Buffer, filename: string) =>
  h.http().post(`/cases/${caseId}/documents`).set(bearer(user.token)).attach('file', data, filename);

/** The files of the local document store (relative paths). */
export const storedFiles = (h: Harness) => filesUnder(h.config.documents.dir);

export const BOUNDARY = '----legal-test-boundary-7d1e';
/** A multipart/form-data body built by hand (independently of busboy and of supertest's form-data). */
export function multipart(parts: { name: string; filename?: string; type?: string; data: Buffer }[]): Buffer {
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const disposition = `form-data; name="${p.name}"${p.filename === undefined ? '' : `; filename="${p.filename}"`}`;
    chunks.push(
      Buffer.from(
        `--${BOUNDARY}\r\nContent-Disposition: ${disposition}\r\n${p.type ? `Content-Type: ${p.type}\r\n` : ''}\r\n`,
      ),
      p.data,
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${BOUNDARY}--\r\n`));
  return Buffer.concat(chunks);
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  json: () => Record<string, unknown>;
}

/** The raw answer came (the request was not aborted) and is a problem of `status`, see `expectProblem`. */
export function rawProblem(res: RawResponse | 'aborted', status: number): Record<string, unknown> {
  expect(res).not.toBe('aborted');
  const r = res as RawResponse;
  return expectProblem({ status: r.status, headers: r.headers, body: r.json() }, status);
}

/**
 * Sends a request with node:http. `chunks` are written one by one; `abortAfter` destroys the socket after
 * that many chunks (an interrupted upload); `contentLength` overrides the header (otherwise chunked).
 */
export function rawRequest(
  port: number,
  options: {
    method?: string;
    path: string;
    headers?: Record<string, string>;
    chunks: Buffer[];
    contentLength?: number;
    abortAfter?: number;
    /** Awaited before chunk `index` is written (to look at the server mid-upload). */
    beforeChunk?: (index: number) => Promise<void>;
  },
): Promise<RawResponse | 'aborted'> {
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: '127.0.0.1',
      port,
      method: options.method ?? 'POST',
      path: options.path,
      headers: {
        'Content-Type': `multipart/form-data; boundary=${BOUNDARY}`,
        ...(options.contentLength === undefined ? {} : { 'Content-Length': String(options.contentLength) }),
        ...options.headers,
      },
    });
    req.on('response', (res) => {
      const body: Buffer[] = [];
      res.on('data', (c: Buffer) => body.push(c));
      res.on('end', () => {
        const buf = Buffer.concat(body);
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: buf,
          json: () => JSON.parse(buf.toString('utf8')) as Record<string, unknown>,
        });
      });
    });
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (options.abortAfter !== undefined) resolve('aborted');
      // The server may answer and close while we are still writing: the answer is what counts.
      else if (err.code === 'EPIPE' || err.code === 'ECONNRESET') setTimeout(() => reject(err), 2000);
      else reject(err);
    });
    const write = async () => {
      for (let i = 0; i < options.chunks.length; i++) {
        if (options.abortAfter !== undefined && i === options.abortAfter) {
          await new Promise((r) => setTimeout(r, 200));
          req.destroy();
          resolve('aborted');
          return;
        }
        if (req.destroyed) return;
        await options.beforeChunk?.(i);
        if (!req.write(options.chunks[i]!)) await new Promise((r) => req.once('drain', r));
      }
      req.end();
    };
    void write();
  });
}

/** Every file under a directory, recursively (relative paths). */
export function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    let entries: string[];
    try {
      entries = readdirSync(d);
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(path.relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}

export interface S3Server {
  endpoint: string;
  bucket: string;
  directory: string;
  close: () => Promise<void>;
}

/** s3rver on a loopback port with one bucket; credentials are s3rver's built-in S3RVER/S3RVER pair. */
export async function startS3(bucket = 'legal-documents'): Promise<S3Server> {
  const directory = mkdtempSync(path.join(tmpdir(), 'legal-s3-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: bucket, configs: [] }],
  });
  const address = (await server.run()) as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    bucket,
    directory,
    close: async () => {
      server.httpServer?.closeAllConnections();
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

/** Starts `server` on a free loopback port; returns the port. */
export async function listen(server: http.Server): Promise<number> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
}

/**
 * The app of `h` on a free loopback port from a `beforeAll` to an `afterAll` of the enclosing describe, for the
 * requests supertest does not make: its port and base URL, filled in by then.
 */
export function listening(h: Harness): { port: number; base: string } {
  const at = { port: 0, base: '' };
  let server: http.Server | undefined;
  beforeAll(async () => {
    server = http.createServer(h.app);
    at.port = await listen(server);
    at.base = `http://127.0.0.1:${at.port}`;
  });
  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise((r) => server?.close(r));
  });
  return at;
}

/** A loopback port with nothing listening on it. */
export async function closedPort(): Promise<number> {
  const server = http.createServer();
  const port = await listen(server);
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}
