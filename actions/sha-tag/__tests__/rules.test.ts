import { describe, expect, test } from '@jest/globals';
import { parseFlavor, parseRule, parseRules, splitCsv } from '../src/rules.js';

describe('parseRules', () => {
  test('when the tags input is empty, then the defaults are sha, branch, pr and semver {{version}}, by priority', () => {
    // docker/metadata-action's default priorities: semver 900, ref 600, sha 100.
    const rules = parseRules([]);
    expect(rules.map((r) => r.source)).toEqual([
      'type=semver,pattern={{version}}',
      'type=ref,event=branch',
      'type=ref,event=pr',
      'type=sha',
    ]);
    expect(rules.map((r) => r.priority)).toEqual([900, 600, 600, 100]);
  });

  test('when priorities are given, then they order the rules and equal ones keep their order', () => {
    const rules = parseRules([
      'type=sha',
      'type=raw,value=a,priority=2000',
      'type=raw,value=b',
      'type=raw,value=c',
    ]);
    expect(rules.map((r) => r.source)).toEqual([
      'type=raw,value=a,priority=2000',
      'type=raw,value=b',
      'type=raw,value=c',
      'type=sha',
    ]);
  });

  test('when a rule has no type, then it is a raw value (docker/metadata-action)', () => {
    expect(parseRule('latest')).toMatchObject({ type: 'raw', priority: 200 });
    expect(parseRule('type=raw,foo')).toMatchObject({ type: 'raw' });
  });

  test('when a field is quoted, then the comma inside it belongs to the value', () => {
    expect(splitCsv('type=raw,"value=a,b", enable=true')).toEqual(['type=raw', 'value=a,b', 'enable=true']);
    expect(splitCsv('type=raw,"value=say ""hi"""')).toEqual(['type=raw', 'value=say "hi"']);
  });

  test('when type=sha has no prefix, then it gets sha- ; an explicit empty prefix stays empty', () => {
    expect(parseRule('type=sha').prefix?.source).toBe('sha-');
    expect(parseRule('type=sha,prefix=').prefix?.source).toBe('');
    expect(parseRule('type=ref,event=pr').prefix?.source).toBe('pr-');
    expect(parseRule('type=ref,event=branch').prefix).toBeUndefined();
  });

  const TYPES = 'accepted types: sha, ref, semver, raw, schedule, edge.';
  test.each([
    ['type=foo', `Input 'tags': rule 'type=foo' has unknown type 'foo'; ${TYPES}`],
    [
      'type=pep440,pattern={{version}}',
      `Input 'tags': rule 'type=pep440,pattern={{version}}' has unknown type 'pep440' (type=pep440 is not supported by sha-tag); ${TYPES}`,
    ],
    [
      'type=sha,formt=long',
      "Input 'tags': rule 'type=sha,formt=long' has unknown attribute 'formt' for type=sha; accepted: type, enable, priority, prefix, suffix, format.",
    ],
    [
      'type=ref,event=branch,pattern={{version}}',
      "has unknown attribute 'pattern' for type=ref; accepted: type, enable, priority, prefix, suffix, event.",
    ],
    ['type=ref', "rule 'type=ref' needs an event; accepted: event=branch, event=tag, event=pr."],
    ['type=ref,event=push', "rule 'type=ref,event=push' has event 'push'; accepted: branch, tag, pr."],
    ['type=sha,format=medium', "has format 'medium'; accepted: short, long."],
    [
      'type=semver',
      'needs a pattern such as pattern={{version}}, pattern={{major}}.{{minor}} or pattern={{major}}.',
    ],
    [
      'type=semver,pattern={{mayor}}',
      "rule 'type=semver,pattern={{mayor}}' has a bad pattern: unknown expression '{{mayor}}' in '{{mayor}}'; accepted: {{version}}, {{major}}, {{minor}}, {{patch}}, {{raw}}.",
    ],
    [
      'type=semver,pattern={{major}.{{minor}}',
      "has a bad pattern: unbalanced '{{' or '}}' in '{{major}.{{minor}}'.",
    ],
    [
      'type=semver,pattern=v1',
      "has pattern 'v1' without any of {{version}}, {{major}}, {{minor}}, {{patch}}, {{raw}}.",
    ],
    ["type=semver,pattern={{version 'x'}}", "has a bad pattern: '{{version}}' takes no arguments."],
    ['type=raw', "rule 'type=raw' needs a value, e.g. type=raw,value=latest."],
    ['type=raw,value={{branch}', "has a bad value: unbalanced '{{' or '}}' in '{{branch}'."],
    [
      'type=sha,priority=high',
      "has priority 'high'; expected a whole number (defaults: schedule 1000, semver 900",
    ],
    [
      'type=raw,value=x,enable={{is_default}}',
      "has a bad enable: unknown expression '{{is_default}}' in '{{is_default}}'; accepted: {{branch}}, {{tag}}, {{sha}}, {{base_ref}}, {{is_default_branch}}, {{is_not_default_branch}}, {{date}}.",
    ],
    ['type=schedule,pattern={{date}}', "'{{date}}' needs one quoted format, e.g. {{date 'YYYYMMDD'}}."],
    [
      "type=schedule,pattern={{date 'YYYY' zone='UTC'}}",
      "'{{date}}' has unknown option 'zone'; accepted: tz.",
    ],
    ['type=schedule,pattern={{date YYYY}}', 'arguments must be quoted'],
    ['type=raw,"value=a', 'is not valid CSV: a double quote is not closed.'],
    ['type=raw,value=a,value=b', "sets 'value' twice."],
  ])('when the rule is %s, then the error says what is accepted', (line, message) => {
    expect(() => parseRules([line])).toThrow(message);
  });

  test('when a later line is wrong, then its own text is quoted', () => {
    expect(() => parseRules(['type=sha', 'type=ref,event=tags'])).toThrow(
      "Input 'tags': rule 'type=ref,event=tags' has event 'tags'; accepted: branch, tag, pr.",
    );
  });
});

