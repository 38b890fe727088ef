/** sbom-upload's inputs, read and checked in one place. */
import { getBoolean, getEnum, getString, InputError } from '../../lib/inputs.js';
import { setSecret } from '../../lib/runner.js';

export const FORMATS = ['cyclonedx-json', 'spdx-json'] as const;
export type Format = (typeof FORMATS)[number];

export interface Inputs {
  token: string;
  path: string;
  sbomFile: string;
  format: Format;
  uploadArtifact: boolean;
  artifactName: string;
  dependencySnapshot: boolean;
  attest: boolean;
  subjectDigest: string;
  subjectName: string;
  matrix: string;
}

/** Reads every input; the token is masked before anything else can print it. */
export function getInputs(env: NodeJS.ProcessEnv = process.env): Inputs {
  const token = getString('github-token', { env });
  setSecret(token);
  const inputs: Inputs = {
    token,
    path: getString('path', { env, default: '.' }),
    sbomFile: getString('sbom-file', { env }),
    format: getEnum('format', FORMATS, { env, default: 'cyclonedx-json' }),
    uploadArtifact: getBoolean('upload-artifact', { env, default: true }),
    artifactName: getString('artifact-name', { env }),
    dependencySnapshot: getBoolean('dependency-snapshot', { env, default: true }),
    attest: getBoolean('attest', { env, default: false }),
    subjectDigest: getString('subject-digest', { env }),
    subjectName: getString('subject-name', { env }),
    matrix: getString('matrix', { env }),
  };
  if (inputs.attest) {
    if (!/^sha256:[a-f0-9]{64}$/.test(inputs.subjectDigest)) {
      throw new InputError(
        'subject-digest',
        `expected sha256:<64 lower-case hex digits> (e.g. the 'digest' output of ecr-push) when attest is true, got '${inputs.subjectDigest}'.`,
      );
    }
    if (!inputs.subjectName) {
      throw new InputError(
        'subject-name',
        'is required when attest is true (e.g. the image name without tag).',
      );
    }
  }
  if ((inputs.dependencySnapshot || inputs.attest) && !token) {
    throw new InputError('github-token', 'is required when dependency-snapshot or attest is true.');
  }
  return inputs;
}
