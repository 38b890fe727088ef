/** Names that must not collide between jobs, matrix combinations and re-runs of one workflow run. */
import { matrixKey } from './snapshot.js';

/** Artifact names may not contain " : < > | * ? \ / or line breaks (actions/toolkit artifact rules). */
export function safeArtifactPart(text: string): string {
  return text
    .replace(/["':<>|*?\\/\r\n\s]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
}

function matrixValues(matrix: string): string {
  try {
    const value = JSON.parse(matrix) as unknown;
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      return Object.keys(value)
        .sort()
        .map((k) => {
          const v = (value as Record<string, unknown>)[k];
          return typeof v === 'object' ? '' : String(v);
        })
        .filter(Boolean)
        .join('-');
    }
  } catch {
    // hashed only
  }
  return '';
}

/**
 * `sbom-<job>[-<matrix values>-<hash>]-<attempt>`: readable, and unique because the hash covers the
 * whole matrix combination even when its values are long or nested.
 */
export function defaultArtifactName(job: string, matrix: string, runAttempt: string): string {
  const key = matrixKey(matrix);
  const parts = ['sbom', safeArtifactPart(job || 'job')];
  if (key) {
    const readable = safeArtifactPart(matrixValues(matrix)).slice(0, 60);
    if (readable) parts.push(readable);
    parts.push(key.slice(0, 8));
  }
  parts.push(`attempt${runAttempt || '1'}`);
  return parts.join('-');
}
