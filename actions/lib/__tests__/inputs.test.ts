import { describe, expect, test } from '@jest/globals';
import {
  getBoolean,
  getDuration,
  getEnum,
  getInteger,
  getList,
  getString,
  parseDuration,
} from '../inputs.js';

const env = (vars: Record<string, string>) => ({ env: vars });

describe('getString', () => {
  test('when the input is set, then it is read trimmed from INPUT_<NAME> with dashes kept', () => {
    expect(getString('github-token', env({ 'INPUT_GITHUB-TOKEN': '  abc \n' }))).toBe('abc');
  });
  test('when a required input is empty, then the error names it', () => {
    expect(() => getString('repository', { required: true, env: {} })).toThrow(
      "Input 'repository': is required but was empty or not set.",
    );
  });
  test('when an optional input is empty, then the default is used', () => {
    expect(getString('region', { default: 'eu-west-1', env: {} })).toBe('eu-west-1');
  });
});

describe('getList', () => {
  test('when items are separated by newlines and commas, then blanks and comments are dropped', () => {
    expect(getList('images', env({ INPUT_IMAGES: 'a/b, c\n\n# note\n d \r\ne' }))).toEqual([
      'a/b',
      'c',
      'd',
      'e',
    ]);
  });
  test('when commas are part of the items, then only newlines separate', () => {
    expect(
      getList('tags', { comma: false, env: { INPUT_TAGS: 'type=sha,prefix=x\ntype=ref,event=pr' } }),
    ).toEqual(['type=sha,prefix=x', 'type=ref,event=pr']);
  });
});

describe('getBoolean', () => {
  test.each([
    ['true', true],
    ['TRUE', true],
    ['False', false],
  ])('when the value is %s, then it reads %s', (value, expected) => {
    expect(getBoolean('dry-run', env({ 'INPUT_DRY-RUN': value }))).toBe(expected);
  });
  test('when the value is not a YAML 1.2 core boolean, then the error names the input and the value', () => {
    expect(() => getBoolean('dry-run', env({ 'INPUT_DRY-RUN': 'yes' }))).toThrow(
      "Input 'dry-run': expected true or false, got 'yes'.",
    );
  });
  test('when empty, then the default applies', () => {
    expect(getBoolean('rollback', { default: true, env: {} })).toBe(true);
  });
});

describe('getEnum', () => {
  const levels = ['critical', 'high', 'medium', 'low', 'none'] as const;
  test('when the value matches case-insensitively, then the canonical spelling is returned', () => {
    expect(getEnum('fail-on', levels, env({ 'INPUT_FAIL-ON': 'HIGH' }))).toBe('high');
  });
  test('when the value is unknown, then every accepted value is listed', () => {
    expect(() => getEnum('fail-on', levels, env({ 'INPUT_FAIL-ON': 'severe' }))).toThrow(
      "Input 'fail-on': expected one of critical, high, medium, low, none, got 'severe'.",
    );
  });
});

describe('getInteger', () => {
  test('when in range, then the number is returned', () => {
    expect(getInteger('sha-length', { min: 4, max: 40, env: { 'INPUT_SHA-LENGTH': '12' } })).toBe(12);
  });
  test.each(['3', '41', '7.5', 'seven'])('when the value is %s, then the range is stated', (value) => {
    expect(() => getInteger('sha-length', { min: 4, max: 40, env: { 'INPUT_SHA-LENGTH': value } })).toThrow(
      `Input 'sha-length': expected a whole number from 4 to 40, got '${value}'.`,
    );
  });
});

describe('durations', () => {
  test.each([
    ['90', 90_000],
    ['90s', 90_000],
    ['5m', 300_000],
    ['1h30m', 5_400_000],
    ['250ms', 250],
  ])('%s is %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });
  test.each(['', '5 minutes', '1.5m', 'm5', '-3s'])('"%s" is not a duration', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
  test('when a duration is out of bounds, then the error gives the bounds', () => {
    expect(() =>
      getDuration('health-timeout', { minMs: 1000, maxMs: 600_000, env: { 'INPUT_HEALTH-TIMEOUT': '2h' } }),
    ).toThrow(/Input 'health-timeout': expected a duration .* between 1s and 600s, got '2h'/);
  });
  test('when empty, then the default duration is parsed', () => {
    expect(getDuration('command-timeout', { default: '10m', env: {} })).toBe(600_000);
  });
});
