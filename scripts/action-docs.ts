/**
 * Input and output tables of every action, generated from its action.yml into its own README.md
 * (actions/<name>/README.md) between `<!-- BEGIN <name> reference -->` and `<!-- END <name> reference -->`.
 * `npm run docs` rewrites them; a test fails when a README has drifted from its action.yml.
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

/** An action's README.md with its reference block regenerated from its action.yml. */
export function renderReadme(name: string, readme: string, root = 'actions'): string {
  const begin = `<!-- BEGIN ${name} reference -->`;
  const end = `<!-- END ${name} reference -->`;
  const start = readme.indexOf(begin);
  const stop = readme.indexOf(end);
  if (start < 0 || stop < start)
    throw new Error(`${join(root, name, 'README.md')} has no "${begin}" ... "${end}" block.`);
  const meta = parse(readFileSync(join(root, name, 'action.yml'), 'utf8')) as ActionYml;
  return `${readme.slice(0, start + begin.length)}\n\n${referenceTables(meta)}\n\n${readme.slice(stop)}`;
}

/** renderReadme of actions/<name>/README.md, formatted as `npm run lint` (Prettier) expects it. */
export async function formattedReadme(name: string, root = 'actions'): Promise<string> {
  const path = join(root, name, 'README.md');
  const options = (await resolveConfig(path)) ?? {};
  return format(renderReadme(name, readFileSync(path, 'utf8'), root), { ...options, filepath: path });
}

if (process.argv[1]?.endsWith('action-docs.ts')) {
  for (const name of actionsWithMetadata()) {
    writeFileSync(join('actions', name, 'README.md'), await formattedReadme(name));
  }
  console.log('actions/<name>/README.md reference tables regenerated from action.yml');
}
