/**
 * Real webhook payloads: GitHub's example payloads as shipped by @octokit/webhooks-examples (the
 * `examples` GitHub's docs show for each event). A runner writes exactly this object to GITHUB_EVENT_PATH.
 */
import { createRequire } from 'node:module';
import type { Payload } from '../src/context.js';

interface Examples {
  name: string;
  examples: Payload[];
}

const require = createRequire(import.meta.url);
const all = require('@octokit/webhooks-examples') as Examples[];

/** A deep copy of the first example of `event` that satisfies `where`. */
export function examplePayload(event: string, where: (p: Payload) => boolean = () => true): Payload {
  const found = all.find((e) => e.name === event)?.examples.find(where);
  if (!found) throw new Error(`@octokit/webhooks-examples has no ${event} example matching the filter`);
  return structuredClone(found);
}

/** push to refs/heads/master of Codertocat/Hello-World (default branch master), after 6113728f... */
export const pushDefaultBranch = () => examplePayload('push', (p) => p.ref === 'refs/heads/master');
/** push of a tag (the example's refs/tags/simple-tag, with a real commit in `after`). */
export const pushTag = () =>
  examplePayload('push', (p) => p.ref === 'refs/tags/simple-tag' && !/^0+$/.test(String(p.after)));
/** pull_request opened: number 2, head ec26c3e5..., base master. */
export const pullRequestOpened = () => examplePayload('pull_request', (p) => p.action === 'opened');
/** workflow_dispatch on refs/heads/master, repository with a description. */
export const workflowDispatch = () =>
  examplePayload('workflow_dispatch', (p) => p.ref === 'refs/heads/master' && !!p.repository?.description);
/**
 * schedule: not a webhook, so not in the examples. GitHub documents its payload as the cron string
 * (and the workflow file); there is no `repository` object, and GITHUB_REF is the default branch.
 */
export const schedule = (): Payload => ({
  schedule: '30 5 * * 1',
  workflow: '.github/workflows/nightly.yml',
});
