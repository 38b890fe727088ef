/** security-gate's inputs, read and checked in one place; the token is masked before anything can print it. */
import { getBoolean, getEnum, getList, getString } from '../../lib/inputs.js';
import { setSecret } from '../../lib/runner.js';
import type { GateOptions } from './gate.js';
import { parsePathMap } from './path-map.js';
import { FORMATS } from './reports.js';

const THRESHOLDS = ['critical', 'high', 'medium', 'low', 'info', 'none'] as const;

/** The gate's policy inputs; where it runs (workspace, pull request, blob links) comes from the run, not inputs. */
export type PolicyInputs = Omit<
  GateOptions,
  'cwd' | 'pullRequest' | 'blobBase' | 'sarif' | 'sarifOutput' | 'version'
>;

export interface Inputs {
  token: string;
  /** Where the merged SARIF log goes; empty: none is written. */
  sarifOutput: string;
  policy: PolicyInputs;
}

export function getInputs(env: NodeJS.ProcessEnv = process.env): Inputs {
  const token = getString('github-token', { env });
  setSecret(token);
  return {
    token,
    sarifOutput: getString('sarif-output', { env }),
    policy: {
      reports: getList('reports', { env, required: true, comma: false }),
      format: getEnum('format', ['auto', ...FORMATS], { env, default: 'auto' }),
      failOn: getEnum('fail-on', THRESHOLDS, { env, default: 'high' }),
      reportOn: getEnum('report-on', THRESHOLDS, { env, default: 'low' }),
      ignoreUnfixed: getBoolean('ignore-unfixed', { env, default: false }),
      minConfidence: getEnum('min-confidence', ['low', 'medium', 'high'], { env, default: 'low' }),
      ignoreFile: getString('ignore-file', { env, default: '.security-gate.yml' }),
      baseline: getList('baseline', { env, comma: false }),
      diffFilter: getEnum('diff-filter', ['added', 'file', 'none'], { env, default: 'none' }),
      ifNoFiles: getEnum('if-no-files', ['error', 'warn', 'ignore'], { env, default: 'error' }),
      pathMap: parsePathMap(getList('path-map', { env, comma: false })),
    },
  };
}
