/** The job summary: where the image went, under which tags, and the repository's settings. */
import { SummaryBuilder } from '../../lib/summary.js';
import type { RepositoryState } from './ecr.js';
import { describeMutability } from './mutability.js';
import type { PushResult } from './push.js';

export function summaryMarkdown(imageUri: string, result: PushResult, repo: RepositoryState): string {
  const summary = new SummaryBuilder();
  summary.heading('ecr-push');
  summary.paragraph(`Image: \`${imageUri}\``);
  summary.table(
    ['Tag', 'Result', 'Digest'],
    [
      ...result.pushed.map((tag) => [tag, 'pushed', result.digest]),
      ...result.skipped.map((tag) => [tag, 'skipped (already this digest)', result.digest]),
    ],
    { noun: 'tags' },
  );
  summary.table(
    ['Repository', 'State', 'Tag mutability', 'Scan on push', 'Encryption', 'Lifecycle policy'],
    [
      [
        repo.name,
        repo.created ? 'created' : 'existing (left as it is)',
        describeMutability({ mutability: repo.imageTagMutability, exclusions: repo.mutabilityExclusions }),
        repo.scanOnPush ? 'yes' : 'no',
        repo.kmsKey ? `${repo.encryption} (${repo.kmsKey})` : repo.encryption,
        repo.lifecyclePolicyApplied ? 'applied' : repo.created ? 'none' : 'unchanged',
      ],
    ],
  );
  return summary.toString();
}

export function describeRepository(repo: RepositoryState): string {
  return (
    `Repository '${repo.name}' ${repo.created ? 'created' : 'exists (settings left as they are)'}: ` +
    `tag mutability ${describeMutability({ mutability: repo.imageTagMutability, exclusions: repo.mutabilityExclusions })}, scan on push ${repo.scanOnPush ? 'on' : 'off'}, ` +
    `encryption ${repo.encryption}${repo.kmsKey ? ` (${repo.kmsKey})` : ''}` +
    `${repo.lifecyclePolicyApplied ? ', lifecycle policy applied' : ''}.`
  );
}
