import { describe, expect, test } from '@jest/globals';
import { Cleanup } from '../cleanup.js';

describe('Cleanup', () => {
  test('when run, then undo actions run last-first, each once, and failures are reported by label without stopping the rest', async () => {
    const cleanup = new Cleanup();
    const ran: string[] = [];
    cleanup.defer('temp dir', () => ran.push('temp dir'));
    cleanup.defer('registry', async () => {
      ran.push('registry');
      throw new Error('still running\nstack…');
    });
    cleanup.defer('containers', () => ran.push('containers'));
    const [first, second] = await Promise.all([cleanup.run(), cleanup.run()]);
    expect(ran).toEqual(['containers', 'registry', 'temp dir']);
    expect(first).toEqual(['registry: still running']);
    expect(second).toBe(first);
  });
});

test('when an undo action hangs, then it is reported as timed out and the ones after it still run', async () => {
  const cleanup = new Cleanup(50);
  const ran: string[] = [];
  cleanup.defer('temp dir', () => ran.push('temp dir'));
  cleanup.defer('server', () => new Promise(() => undefined)); // never settles
  expect(await cleanup.run()).toEqual(['server: did not finish within 50 ms']);
  expect(ran).toEqual(['temp dir']);
});

test('when something is registered after clean-up started (a step still running at Ctrl-C), then it is undone at once', async () => {
  const cleanup = new Cleanup();
  await cleanup.run();
  let undone = false;
  cleanup.defer('late registry', () => {
    undone = true;
  });
  await new Promise((resolve) => setImmediate(resolve));
  expect(undone).toBe(true);
});
