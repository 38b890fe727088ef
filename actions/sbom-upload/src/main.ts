/**
 * sbom-upload: package-lock.json (or an existing CycloneDX / SPDX SBOM) -> validated CycloneDX 1.6 or
 * SPDX 2.3 JSON -> workflow artifact, GitHub dependency snapshot, optional signed attestation.
 */
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { getBoolean, getEnum, getString, InputError } from '../../lib/inputs.js';
import { realSleep, type Sleep } from '../../lib/retry.js';
import { runAction } from '../../lib/run-action.js';
import { appendSummary, info, setOutput, setSecret, warning } from '../../lib/runner.js';
import { inventoryFromCycloneDx, toCycloneDx, type Producer } from './cyclonedx.js';
import type { Inventory } from './inventory.js';
import { inventoryFromLockfile } from './lockfile.js';
import { defaultArtifactName } from './naming.js';
import { countInventory, summaryMarkdown, type Results } from './report.js';
import { SchemaError, validateSbom, type SbomKind } from './schema.js';
import { buildSnapshot, correlatorFor, submitSnapshot } from './snapshot.js';
import { inventoryFromSpdx, toSpdx } from './spdx.js';
import { attestSbom, uploadSbomArtifact } from './upload.js';

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

export interface Deps {
  fetch: typeof globalThis.fetch;
  now: () => Date;
  sleep: Sleep;
  env: NodeJS.ProcessEnv;
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

interface Loaded {
  inventory: Inventory;
  /** The parsed input SBOM, when one was given, with its kind. */
  original?: { kind: SbomKind; doc: unknown };
}

function workspaceRelative(file: string, env: NodeJS.ProcessEnv): string {
  const base = env.GITHUB_WORKSPACE || process.cwd();
  const rel = relative(base, file);
  return (rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file).split(sep).join('/');
}

export function loadSbomFile(file: string, env: NodeJS.ProcessEnv): Loaded {
  const path = resolve(file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'it is a directory'
          : code === 'EACCES'
            ? 'permission denied'
            : (err as Error).message;
    throw new InputError(
      'sbom-file',
      `cannot read '${file}': ${why}. Expected a CycloneDX or SPDX 2.3 JSON file.`,
    );
  }
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(text.replace(/^\uFEFF/, '')) as Record<string, unknown>;
  } catch (err) {
    throw new InputError(
      'sbom-file',
      `'${file}' is not valid JSON (${(err as Error).message}). Expected a CycloneDX or SPDX 2.3 JSON file.`,
    );
  }
  const source = workspaceRelative(path, env);
  if (doc && typeof doc === 'object' && doc.bomFormat === 'CycloneDX') {
    validateSbom('cyclonedx', doc, file);
    return { inventory: inventoryFromCycloneDx(doc, source), original: { kind: 'cyclonedx', doc } };
  }
  if (doc && typeof doc === 'object' && typeof doc.spdxVersion === 'string') {
    if (!/^SPDX-2\.[23]$/.test(doc.spdxVersion)) {
      throw new InputError(
        'sbom-file',
        `'${file}' is ${doc.spdxVersion}; expected SPDX-2.3 (or SPDX-2.2) JSON.`,
      );
    }
    validateSbom('spdx', doc, file);
    return { inventory: inventoryFromSpdx(doc as never, source), original: { kind: 'spdx', doc } };
  }
  throw new InputError(
    'sbom-file',
    `'${file}' is neither a CycloneDX JSON SBOM (bomFormat "CycloneDX") nor an SPDX JSON document (spdxVersion "SPDX-2.3").`,
  );
}

export function loadLockfile(dir: string, env: NodeJS.ProcessEnv): Loaded {
  const root = resolve(dir);
  let isDir = false;
  try {
    isDir = statSync(root).isDirectory();
  } catch {
    isDir = false;
  }
  if (!isDir)
    throw new InputError(
      'path',
      `'${dir}' is not a directory; expected the project folder holding package-lock.json.`,
    );
  for (const name of ['package-lock.json', 'npm-shrinkwrap.json']) {
    const file = join(root, name);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    const label = `${dir.replace(/\/+$/, '') || '.'}/${name}`;
    return {
      inventory: inventoryFromLockfile(text, label, workspaceRelative(file, env), {
        manifest: (key) => readManifest(join(root, key, 'package.json')),
      }),
    };
  }
  throw new InputError(
    'path',
    `no package-lock.json (or npm-shrinkwrap.json) in '${dir}'. Commit the lockfile (npm install --package-lock-only), ` +
      `or set 'sbom-file' to an existing CycloneDX or SPDX SBOM.`,
  );
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
      results.snapshot = { id: submitted.id, result: submitted.result, purls: report };
      setOutput('snapshot-id', submitted.id, env);
      info(`Submitted dependency snapshot ${submitted.id} (${submitted.result}).`);
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

/** A package.json, or undefined when it is not there or not JSON (the package is then not known to be private). */
function readManifest(path: string): { private?: unknown } | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as { private?: unknown };
  } catch {
    return undefined;
  }
}

export async function run(): Promise<void> {
  await runAction(() =>
    main({ fetch: globalThis.fetch, now: () => new Date(), sleep: realSleep, env: process.env }),
  );
}
