/**
 * OCI image labels (org.opencontainers.image.*) from the event payload alone, no API call: the payload's
 * `repository` object carries name, html_url, description and license for most events; otherwise
 * GITHUB_SERVER_URL and GITHUB_REPOSITORY give source and title.
 */
import type { GitContext } from './context.js';

export function buildLabels(ctx: GitContext, version: string, created: Date): Record<string, string> {
  const repo = ctx.payload.repository;
  const url = repo?.html_url || (ctx.repository ? `${ctx.serverUrl}/${ctx.repository}` : '');
  const title = repo?.name || ctx.repository.split('/')[1] || '';
  const labels: Record<string, string> = {
    'org.opencontainers.image.created': created.toISOString(),
    'org.opencontainers.image.revision': ctx.sha,
    'org.opencontainers.image.version': version,
  };
  if (url) {
    labels['org.opencontainers.image.source'] = url;
    labels['org.opencontainers.image.url'] = url;
  }
  if (title) labels['org.opencontainers.image.title'] = title;
  if (repo?.description) labels['org.opencontainers.image.description'] = repo.description;
  const license = repo?.license?.spdx_id;
  if (license && license !== 'NOASSERTION') labels['org.opencontainers.image.licenses'] = license;
  return Object.fromEntries(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export const labelLines = (labels: Record<string, string>): string[] =>
  Object.entries(labels).map(([key, value]) => `${key}=${value.replace(/[\r\n]+/g, ' ')}`);
