import { describe, expect, test } from '@jest/globals';
import { inputVariables as env } from '../../../stand-ins/runner-files.js';
import { getInputs } from '../src/inputs.js';

describe('security-gate getInputs', () => {
  test('only reports given: the documented defaults (fail on high, report from low, no SARIF)', () => {
    expect(getInputs(env({ reports: 'trivy.json\nbandit.json' }))).toEqual({
      token: '',
      sarifOutput: '',
      policy: {
        reports: ['trivy.json', 'bandit.json'],
        format: 'auto',
        failOn: 'high',
        reportOn: 'low',
        ignoreUnfixed: false,
        minConfidence: 'low',
        ignoreFile: '.security-gate.yml',
        baseline: [],
        diffFilter: 'none',
        ifNoFiles: 'error',
        pathMap: [],
      },
    });
  });

  test.each([
    [{ reports: '' }, "Input 'reports': is required"],
    [{ 'fail-on': 'severe' }, "Input 'fail-on'"],
    [{ format: 'grype' }, "Input 'format'"],
    [{ 'ignore-unfixed': 'sometimes' }, "Input 'ignore-unfixed'"],
    [{ 'path-map': 'no-equals-sign' }, "Input 'path-map'"],
  ])('bad input %j names the input', (inputs, message) => {
    expect(() => getInputs(env({ reports: 'trivy.json', ...inputs }))).toThrow(message);
  });
});
