/**
 * sbom-upload: package-lock.json (or an existing CycloneDX / SPDX SBOM) -> validated CycloneDX 1.6 or
 * SPDX 2.3 JSON -> workflow artifact, GitHub dependency snapshot, optional signed attestation.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { realSleep, type Sleep } from '../../lib/retry.js';
import { runMain } from '../../lib/run-main.js';
import { appendSummary, info, setOutput, warning } from '../../lib/runner.js';
import { toCycloneDx, type Producer } from './cyclonedx.js';
import { getInputs, type Inputs } from './inputs.js';
import type { Inventory } from './inventory.js';
import { defaultArtifactName } from './naming.js';
import { countInventory, summaryMarkdown, type Results } from './report.js';
import { SchemaError, validateSbom, type SbomKind } from './schema.js';
import { buildSnapshot, correlatorFor, submitSnapshot } from './snapshot.js';
import { loadLockfile, loadSbomFile } from './sources.js';
import { toSpdx } from './spdx.js';
import { attestSbom, uploadSbomArtifact } from './upload.js';

export interface Deps {
  fetch: typeof globalThis.fetch;
  now: () => Date;
  sleep: Sleep;
  env: NodeJS.ProcessEnv;
}

const PREDICATE_TYPES: Record<SbomKind, string> = {
  cyclonedx: 'https://cyclonedx.org/bom',
  spdx: 'https://spdx.dev/Document/v2.3',
};

export async function main(deps: Deps): Promise<void> {
  const { env } = deps;
  const inputs = getInputs(env);
  const loaded = inputs.sbomFile ? loadSbomFile(inputs.sbomFile, env) : loadLockfile(inputs.path, env);
  const { inventory } = loaded;
  const kind: SbomKind = inputs.format === 'spdx-json' ? 'spdx' : 'cyclonedx';
  const producer: Producer = { name: 'sbom-upload', version: env.GITHUB_ACTION_REF || '1' };

  let doc: unknown;
  if (loaded.original?.kind === kind) {
    doc = loaded.original.doc;
  } else {
    doc =
      kind === 'cyclonedx'
        ? toCycloneDx(inventory, { producer, now: deps.now() })
        : toSpdx(inventory, { producer, now: deps.now() });
    try {
      validateSbom(kind, doc, `the generated ${inputs.format} SBOM`);
    } catch (err) {
      if (err instanceof SchemaError)
        throw new Error(`${err.message} This is a bug in sbom-upload; please report it.`);
      throw err;
    }
  }

  const artifactName =
    inputs.artifactName ||
    defaultArtifactName(env.GITHUB_JOB ?? '', inputs.matrix, env.GITHUB_RUN_ATTEMPT ?? '');
  const outDir = join(env.RUNNER_TEMP || tmpdir(), 'sbom-upload');
  const sbomPath = join(
    outDir,
    `${artifactName.replace(/[^A-Za-z0-9._-]+/g, '-')}.${kind === 'cyclonedx' ? 'cdx' : 'spdx'}.json`,
  );
  mkdirSync(dirname(sbomPath), { recursive: true });
  writeFileSync(sbomPath, JSON.stringify(doc, null, 2) + '\n');
  setOutput('sbom-path', sbomPath, env);
  setOutput('component-count', inventory.packages.length, env);
  info(
    `Wrote ${inventory.packages.length} components from ${inventory.source} to ${sbomPath} (${inputs.format}).`,
  );

  const results: Results = { sbomPath, format: inputs.format, source: inventory.source };
  try {
    if (inputs.uploadArtifact) {
      const artifact = await uploadSbomArtifact(artifactName, sbomPath, outDir);
      results.artifact = { name: artifactName, ...artifact };
      setOutput('artifact-id', artifact.id ?? '', env);
      info(`Uploaded artifact '${artifactName}' (id ${artifact.id ?? 'n/a'}).`);
    } else {
      results.artifact = 'skipped';
      setOutput('artifact-id', '', env);
    }

    if (inputs.dependencySnapshot) {
      results.snapshot = await submitDependencySnapshot(inventory, inputs, producer, deps);
    } else {
      results.snapshot = 'skipped';
      setOutput('snapshot-id', '', env);
    }

    if (inputs.attest) {
      const attestation = await attestSbom({
        subjectName: inputs.subjectName,
        subjectDigest: inputs.subjectDigest,
        predicateType: PREDICATE_TYPES[kind],
        predicate: doc as object,
        token: inputs.token,
        serverUrl: env.GITHUB_SERVER_URL || 'https://github.com',
        repository: env.GITHUB_REPOSITORY ?? '',
      });
      results.attestation = attestation;
      setOutput('attestation-url', attestation.url ?? '', env);
      info(`Attestation ${attestation.id ?? ''} ${attestation.url ?? ''}`.trim());
    } else {
      results.attestation = 'skipped';
      setOutput('attestation-url', '', env);
    }
  } catch (err) {
    results.failure = err instanceof Error ? err.message : String(err);
    throw err;
  } finally {
    // The summary is written on failure too: what was generated and how far the uploads got.
    appendSummary(summaryMarkdown(inventory, countInventory(inventory), results), env);
  }
}

/** The inventory as a GitHub dependency snapshot of the run's commit, submitted; what was left out is reported. */
async function submitDependencySnapshot(
  inventory: Inventory,
  inputs: Inputs,
  producer: Producer,
  deps: Deps,
): Promise<Exclude<NonNullable<Results['snapshot']>, 'skipped'>> {
  const { env } = deps;
  const repository = env.GITHUB_REPOSITORY ?? '';
  if (!/^[^/\s]+\/[^/\s]+$/.test(repository)) {
    throw new Error(
      `GITHUB_REPOSITORY is '${repository}'; expected owner/name (dependency-snapshot needs a GitHub Actions run).`,
    );
  }
  const server = env.GITHUB_SERVER_URL || 'https://github.com';
  const { sha, ref } = commitOf(env);
  const { snapshot, report } = buildSnapshot(inventory, {
    sha,
    ref,
    correlator: correlatorFor(
      env.GITHUB_WORKFLOW ?? '',
      env.GITHUB_JOB ?? '',
      inputs.matrix,
      inventory.source,
    ),
    runId: env.GITHUB_RUN_ID || '0',
    htmlUrl: env.GITHUB_RUN_ID ? `${server}/${repository}/actions/runs/${env.GITHUB_RUN_ID}` : undefined,
    detector: {
      name: 'sbom-upload',
      version: producer.version,
      url: `${server}/${env.GITHUB_ACTION_REPOSITORY || repository}`,
    },
    scanned: deps.now(),
  });
  if (report.skipped.length) {
    warning(
      `${report.skipped.length} components left out of the dependency snapshot (no valid package URL): ` +
        report.skipped
          .slice(0, 5)
          .map((s) => `${s.name} (${s.reason})`)
          .join('; ') +
        (report.skipped.length > 5 ? `; ${report.skipped.length - 5} more in the job summary` : ''),
    );
  }
  if (report.sanitized.length)
    info(`${report.sanitized.length} package URLs were re-encoded for the dependency snapshot.`);
  if (report.local.length)
    info(
      `${report.local.length} of the project's own packages (workspaces, file: dependencies, private ` +
        `packages) left out of the dependency snapshot, their dependencies kept: ${report.local.join(', ')}.`,
    );
  const submitted = await submitSnapshot(snapshot, {
    apiUrl: env.GITHUB_API_URL || 'https://api.github.com',
    repository,
    token: inputs.token,
    fetch: deps.fetch,
    sleep: deps.sleep,
  });
  if (submitted.result === 'INVALID')
    warning(`GitHub marked the dependency snapshot INVALID: ${submitted.message ?? ''}`);
  setOutput('snapshot-id', submitted.id, env);
  info(`Submitted dependency snapshot ${submitted.id} (${submitted.result}).`);
  return { id: submitted.id, result: submitted.result, purls: report };
}

/** The commit the snapshot describes: the PR head for pull_request events (GitHub's guidance), else GITHUB_SHA/REF. */
export function commitOf(env: NodeJS.ProcessEnv): { sha: string; ref: string } {
  if (env.GITHUB_EVENT_PATH) {
    try {
      const event = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8')) as {
        pull_request?: { head?: { sha?: string; ref?: string } };
      };
      const head = event.pull_request?.head;
      if (head?.sha && head.ref) return { sha: head.sha, ref: `refs/heads/${head.ref}` };
    } catch {
      // not a pull request payload
    }
  }
  const sha = env.GITHUB_SHA ?? '';
  const ref = env.GITHUB_REF ?? '';
  if (!/^[0-9a-f]{40}$/.test(sha) || !ref.startsWith('refs/')) {
    throw new Error(
      `GITHUB_SHA '${sha}' / GITHUB_REF '${ref}' do not name a commit and ref; dependency-snapshot needs a GitHub Actions run.`,
    );
  }
  return { sha, ref };
}

export async function run(): Promise<void> {
  await runMain(() =>
    main({ fetch: globalThis.fetch, now: () => new Date(), sleep: realSleep, env: process.env }),
  );
}
