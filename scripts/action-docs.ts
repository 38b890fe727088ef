/**
 * Input and output tables of every action, generated from its action.yml into README.md between
 * `<!-- BEGIN <name> reference -->` and `<!-- END <name> reference -->`. `npm run docs` rewrites them;
 * a test fails when README.md has drifted from the action.yml files.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { format, resolveConfig } from 'prettier';
import { parse } from 'yaml';

interface ActionYml {
  inputs?: Record<string, { description?: string; required?: boolean; default?: unknown }>;
  outputs?: Record<string, { description?: string }>;
}

const escape = (text: unknown) =>
  String(text ?? '')
    .trim()
    .replace(/\|/g, '\\|')
    .replace(/\s*\n\s*/g, ' ');

export function referenceTables(meta: ActionYml): string {
  const inputs = Object.entries(meta.inputs ?? {}).map(
    ([name, spec]) =>
      `| \`${name}\` | ${spec.required ? 'yes' : 'no'} | ${spec.default === undefined || spec.default === '' ? '' : `\`${escape(spec.default)}\``} | ${escape(spec.description)} |`,
  );
  const outputs = Object.entries(meta.outputs ?? {}).map(
    ([name, spec]) => `| \`${name}\` | ${escape(spec.description)} |`,
  );
  return [
    '| input | required | default | description |',
    '| --- | --- | --- | --- |',
    ...inputs,
    '',
    '| output | description |',
    '| --- | --- |',
    ...outputs,
  ].join('\n');
}

export function actionsWithMetadata(root = 'actions'): string[] {
  return readdirSync(root)
    .filter((name) => existsSync(join(root, name, 'action.yml')))
    .sort();
}

/** README.md with every reference block regenerated; throws when an action has no block. */
export function renderReadme(readme: string, root = 'actions'): string {
  let result = readme;
  for (const name of actionsWithMetadata(root)) {
    const begin = `<!-- BEGIN ${name} reference -->`;
    const end = `<!-- END ${name} reference -->`;
    const start = result.indexOf(begin);
    const stop = result.indexOf(end);
    if (start < 0 || stop < start)
      throw new Error(`README.md has no "${begin}" ... "${end}" block for ${name}.`);
    const meta = parse(readFileSync(join(root, name, 'action.yml'), 'utf8')) as ActionYml;
    result = `${result.slice(0, start + begin.length)}\n\n${referenceTables(meta)}\n\n${result.slice(stop)}`;
  }
  return result;
}

/** renderReadme, formatted as `npm run lint` (Prettier) expects it. */
export async function formattedReadme(path = 'README.md'): Promise<string> {
  const options = (await resolveConfig(path)) ?? {};
  return format(renderReadme(readFileSync(path, 'utf8')), { ...options, filepath: path });
}

if (process.argv[1]?.endsWith('action-docs.ts')) {
  writeFileSync('README.md', await formattedReadme());
  console.log('README.md reference tables regenerated from action.yml');
}
