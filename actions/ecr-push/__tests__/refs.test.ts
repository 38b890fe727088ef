import { describe, expect, test } from '@jest/globals';
import { parseImage, parseProxyEndpoint, parseTags, tagOf, validateRepository } from '../src/refs.js';

describe('tags', () => {
  test('when a tag is plain, then it is used as it is', () => {
    expect(tagOf('v1.2.3')).toBe('v1.2.3');
    expect(tagOf('sha-0123abc')).toBe('sha-0123abc');
  });

  test('when a tag is a full reference (as sha-tag outputs), then its tag part is used', () => {
    expect(tagOf('123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/app:v1.2.3')).toBe('v1.2.3');
    expect(tagOf('localhost:5000/app:main')).toBe('main');
    expect(tagOf('app:latest')).toBe('latest');
  });

  test('when a reference has no tag or only a digest, then the input is named', () => {
    expect(() => tagOf('localhost:5000/app')).toThrow(
      "Input 'tags': 'localhost:5000/app' is a reference without a tag",
    );
    expect(() => tagOf(`registry/app@sha256:${'a'.repeat(64)}`)).toThrow(
      "Input 'tags': 'registry/app@sha256",
    );
  });

  test('when a tag violates the tag grammar, then the failure names the input, the tag and the rule', () => {
    expect(() => tagOf('.hidden')).toThrow("Input 'tags': '.hidden' is not a valid image tag");
    expect(() => tagOf('-x')).toThrow('not starting with');
    expect(() => tagOf('a'.repeat(129))).toThrow('1 to 128');
    expect(() => tagOf('reg/app:bad+tag')).toThrow(
      "Input 'tags': 'bad+tag' (from 'reg/app:bad+tag') is not a valid image tag",
    );
  });

  test('when tags repeat (also through references), then each is pushed once in the given order', () => {
    expect(parseTags(['v1', 'reg/app:v1', 'main', 'v1'])).toEqual(['v1', 'main']);
  });

  test('when no tag is given, then the input is named', () => {
    expect(() => parseTags([])).toThrow("Input 'tags': is required");
  });
});

describe('repository names', () => {
  test.each(['app', 'team/app', 'a.b_c-d/e2', 'x1'])('when %s is given, then it is accepted', (name) => {
    expect(validateRepository(name)).toBe(name);
  });

  test.each(['Team/App', 'a', 'app/', '/app', 'a//b', 'a..b', 'app:tag', 'x'.repeat(257)])(
    'when %s is given, then the failure names the input and the rule',
    (name) => {
      expect(() => validateRepository(name)).toThrow(
        `Input 'repository': '${name}' is not a valid ECR repository name`,
      );
    },
  );
});

describe('image sources', () => {
  test('when the image is a plain name, then it is a local image', () => {
    expect(parseImage('my-app:1.0')).toEqual({ kind: 'local', name: 'my-app:1.0' });
    expect(parseImage('ghcr.io/org/app')).toEqual({ kind: 'local', name: 'ghcr.io/org/app' });
  });

  test('when the image is a supported transport reference, then its path is what must exist', () => {
    expect(parseImage('oci-archive:/tmp/image.tar')).toEqual({
      kind: 'transport',
      transport: 'oci-archive',
      reference: 'oci-archive:/tmp/image.tar',
      path: '/tmp/image.tar',
    });
    expect(parseImage('oci:/tmp/layout:v1')).toMatchObject({ transport: 'oci', path: '/tmp/layout' });
    expect(parseImage('docker-archive:/tmp/d.tar:app:v1')).toMatchObject({
      transport: 'docker-archive',
      path: '/tmp/d.tar',
    });
    expect(parseImage('containers-storage:localhost/app:v1')).toEqual({
      kind: 'transport',
      transport: 'containers-storage',
      reference: 'containers-storage:localhost/app:v1',
    });
  });

  test('when the image is missing, then the failure names the input and what is expected', () => {
    expect(() => parseImage('')).toThrow(
      "Input 'image': is required: a local image name (docker, podman) or one of oci-archive:...",
    );
  });

  test.each([
    'dir:/tmp/x',
    'docker://docker.io/library/alpine',
    'docker-daemon:app:v1',
    'tarball:/x.tar',
    'ftp:/x',
  ])(
    'when the image uses the unsupported transport %s, then the failure lists the supported ones',
    (value) => {
      expect(() => parseImage(value)).toThrow(
        /Input 'image': '.*' uses the transport '[a-z-]+:', which this action does not push from/,
      );
    },
  );

  test('when the image is neither a name nor a transport, then the input is named', () => {
    expect(() => parseImage('Not A Name')).toThrow(
      "Input 'image': 'Not A Name' is neither a local image name",
    );
    expect(() => parseImage('oci-archive:')).toThrow("Input 'image': 'oci-archive:' names no path");
  });
});

describe('registry endpoints', () => {
  test('when the endpoint is https, then it is used with TLS', () => {
    expect(parseProxyEndpoint('https://123456789012.dkr.ecr.eu-west-1.amazonaws.com')).toEqual({
      host: '123456789012.dkr.ecr.eu-west-1.amazonaws.com',
      insecure: false,
    });
  });

  test.each(['http://127.0.0.1:5000', 'http://localhost:5000', 'http://[::1]:5000', 'http://127.3.2.1'])(
    'when the endpoint is plain http on loopback (%s), then it is accepted as insecure',
    (url) => {
      expect(parseProxyEndpoint(url).insecure).toBe(true);
    },
  );

  test.each(['http://10.0.0.5:5000', 'http://registry.example.com', 'http://127.0.0.1.example.com'])(
    'when the endpoint is plain http elsewhere (%s), then it is refused',
    (url) => {
      expect(() => parseProxyEndpoint(url)).toThrow(
        'uses plain http on a non-loopback host; only https is accepted',
      );
    },
  );

  test('when the endpoint is another scheme or not a URL, then it is refused', () => {
    expect(() => parseProxyEndpoint('ftp://x')).toThrow('must be https');
    expect(() => parseProxyEndpoint('http://')).toThrow('not a URL');
  });
});
