/**
 * The heavy clients, loaded only when their feature is on: @actions/artifact (artifact upload) and
 * @actions/attest (Sigstore signing + attestation store). Their failures are rewritten to name the
 * permission or runner setting they need.
 */
export interface ArtifactResult {
  id?: number;
  size?: number;
}

export async function uploadSbomArtifact(
  name: string,
  file: string,
  rootDirectory: string,
  retentionDays?: number,
): Promise<ArtifactResult> {
  const { DefaultArtifactClient } = await import('@actions/artifact');
  try {
    const result = await new DefaultArtifactClient().uploadArtifact(name, [file], rootDirectory, {
      ...(retentionDays ? { retentionDays } : {}),
    });
    return { id: result.id, size: result.size };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (/already exists|Conflict|409/i.test(message)) {
      throw new Error(
        `Artifact upload failed: an artifact named '${name}' already exists in this run. ` +
          `Set a distinct 'artifact-name' per step (${message})`,
      );
    }
    throw new Error(`Artifact upload of '${name}' failed: ${message}`);
  }
}

export interface AttestResult {
  id?: string;
  url?: string;
}

export async function attestSbom(options: {
  subjectName: string;
  subjectDigest: string;
  predicateType: string;
  predicate: object;
  token: string;
  serverUrl: string;
  repository: string;
}): Promise<AttestResult> {
  const { attest } = await import('@actions/attest');
  const [algorithm, hex] = options.subjectDigest.split(':') as [string, string];
  try {
    const attestation = await attest({
      subjects: [{ name: options.subjectName, digest: { [algorithm]: hex } }],
      predicateType: options.predicateType,
      predicate: options.predicate,
      token: options.token,
    });
    const id = attestation.attestationID;
    return {
      id,
      url: id
        ? `${options.serverUrl.replace(/\/+$/, '')}/${options.repository}/attestations/${id}`
        : undefined,
    };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (/ACTIONS_ID_TOKEN_REQUEST|id-token|OIDC/i.test(message)) {
      throw new Error(
        `Attestation failed: 'attest: true' needs the job permissions 'id-token: write' and 'attestations: write' (${message})`,
      );
    }
    if (/403|Resource not accessible|permission/i.test(message)) {
      throw new Error(`Attestation failed: the github-token needs 'attestations: write' (${message})`);
    }
    throw new Error(`Attestation failed: ${message}`);
  }
}
