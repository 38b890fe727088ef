/**
 * Keeps every action.yml honest: each input the code reads is declared and each declared input is
 * read; the same for outputs; everything has a description; the action runs the committed bundle; and the
 * Marketplace metadata (author, branding) is there and valid by the action.yml schema that
 * @action-validator/core ships (SchemaStore's, with GitHub's list of branding icons and colors).
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, test } from '@jest/globals';

const { validateAction } = createRequire(import.meta.url)('@action-validator/core') as {
  validateAction: (src: string) => {
    errors: { code: string; path?: string; title: string; detail?: string }[];
  };
};

/**
 * Schema errors outside `runs`: the schema in @action-validator/core 0.6.0 predates `using: node24`, so `runs`
 * is checked by the test of its own below instead.
 */
function metadataErrors(text: string): string[] {
  return validateAction(text)
    .errors.filter((e) => !e.path?.startsWith('/runs'))
    .map((e) => `${e.path ?? ''}: ${e.title}${e.detail ? ` (${e.detail})` : ''}`);
}

const ACTIONS_DIR = 'actions';
const INPUT_READERS =
  /\b(?:getInput|getString|getList|getBoolean|getEnum|getInteger|getDuration)\(\s*'([^']+)'/g;
const OUTPUT_WRITERS = /\bsetOutput\(\s*'([^']+)'/g;

interface ActionYml {
  name?: string;
  description?: string;
  author?: string;
  branding?: { icon?: string; color?: string };
  inputs?: Record<string, { description?: string; required?: boolean; default?: unknown }>;
  outputs?: Record<string, { description?: string }>;
  runs?: { using?: string; main?: string; post?: string };
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

function namesUsed(pattern: RegExp, files: string[]): Set<string> {
  const names = new Set<string>();
  for (const file of files) {
    for (const match of readFileSync(file, 'utf8').matchAll(pattern)) names.add(match[1]!);
  }
  return names;
}

const actions = readdirSync(ACTIONS_DIR).filter((name) => existsSync(join(ACTIONS_DIR, name, 'action.yml')));

test('there is at least one action', () => {
  expect(actions.length).toBeGreaterThan(0);
});

test('the schema check itself refuses an icon or a color GitHub does not offer (so "valid" means something)', () => {
  const yml =
    'name: x\ndescription: y\nbranding:\n  icon: not-an-icon\n  color: pink\nruns:\n  using: node24\n  main: a.js\n';
  expect(metadataErrors(yml)).toEqual([
    '/branding/color: Enum conditions are not met',
    '/branding/icon: Enum conditions are not met',
  ]);
});

describe.each(actions)('actions/%s/action.yml', (name) => {
  const meta = parse(readFileSync(join(ACTIONS_DIR, name, 'action.yml'), 'utf8')) as ActionYml;
  const files = sourceFiles(join(ACTIONS_DIR, name, 'src'));
  const declaredInputs = Object.keys(meta.inputs ?? {});
  const declaredOutputs = Object.keys(meta.outputs ?? {});

  test('runs the committed node24 bundle', () => {
    expect(meta.runs?.using).toBe('node24');
    expect(meta.runs?.main).toBe(`../../dist/${name}/index.js`);
  });

  test('has a name and a description', () => {
    expect(meta.name).toBeTruthy();
    expect(meta.description).toBeTruthy();
  });

  test('is ready for the Marketplace: an author and a branding icon and color, valid by the action.yml schema', () => {
    expect(meta.author).toBe('shipwright');
    expect(Object.keys(meta.branding ?? {}).sort()).toEqual(['color', 'icon']);
    expect(metadataErrors(readFileSync(join(ACTIONS_DIR, name, 'action.yml'), 'utf8'))).toEqual([]);
  });

  test('declares every input the code reads, and the code reads every declared input', () => {
    const read = [...namesUsed(INPUT_READERS, files)].sort();
    expect(read).toEqual([...declaredInputs].sort());
  });

  test('declares every output the code sets, and the code sets every declared output', () => {
    const set = [...namesUsed(OUTPUT_WRITERS, files)].sort();
    expect(set).toEqual([...declaredOutputs].sort());
  });

  test('describes every input and output', () => {
    const undescribed = [
      ...Object.entries(meta.inputs ?? {}).map(([key, v]) => [`input ${key}`, v?.description] as const),
      ...Object.entries(meta.outputs ?? {}).map(([key, v]) => [`output ${key}`, v?.description] as const),
    ]
      .filter(([, description]) => !description || !String(description).trim())
      .map(([key]) => key);
    expect(undescribed).toEqual([]);
  });
});
