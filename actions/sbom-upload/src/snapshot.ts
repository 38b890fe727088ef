/**
 * GitHub dependency submission: Inventory -> snapshot payload, and the POST that submits it
 * (https://docs.github.com/rest/dependency-graph/dependency-submission). Every package_url must be a
 * valid purl; ones that are not are re-encoded when they can be, else left out with a warning, so a
 * single odd component never fails the whole request.
 */
import { createHash } from 'node:crypto';
import { PackageURL } from 'packageurl-js';
import { isNetworkFailure, withRetry, type Sleep } from '../../lib/retry.js';
import { displayName, type Inventory } from './inventory.js';

export interface SnapshotContext {
  sha: string;
  ref: string;
  correlator: string;
  runId: string;
  htmlUrl?: string;
  detector: { name: string; version: string; url: string };
  scanned: Date;
}

export interface PurlReport {
  sanitized: { from: string; to: string }[];
  skipped: { name: string; reason: string }[];
  /** The project's own packages (workspaces, file: dependencies, private packages), left out of the graph. */
  local: string[];
}

interface Resolved {
  package_url: string;
  relationship: 'direct' | 'indirect';
  scope: 'runtime' | 'development';
  dependencies: string[];
}

export interface Snapshot {
  version: 0;
  sha: string;
  ref: string;
  job: { correlator: string; id: string; html_url?: string };
  detector: { name: string; version: string; url: string };
  scanned: string;
  manifests: Record<
    string,
    { name: string; file: { source_location: string }; resolved: Record<string, Resolved> }
  >;
}

const PURL_SHAPE = /^pkg:[a-z][a-z0-9.+-]*\/[^\s]+$/;

/**
 * A purl GitHub accepts, or why not. A parsable purl is put in canonical form (encoding, lower-case
 * type); an unparsable one is rebuilt from its parts when the type and name can be made out.
 */
export function sanitizePurl(purl: string | undefined): { purl?: string; reason?: string } {
  if (!purl) return { reason: 'no package URL' };
  const text = purl.trim();
  try {
    const canonical = PackageURL.fromString(text).toString();
    if (PURL_SHAPE.test(canonical)) return { purl: canonical };
  } catch {
    // rebuilt below
  }
  const match = /^pkg:\/*([A-Za-z][A-Za-z0-9.+-]*)\/(.+?)(?:@([^?#@]+))?(?:\?[^#]*)?(?:#.*)?$/.exec(text);
  if (!match) return { reason: `'${text}' is not a package URL (pkg:type/name@version)` };
  const [, type, path, version] = match;
  const parts = path!
    .split('/')
    .map((p) => decodeURIComponentSafe(p))
    .filter(Boolean);
  const name = parts.pop();
  if (!name) return { reason: `'${text}' has no package name` };
  try {
    const rebuilt = new PackageURL(
      type!.toLowerCase(),
      parts.length ? parts.join('/') : undefined,
      name,
      version ? decodeURIComponentSafe(version) : undefined,
      undefined,
      undefined,
    ).toString();
    PackageURL.fromString(rebuilt);
    if (PURL_SHAPE.test(rebuilt)) return { purl: rebuilt };
  } catch {
    // fall through
  }
  return { reason: `'${text}' is not a valid package URL` };
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Builds the snapshot. The manifest is named after the inventory's source (lockfile or SBOM file). */
export function buildSnapshot(
  inventory: Inventory,
  context: SnapshotContext,
): { snapshot: Snapshot; report: PurlReport } {
  const report: PurlReport = { sanitized: [], skipped: [], local: [] };
  const byRef = new Map(inventory.packages.map((p) => [p.ref, p]));
  // The project's own code is not a dependency: a public purl for it (pkg:npm/<workspace>@0.1.0) would
  // name a registry package that is not this one. What it depends on stays, one level up.
  const ownCode = (ref: string) => byRef.get(ref)?.local === true || byRef.get(ref)?.private === true;
  const throughOwnCode = (refs: string[]): string[] => {
    const out = new Set<string>();
    const seen = new Set<string>();
    const visit = (ref: string): void => {
      if (!ownCode(ref)) out.add(ref);
      else if (!seen.has(ref)) {
        seen.add(ref);
        for (const dep of byRef.get(ref)!.dependsOn) visit(dep);
      }
    };
    for (const ref of refs) visit(ref);
    return [...out];
  };
  const purlOf = new Map<string, string>();
  for (const pkg of inventory.packages) {
    if (ownCode(pkg.ref)) {
      report.local.push(`${displayName(pkg)}${pkg.version ? `@${pkg.version}` : ''}`);
      continue;
    }
    const result = sanitizePurl(pkg.purl);
    if (result.purl) {
      purlOf.set(pkg.ref, result.purl);
      if (result.purl !== pkg.purl) report.sanitized.push({ from: pkg.purl ?? '', to: result.purl });
    } else {
      report.skipped.push({
        name: `${displayName(pkg)}${pkg.version ? `@${pkg.version}` : ''}`,
        reason: result.reason ?? 'invalid',
      });
    }
  }
  const direct = new Set(throughOwnCode(inventory.rootDependsOn));
  const resolved: Record<string, Resolved> = {};
  for (const pkg of inventory.packages) {
    const purl = purlOf.get(pkg.ref);
    if (!purl || resolved[purl]) continue;
    resolved[purl] = {
      package_url: purl,
      relationship: direct.has(pkg.ref) ? 'direct' : 'indirect',
      scope: pkg.dev ? 'development' : 'runtime',
      dependencies: [
        ...new Set(
          throughOwnCode(pkg.dependsOn)
            .map((ref) => purlOf.get(ref))
            .filter((p): p is string => !!p),
        ),
      ],
    };
  }
  const snapshot: Snapshot = {
    version: 0,
    sha: context.sha,
    ref: context.ref,
    job: {
      correlator: context.correlator,
      id: context.runId,
      ...(context.htmlUrl ? { html_url: context.htmlUrl } : {}),
    },
    detector: context.detector,
    scanned: context.scanned.toISOString(),
    manifests: {
      [inventory.source]: { name: inventory.source, file: { source_location: inventory.source }, resolved },
    },
  };
  return { snapshot, report };
}

/**
 * Correlator for the submission API: one per workflow, job and matrix combination (and SBOM source,
 * so two runs of the action in one job do not replace each other's snapshot).
 */
export function correlatorFor(workflow: string, job: string, matrix: string, source: string): string {
  const parts = [workflow || 'workflow', job || 'job'];
  const combination = matrixKey(matrix);
  if (combination) parts.push(combination);
  parts.push(source);
  return parts.join(' / ');
}

/** A stable short key of a matrix combination (the `matrix` context as JSON), '' for none. */
export function matrixKey(matrix: string): string {
  const text = matrix.trim();
  if (!text || text === 'null' || text === '{}') return '';
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return createHash('sha256').update(text).digest('hex').slice(0, 12);
  }
  if (value === null || (typeof value === 'object' && Object.keys(value as object).length === 0)) return '';
  return createHash('sha256').update(stableJson(value)).digest('hex').slice(0, 12);
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

export class SubmissionError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'SubmissionError';
  }
}

