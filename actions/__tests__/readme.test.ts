import { readFileSync } from 'node:fs';
import { expect, test } from '@jest/globals';
import { parse } from 'yaml';
import { actionsWithMetadata, formattedReadme, referenceTables } from '../../scripts/action-docs.js';

test.each(actionsWithMetadata())(
  "when %s's action.yml changes, its README's input/output tables follow (run `npm run docs`)",
  async (name) => {
    expect(await formattedReadme(name)).toBe(readFileSync(`actions/${name}/README.md`, 'utf8'));
  },
);

test('a reference table lists required inputs, defaults and escaped descriptions', () => {
  const meta = parse(
    'inputs:\n  tags:\n    description: "a | b\\nc"\n    required: true\n  fail-on:\n    description: Level\n    default: high\noutputs:\n  digest:\n    description: The digest\n',
  );
  expect(referenceTables(meta)).toBe(
    [
      '| input | required | default | description |',
      '| --- | --- | --- | --- |',
      '| `tags` | yes |  | a \\| b c |',
      '| `fail-on` | no | `high` | Level |',
      '',
      '| output | description |',
      '| --- | --- |',
      '| `digest` | The digest |',
    ].join('\n'),
  );
});
