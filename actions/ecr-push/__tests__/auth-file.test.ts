import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@jest/globals';
import { createWorkspace, removeOnSignal } from '../src/auth-file.js';

const runnerTemp = mkdtempSync(join(tmpdir(), 'auth-file-test-'));
const TOKEN = Buffer.from('AWS:pw').toString('base64');

test('when a workspace is created, then it is a 0700 dir under RUNNER_TEMP with a 0600 docker config.json', () => {
  const ws = createWorkspace('127.0.0.1:5000', TOKEN, { RUNNER_TEMP: runnerTemp });
  try {
    expect(ws.dir.startsWith(join(runnerTemp, 'ecr-push-'))).toBe(true);
    expect(statSync(ws.dir).mode & 0o777).toBe(0o700);
    expect(statSync(ws.authFile).mode & 0o777).toBe(0o600);
    // The format docker, skopeo and podman read: auths.<host>.auth = base64(user:password).
    const config = JSON.parse(readFileSync(ws.authFile, 'utf8'));
    expect(Buffer.from(config.auths['127.0.0.1:5000'].auth, 'base64').toString()).toBe('AWS:pw');
  } finally {
    ws.remove();
  }
  expect(readdirSync(runnerTemp)).toEqual([]);
});

test('when the step is cancelled (SIGTERM), then the workspace is removed and the signal raised again', () => {
  const ws = createWorkspace('r', TOKEN, { RUNNER_TEMP: runnerTemp });
  const raised: string[] = [];
  const listenersBefore = process.listenerCount('SIGINT');
  const unregister = removeOnSignal(ws, (signal) => raised.push(signal));
  process.emit('SIGTERM', 'SIGTERM');
  expect(raised).toEqual(['SIGTERM']);
  expect(readdirSync(runnerTemp)).toEqual([]);
  unregister();
  expect(process.listenerCount('SIGINT')).toBe(listenersBefore);
});

test('when removed twice, then the second time is harmless', () => {
  const ws = createWorkspace('r', TOKEN, { RUNNER_TEMP: runnerTemp });
  ws.remove();
  ws.remove();
  expect(readdirSync(runnerTemp)).toEqual([]);
  rmSync(runnerTemp, { recursive: true, force: true });
});
