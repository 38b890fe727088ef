import path from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { ConfigError, loadConfig } from '../src/config.js';

describe('documents configuration', () => {
  test('when nothing is set, then documents go to DATA_DIR/documents, at most 25 MiB, of the default types', () => {
    const config = loadConfig({});
    expect(config.documents).toEqual({
      maxBytes: 26_214_400,
      allowedTypes: [
        'application/pdf',
        'image/png',
        'image/jpeg',
        'image/tiff',
        'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        'application/vnd.oasis.opendocument.text',
        'application/rtf',
      ],
      dir: path.resolve('data', 'documents'),
      s3: undefined,
    });
  });

  test('when S3_BUCKET and its companions are set, then S3 storage is configured from them', () => {
    const config = loadConfig({
      DATA_DIR: '/srv/legal',
      DOCUMENT_MAX_BYTES: '1048576',
      DOCUMENT_TYPES: ' application/pdf , Image/PNG ',
      S3_BUCKET: 'firm-documents',
      S3_PREFIX: 'prod/',
      S3_REGION: 'eu-west-1',
      S3_ENDPOINT: 'http://127.0.0.1:4569',
      S3_FORCE_PATH_STYLE: 'true',
      S3_TIMEOUT_MS: '3000',
    });
    expect(config.documents).toEqual({
      maxBytes: 1_048_576,
      allowedTypes: ['application/pdf', 'image/png'],
      dir: '/srv/legal/documents',
      s3: {
        bucket: 'firm-documents',
        prefix: 'prod/',
        region: 'eu-west-1',
        endpoint: 'http://127.0.0.1:4569',
        forcePathStyle: true,
        timeoutMs: 3000,
      },
    });
  });

  test.each([
    [
      { DOCUMENT_MAX_BYTES: 'big' },
      "DOCUMENT_MAX_BYTES: Invalid input: expected number, received NaN (got 'big')",
    ],
    [{ DOCUMENT_MAX_BYTES: '0' }, "DOCUMENT_MAX_BYTES: Too small: expected number to be >=1 (got '0')"],
    [
      { DOCUMENT_TYPES: 'pdf,png' },
      "DOCUMENT_TYPES: expected a comma-separated list of media types such as 'application/pdf,image/png' (got 'pdf,png')",
    ],
    [
      { S3_BUCKET: 'My_Bucket' },
      "S3_BUCKET: expected an S3 bucket name (3-63 lower-case letters, digits, dots, hyphens) (got 'My_Bucket')",
    ],
    [{ S3_ENDPOINT: 'ftp://x' }, "S3_ENDPOINT: expected an http:// or https:// URL (got 'ftp://x')"],
    [{ S3_FORCE_PATH_STYLE: 'yes' }, 'S3_FORCE_PATH_STYLE:'],
    [{ S3_TIMEOUT_MS: '5' }, "S3_TIMEOUT_MS: Too small: expected number to be >=100 (got '5')"],
  ])('when %o is set, then the error names the variable and what was expected', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});