describe('parseFlavor', () => {
  test('when empty, then latest=auto without prefix or suffix', () => {
    const flavor = parseFlavor([]);
    expect(flavor).toMatchObject({ latest: 'auto', prefixLatest: false, suffixLatest: false });
    expect([flavor.prefix.source, flavor.suffix.source]).toEqual(['', '']);
  });

  test('when onlatest follows prefix or suffix, then it applies to that one', () => {
    const flavor = parseFlavor(['latest=false', 'prefix=foo-,onlatest=true', 'suffix=-dev']);
    expect(flavor).toMatchObject({ latest: 'false', prefixLatest: true, suffixLatest: false });
    expect([flavor.prefix.source, flavor.suffix.source]).toEqual(['foo-', '-dev']);
  });

  test.each([
    ['latest=sometimes', "Input 'flavor': latest='sometimes'; accepted: auto, true, false."],
    [
      'lastest=true',
      "Input 'flavor': unknown key 'lastest' in 'lastest=true'; accepted keys: latest, prefix, suffix, onlatest.",
    ],
    [
      'prefix',
      "Input 'flavor': entry 'prefix' is not key=value; accepted keys: latest, prefix, suffix, onlatest.",
    ],
    [
      'onlatest=true',
      "Input 'flavor': onlatest must follow prefix= or suffix= on the same line ('onlatest=true').",
    ],
    ['prefix=a-,onlatest=yes', "Input 'flavor': onlatest='yes'; accepted: true, false."],
    ['prefix={{nope}}-', "Input 'flavor': prefix='{{nope}}-': unknown expression '{{nope}}'"],
  ])('when the flavor is %s, then the error names the input and what is accepted', (line, message) => {
    expect(() => parseFlavor([line])).toThrow(message);
  });
});

describe('expressions', () => {
  test("when an expression uses Handlebars' triple braces, then it is the same expression", () => {
    const rule = parseRule('type=semver,pattern={{{raw}}}');
    expect(rule.type === 'semver' && rule.pattern.parts).toEqual([
      { kind: 'expr', name: 'raw', args: [], hash: {} },
    ]);
  });

  test('when an expression has spaces inside the braces, then they are ignored', () => {
    const rule = parseRule("type=schedule,pattern=n-{{ date 'YYYYMMDD' tz='Asia/Tokyo' }}");
    expect(rule.type === 'schedule' && rule.pattern.parts).toEqual([
      { kind: 'text', text: 'n-' },
      { kind: 'expr', name: 'date', args: ['YYYYMMDD'], hash: { tz: 'Asia/Tokyo' } },
    ]);
  });
});
