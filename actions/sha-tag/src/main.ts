/**
 * sha-tag: image tags and OCI labels for the current commit, from the runner's variables and the event
 * payload. No network call; no @actions/* import (actions/lib/runner.ts speaks the runner protocol).
 */
import { readFileSync, writeSync } from 'node:fs';
import { getBoolean, getInteger, getList } from '../../lib/inputs.js';
import { runMain } from '../../lib/run-main.js';
import { appendSummary, setOutput, warning } from '../../lib/runner.js';
import { SummaryBuilder } from '../../lib/summary.js';
import { parsePayload, readContext, type Payload } from './context.js';
import { validateImages } from './images.js';
import { buildLabels, labelLines } from './labels.js';
import { parseFlavor, parseRules } from './rules.js';
import { computeTags } from './tags.js';

export function getInputs(env: NodeJS.ProcessEnv = process.env) {
  return {
    images: validateImages(getList('images', { env })),
    rules: parseRules(getList('tags', { env, comma: false })),
    flavor: parseFlavor(getList('flavor', { env, comma: false })),
    shaLength: getInteger('sha-length', { env, default: 7, min: 1, max: 64 }),
    usePrHeadSha: getBoolean('use-pr-head-sha', { env, default: true }),
  };
}

/**
 * Plain log lines straight to fd 1. runner.ts's info() goes through process.stdout, whose first use
 * builds a stream object (for the runner's pipe, 5-10 ms: a quarter of a bare node start). Both are
 * synchronous on Linux, so lines stay in order with the workflow commands runner.ts writes.
 */
function log(lines: string[]): void {
  const text = Buffer.from(lines.join('\n') + '\n');
  for (let offset = 0; offset < text.length;) {
    try {
      offset += writeSync(1, text, offset);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
    }
  }
}

function readPayload(env: NodeJS.ProcessEnv): Payload {
  const path = env.GITHUB_EVENT_PATH;
  if (!path) return {};
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(
      `Cannot read the event payload at GITHUB_EVENT_PATH (${path}): ${(err as Error).message}`,
    );
  }
  return parsePayload(text, path);
}

export async function run(env: NodeJS.ProcessEnv = process.env, now: () => Date = () => new Date()) {
  await runMain(async () => {
    const inputs = getInputs(env);
    const ctx = readContext(env, readPayload(env), { usePrHeadSha: inputs.usePrHeadSha });
    const created = now();
    const result = computeTags(inputs.rules, inputs.flavor, ctx, {
      images: inputs.images,
      shaLength: inputs.shaLength,
      now: created,
    });
    for (const line of result.warnings) warning(line);
    const labels = buildLabels(ctx, result.version, created);

    log([
      `event ${ctx.eventName || '(none)'}, ref ${ctx.ref || '(none)'}, commit ${ctx.sha}`,
      ...(ctx.ref !== ctx.githubRef
        ? [`pull request ref ${ctx.ref} (GITHUB_REF ${ctx.githubRef || '(none)'} is the base branch)`]
        : []),
      ...(ctx.sha !== ctx.githubSha
        ? [`pull request head ${ctx.sha} (GITHUB_SHA is the merge commit ${ctx.githubSha})`]
        : []),
      ...result.tags,
    ]);

    const immutableRef = `${inputs.images[0]}:${result.immutableTag}`;
    setOutput('tags', result.tags.join('\n'), env);
    setOutput('tag-names', result.tagNames.join('\n'), env);
    setOutput('version', result.version, env);
    setOutput('sha', ctx.sha, env);
    setOutput('short-sha', result.shortSha, env);
    setOutput('immutable-tag', result.immutableTag, env);
    setOutput('immutable-ref', immutableRef, env);
    setOutput('is-default-branch', String(result.isDefaultBranch), env);
    setOutput('is-prerelease', String(result.isPrerelease), env);
    setOutput('is-latest', String(result.isLatest), env);
    setOutput('labels', labelLines(labels).join('\n'), env);
    setOutput(
      'json',
      JSON.stringify({
        tags: result.tags,
        labels,
        version: result.version,
        sha: ctx.sha,
        immutableTag: result.immutableTag,
        immutableRef,
        isDefaultBranch: result.isDefaultBranch,
        isPrerelease: result.isPrerelease,
        isLatest: result.isLatest,
      }),
      env,
    );

    const summary = new SummaryBuilder()
      .heading('sha-tag')
      .paragraph(`Version \`${result.version}\`, immutable tag \`${immutableRef}\`.`)
      .table(
        ['tag'],
        result.tags.map((tag) => [tag]),
        { noun: 'tags' },
      )
      .table(['label', 'value'], Object.entries(labels), { noun: 'labels' });
    appendSummary(summary.toString(), env);
  });
}
