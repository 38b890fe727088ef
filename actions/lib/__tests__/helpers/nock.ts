/** nock, switched off after each test file. Import nock from here. */
import { afterAll } from '@jest/globals';

export const { default: nock } = await import('nock');

// Node's http and fetch are shared by every test file a jest worker runs, while each file loads its own
// copy of nock: switch this copy off after the file, or it keeps intercepting the next file's requests.
afterAll(() => {
  nock.cleanAll();
  nock.restore();
});