export interface SubmitOptions {
  apiUrl: string;
  repository: string;
  token: string;
  fetch: typeof globalThis.fetch;
  sleep?: Sleep;
  log?: (line: string) => void;
}

export interface SubmitResult {
  id: number;
  result: string;
  message?: string;
}

function explain(status: number, endpoint: string, apiMessage: string): string {
  const detail = `POST ${endpoint} returned HTTP ${status}${apiMessage ? `: ${apiMessage}` : ''}`;
  if (status === 401) return `Input 'github-token' was rejected by GitHub (${detail}).`;
  if (status === 403) {
    return (
      `Dependency submission needs the 'contents: write' permission on the github-token (${detail}). ` +
      `Add 'permissions: contents: write' to the job; pull requests from forks get a read-only token, ` +
      `so set 'dependency-snapshot: false' for them.`
    );
  }
  if (status === 404) {
    return (
      `Dependency submission failed (${detail}): the repository is not visible to the github-token ` +
      `(it needs 'contents: write') or its dependency graph is turned off.`
    );
  }
  return `Dependency submission failed (${detail}).`;
}

/** How long one submission may take before it counts as a network failure (and is retried). */
const SUBMIT_TIMEOUT_MS = 60_000;

/**
 * POSTs the snapshot; 429, 5xx and network failures are retried, any other answer fails with the permission it
 * needs, and any other error (a bug, not the network) fails at once.
 */
export async function submitSnapshot(snapshot: Snapshot, options: SubmitOptions): Promise<SubmitResult> {
  const endpoint = `/repos/${options.repository}/dependency-graph/snapshots`;
  const url = `${options.apiUrl.replace(/\/+$/, '')}${endpoint}`;
  return withRetry(
    async () => {
      const response = await options.fetch(url, {
        method: 'POST',
        headers: {
          accept: 'application/vnd.github+json',
          authorization: `Bearer ${options.token}`,
          'content-type': 'application/json',
          'user-agent': 'sbom-upload-action',
          'x-github-api-version': '2022-11-28',
        },
        body: JSON.stringify(snapshot),
        signal: AbortSignal.timeout(SUBMIT_TIMEOUT_MS),
      });
      const text = await response.text();
      let body: Record<string, unknown> = {};
      try {
        body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
      } catch {
        body = { message: text.slice(0, 200) };
      }
      if (!response.ok) {
        throw new SubmissionError(
          response.status,
          explain(response.status, endpoint, String(body.message ?? '')),
        );
      }
      return {
        id: Number(body.id),
        result: String(body.result ?? ''),
        ...(body.message ? { message: String(body.message) } : {}),
      };
    },
    {
      label: 'GitHub dependency submission',
      maxAttempts: 4,
      retryable: (err) =>
        err instanceof SubmissionError ? err.status === 429 || err.status >= 500 : isNetworkFailure(err),
      sleep: options.sleep,
      log: options.log,
    },
  );
}
