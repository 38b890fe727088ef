import { createHash } from 'node:crypto';
import path from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import type { Request } from 'express';
import busboy from 'busboy';
import { fileTypeFromBuffer } from 'file-type';
import { AppError } from '../../errors.js';

/** How many leading bytes are held back to sniff the content type (file-type's own sample size). */
export const SNIFF_BYTES = 4100;
/** What a multipart envelope may add to the file itself before Content-Length counts as too large. */
export const MULTIPART_OVERHEAD = 64 * 1024;

export interface UploadLimits {
  maxBytes: number;
  allowedTypes: readonly string[];
}

export interface Received {
  name: string;
  size: number;
  sha256: string;
  contentType: string;
}

/** File-name extensions that stand for the same type as the sniffed extension. */
const SAME_EXTENSION: Record<string, string> = { jpeg: 'jpg', jpe: 'jpg', tif: 'tiff' };
const normaliseExt = (ext: string) => SAME_EXTENSION[ext] ?? ext;

export const tooLarge = (maxBytes: number): AppError =>
  new AppError(413, 'Payload Too Large', `The document is larger than the limit of ${maxBytes} bytes.`, [
    { field: 'body.file', message: `expected at most ${maxBytes} bytes` },
  ]);

/**
 * Control characters (C0, DEL, C1) and the bidirectional overrides and isolates that make `exe.pdf` of
 * `fdp.exe`: refused in a file name, not silently dropped.
 */
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/** A file name as stored: the last path segment, printable, 1-255 characters. */
export function documentName(raw: string): string {
  if (CONTROLS.test(raw)) {
    const code = raw.codePointAt(raw.search(CONTROLS))!;
    throw AppError.badRequest(
      `The uploaded file's name holds the control character U+${code.toString(16).toUpperCase().padStart(4, '0')}.`,
      [
        {
          field: 'body.file',
          message: 'expected a file name without control or bidirectional-override characters',
        },
      ],
    );
  }
  const name = path.posix.basename(raw.replace(/\\/g, '/')).trim();
  if (name.length === 0 || name.length > 255 || name === '.' || name === '..') {
    throw AppError.badRequest('The uploaded file has no usable file name.', [
      { field: 'body.file', message: 'expected a file name of 1-255 printable characters' },
    ]);
  }
  return name;
}

/**
 * Passes the bytes through while hashing and counting them. The first SNIFF_BYTES are held back until
 * the content type is known from the bytes themselves: nothing reaches the store before it is accepted.
 */
export class Inspector extends Transform {
  private readonly hash = createHash('sha256');
  private head: Buffer[] = [];
  private headBytes = 0;
  private sniffed = false;
  /** Bytes seen so far (not `size`: lib-storage would read that as the body's total length). */
  bytes = 0;
  contentType = '';

  constructor(
    private readonly name: string,
    private readonly limits: UploadLimits,
  ) {
    super();
  }

  get sha256(): string {
    return this.hash.digest('hex');
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.limits.maxBytes) {
      done(tooLarge(this.limits.maxBytes));
      return;
    }
    this.hash.update(chunk);
    if (this.sniffed) {
      done(null, chunk);
      return;
    }
    this.head.push(chunk);
    this.headBytes += chunk.length;
    if (this.headBytes < SNIFF_BYTES) {
      done();
      return;
    }
    this.release(done);
  }

  override _flush(done: TransformCallback): void {
    if (this.sniffed) done();
    else this.release(done);
  }

  private release(done: TransformCallback): void {
    const head = Buffer.concat(this.head);
    this.head = [];
    this.check(head).then(
      () => {
        this.sniffed = true;
        done(null, head);
      },
      (err: unknown) => done(err as Error),
    );
  }

  private async check(head: Buffer): Promise<void> {
    if (head.length === 0) {
      throw AppError.badRequest('The uploaded file is empty.', [
        { field: 'body.file', message: 'expected a non-empty file' },
      ]);
    }
    const found = await fileTypeFromBuffer(head);
    const allowed = this.limits.allowedTypes.join(', ');
    if (found === undefined || !this.limits.allowedTypes.includes(found.mime)) {
      throw new AppError(
        415,
        'Unsupported Media Type',
        `The content of '${this.name}' is ${found ? `${found.mime}` : 'of no recognised type'}, which is not accepted.`,
        [{ field: 'body.file', message: `expected content of one of these types: ${allowed}` }],
      );
    }
    const ext = normaliseExt(path.extname(this.name).slice(1).toLowerCase());
    if (ext !== normaliseExt(found.ext)) {
      throw new AppError(
        415,
        'Unsupported Media Type',
        `The name '${this.name}' does not match its content (${found.mime}).`,
        [
          {
            field: 'body.file',
            message: `expected a file name ending in .${found.ext} for ${found.mime} content`,
          },
        ],
      );
    }
    this.contentType = found.mime;
  }
}

/**
 * Reads a multipart/form-data request holding exactly one file part named `file` and hands it to
 * `store` as a stream. Resolves once `store` has the whole file; on any failure (too large, forbidden
 * type, client gone, storage down) `store`'s stream is destroyed so it keeps nothing, and the request is
 * left to the caller to close.
 */
export function receiveUpload(
  req: Request,
  limits: UploadLimits,
  store: (body: Inspector) => Promise<void>,
): Promise<Received> {
  return new Promise<Received>((resolve, reject) => {
    let settled = false;
    let inspector: Inspector | undefined;
    let storing: Promise<void> | undefined;
    let parser: busboy.Busboy;
    const fail = (err: unknown) => {
      if (settled) return;
      settled = true;
      req.unpipe(parser);
      inspector?.destroy(err as Error);
      // The store gives up on its stream; wait for it so nothing is half-written when we answer.
      (storing ?? Promise.resolve()).catch(() => undefined).finally(() => reject(err));
    };
    try {
      parser = busboy({
        headers: req.headers,
        // A plain `filename="..."` is read as UTF-8, as browsers and fetch send it (busboy's default is Latin-1).
        defParamCharset: 'utf8',
        limits: { files: 1, fields: 5, fieldSize: 1024, fileSize: limits.maxBytes + 1, headerPairs: 20 },
      });
    } catch {
      reject(
        new AppError(415, 'Unsupported Media Type', 'Documents are uploaded as multipart/form-data.', [
          { field: 'headers.content-type', message: 'expected multipart/form-data with a boundary' },
        ]),
      );
      return;
    }
    parser.on('file', (field, file, info) => {
      if (settled) {
        file.resume();
        return;
      }
      if (field !== 'file' || inspector !== undefined) {
        file.resume();
        fail(
          AppError.badRequest(`Unexpected form part '${field}'.`, [
            { field: `body.${field}`, message: "expected one file part named 'file'" },
          ]),
        );
        return;
      }
      let name: string;
      try {
        name = documentName(info.filename ?? '');
      } catch (err) {
        file.resume();
        fail(err);
        return;
      }
      const inspect = new Inspector(name, limits);
      // Its errors reach the caller through the store's promise (or fail() raised them).
      inspect.on('error', () => undefined);
      inspector = inspect;
      file.on('error', (err) => fail(err));
      file.on('limit', () => fail(tooLarge(limits.maxBytes)));
      file.pipe(inspect);
      storing = store(inspect);
      storing.then(
        () => {
          if (settled) return;
          settled = true;
          resolve({ name, size: inspect.bytes, sha256: inspect.sha256, contentType: inspect.contentType });
        },
        (err: unknown) => fail(err),
      );
    });
    parser.on('field', (field) =>
      fail(
        AppError.badRequest(`Unexpected form field '${field}'.`, [
          { field: `body.${field}`, message: "expected one file part named 'file' and no other fields" },
        ]),
      ),
    );
    const tooMany = () =>
      fail(
        AppError.badRequest('The form holds more than one part.', [
          { field: 'body', message: "expected one file part named 'file'" },
        ]),
      );
    parser.on('filesLimit', tooMany);
    parser.on('fieldsLimit', tooMany);
    parser.on('error', (err) =>
      fail(
        AppError.badRequest(`The multipart body is malformed: ${(err as Error).message}.`, [
          { field: 'body', message: 'expected a well-formed multipart/form-data body' },
        ]),
      ),
    );
    parser.on('close', () => {
      if (inspector === undefined)
        fail(
          AppError.badRequest('The form holds no file.', [
            { field: 'body.file', message: "expected a file part named 'file'" },
          ]),
        );
    });
    req.on('close', () => {
      if (!req.complete)
        fail(
          AppError.badRequest('The upload was interrupted before the whole document arrived.', [
            { field: 'body.file', message: 'expected the complete file' },
          ]),
        );
    });
    req.pipe(parser);
  });
}
