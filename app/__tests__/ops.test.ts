/**
 * app/ops: the Prometheus rules and alerts and the Grafana dashboard, checked with Prometheus' own promtool
 * (rule syntax, unit tests, the dashboard's PromQL) and against a real scrape of the service (every metric
 * name, label and label value they select exists).
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parser } from '@prometheus-io/lezer-promql';
import type { Redis } from 'ioredis';
import request from 'supertest';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { haveTool } from '../../stand-ins/commands.js';
import { createApp } from '../src/app.js';
import { createRedis } from '../src/redis.js';
import { startHarness, type Harness } from './helpers/harness.js';

const OPS = path.resolve(import.meta.dirname, '..', 'ops');
const RULES = path.join(OPS, 'prometheus', 'legal-service.rules.yml');
const ALERTS = path.join(OPS, 'prometheus', 'legal-service.alerts.yml');
const RULE_TESTS = path.join(OPS, 'prometheus', 'tests', 'rules.test.yml');
const ALERT_TESTS = path.join(OPS, 'prometheus', 'tests', 'alerts.test.yml');
const DASHBOARD = path.join(OPS, 'grafana', 'legal-service.json');
const TOKEN = 'metrics-token-0123456789abcdef';

const havePromtool = haveTool('promtool');
if (!havePromtool && process.env.CI === 'true')
  throw new Error('the app/ops tests need promtool (Debian package prometheus) (CI=true)');
if (!havePromtool)
  console.log('skipping the promtool checks of app/ops: promtool (Debian prometheus) not installed');
const withPromtool = havePromtool ? describe : describe.skip;

interface Rule {
  record?: string;
  alert?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
const rulesOf = (file: string): Rule[] =>
  (parseYaml(readFileSync(file, 'utf8')) as { groups: { rules: Rule[] }[] }).groups.flatMap((g) => g.rules);
const recordingRules = rulesOf(RULES);
const alertRules = rulesOf(ALERTS);

interface Target {
  refId: string;
  expr: string;
  datasource: { type: string; uid: string };
}
interface Panel {
  id: number;
  type: string;
  title: string;
  datasource?: { type: string; uid: string };
  targets?: Target[];
}
interface Dashboard {
  id: unknown;
  uid: string;
  title: string;
  panels: Panel[];
  templating: { list: { name: string; type: string; query: unknown; allValue?: string }[] };
}
const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as Dashboard;
const dashboardExprs = dashboard.panels.flatMap((p) =>
  (p.targets ?? []).map((t) => ({ where: `panel ${p.id} '${p.title}' ${t.refId}`, expr: t.expr })),
);
const instanceQuery = dashboard.templating.list.find((v) => v.name === 'instance')!.query as {
  query: string;
};

/**
 * Grafana replaces these before a query reaches Prometheus: its range-interval macros by a duration, and
 * the dashboard's `$instance` by the selected values' regex (`.*` for All). Anything else is an error.
 */
function substituteVariables(expr: string): string {
  return expr.replace(/\$(\w+)|\$\{(\w+)\}/g, (whole, a?: string, b?: string) => {
    const name = a ?? b!;
    if (['__rate_interval', '__interval', '__range'].includes(name)) return '5m';
    const variable = dashboard.templating.list.find((v) => v.name === name && v.type === 'query');
    if (variable?.allValue !== undefined) return variable.allValue;
    throw new Error(`unknown dashboard variable ${whole} in ${expr}`);
  });
}

function promtool(...args: string[]): { status: number | null; out: string } {
  const r = spawnSync('promtool', args, { encoding: 'utf8', cwd: OPS });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

/** Runs `promtool check rules` on recording rules whose expressions are `exprs`. */
function checkExprsWithPromtool(exprs: string[]): { status: number | null; out: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'ops-promql-'));
  try {
    const file = path.join(dir, 'dashboard.rules.yml');
    const rules = exprs.map((expr, i) => ({ record: `dashboard:expr_${i}:check`, expr }));
    writeFileSync(file, stringifyYaml({ groups: [{ name: 'dashboard-exprs', rules }] }));
    return promtool('check', 'rules', file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface Selector {
  metric: string;
  matchers: { label: string; op: string; value: string }[];
}

/** The vector selectors of a PromQL expression, read with Prometheus' own grammar (lezer-promql). */
function selectorsOf(expr: string): Selector[] {
  const tree = parser.parse(expr);
  const out: Selector[] = [];
  const text = (from: number, to: number) => expr.slice(from, to);
  let error: number | undefined;
  tree.iterate({
    enter(node) {
      if (node.type.isError) error ??= node.from;
      if (node.name !== 'VectorSelector') return;
      const selector: Selector = { metric: '', matchers: [] };
      const identifier = node.node.getChild('Identifier');
      if (identifier) selector.metric = text(identifier.from, identifier.to);
      for (const m of node.node.getChild('LabelMatchers')?.getChildren('UnquotedLabelMatcher') ?? []) {
        const label = m.getChild('LabelName')!;
        const op = m.getChild('MatchOp')!;
        const value = m.getChild('StringLiteral')!;
        selector.matchers.push({
          label: text(label.from, label.to),
          op: text(op.from, op.to),
          value: JSON.parse(text(value.from, value.to)) as string,
        });
      }
      out.push(selector);
    },
  });
  if (error !== undefined) throw new Error(`PromQL does not parse at offset ${error}: ${expr}`);
  return out;
}

describe('app/ops/prometheus rules and alerts', () => {
  test('when the alerts are read, then each has a for: duration, a severity, a summary, a description and a plain-text runbook', () => {
    expect(alertRules.map((r) => r.alert)).toEqual([
      'LegalServiceInstanceDown',
      'LegalServiceHigh5xxRatio',
      'LegalServiceSlowResponses',
      'LegalServiceEventLoopLag',
      'LegalServiceDbPoolSaturated',
      'LegalServiceAuditWriteFailures',
      'LegalServiceDocumentStorageUnavailable',
      'LegalServiceRedisUnavailable',
    ]);
    for (const rule of alertRules) {
      expect([rule.alert, rule.for]).toEqual([rule.alert, expect.stringMatching(/^\d+[smh]$/)]);
      expect([rule.alert, rule.labels?.severity]).toEqual([
        rule.alert,
        expect.stringMatching(/^(critical|warning)$/),
      ]);
      expect(Object.keys(rule.annotations ?? {}).sort()).toEqual(['description', 'runbook', 'summary']);
      expect(rule.annotations!.runbook!.length).toBeGreaterThan(150);
      expect(rule.annotations!.runbook).not.toContain('{{');
    }
  });

  test('when the promtool unit tests are read, then every alert is shown firing and staying quiet, and every recording rule is evaluated', () => {
    interface AlertCase {
      alertname: string;
      exp_alerts?: unknown[];
    }
    const alertTests = parseYaml(readFileSync(ALERT_TESTS, 'utf8')) as {
      tests: { alert_rule_test?: AlertCase[] }[];
    };
    const cases = alertTests.tests.flatMap((t) => t.alert_rule_test ?? []);
    for (const rule of alertRules) {
      const mine = cases.filter((c) => c.alertname === rule.alert);
      expect([rule.alert, mine.some((c) => (c.exp_alerts ?? []).length > 0)]).toEqual([rule.alert, true]);
      expect([rule.alert, mine.some((c) => (c.exp_alerts ?? []).length === 0)]).toEqual([rule.alert, true]);
    }
    const ruleTests = parseYaml(readFileSync(RULE_TESTS, 'utf8')) as {
      tests: { promql_expr_test?: { expr: string }[] }[];
    };
    const evaluated = new Set(ruleTests.tests.flatMap((t) => (t.promql_expr_test ?? []).map((e) => e.expr)));
    expect(recordingRules.map((r) => r.record).filter((name) => !evaluated.has(name!))).toEqual([]);
  });

  withPromtool('with promtool', () => {
    test('when promtool checks the rule files, then both are valid and it counts every rule', () => {
      const r = promtool('check', 'rules', RULES, ALERTS);
      expect(r.out).toContain(`SUCCESS: ${recordingRules.length} rules found`);
      expect(r.out).toContain(`SUCCESS: ${alertRules.length} rules found`);
      expect(r.status).toBe(0);
    });

    test('when promtool runs the unit tests, then every alert and recording rule gives the hand-computed result', () => {
      const r = promtool('test', 'rules', RULE_TESTS, ALERT_TESTS);
      expect(r.out).not.toContain('FAILED');
      expect(r.out.match(/SUCCESS/g)).toHaveLength(2);
      expect(r.status).toBe(0);
    });

    test('when an alert unit test expects a wrong value, then promtool fails it (the unit tests can fail)', () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'ops-broken-'));
      try {
        const broken = readFileSync(ALERT_TESTS, 'utf8')
          .replaceAll('../legal-service.', `${path.join(OPS, 'prometheus')}/legal-service.`)
          .replace(
            "summary: 'Legal service p95 latency is 875ms'",
            "summary: 'Legal service p95 latency is 874ms'",
          );
        writeFileSync(path.join(dir, 'broken.test.yml'), broken);
        const r = promtool('test', 'rules', path.join(dir, 'broken.test.yml'));
        expect(r.status).toBe(1);
        expect(r.out).toContain('Legal service p95 latency is 875ms');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    test("when every PromQL expression of the dashboard goes through promtool's parser, then all pass", () => {
      const exprs = [
        ...dashboardExprs.map((d) => d.expr),
        instanceQuery.query.replace(/^label_values\((.*), \w+\)$/, '$1'),
      ];
      expect(exprs.length).toBeGreaterThanOrEqual(15);
      const r = checkExprsWithPromtool(exprs.map(substituteVariables));
      expect(r.out).toContain(`SUCCESS: ${exprs.length} rules found`);
      expect(r.status).toBe(0);
    });

    test('when an expression does not parse, then the same promtool check fails and names it', () => {
      const r = checkExprsWithPromtool(['sum(rate(http_request_duration_seconds_count[5m])']);
      expect(r.status).toBe(1);
      expect(r.out).toMatch(/parse error/);
    });
  });
});

describe('app/ops/grafana dashboard', () => {
  test('when the dashboard is read, then it is in provisioning form with a data-source variable every query uses', () => {
    expect(dashboard.id).toBeNull();
    expect(dashboard.uid).toBe('legal-service');
    expect(dashboard.templating.list.map((v) => [v.name, v.type])).toEqual([
      ['datasource', 'datasource'],
      ['instance', 'query'],
    ]);
    const queried = dashboard.panels.filter((p) => p.type !== 'row');
    expect(queried.length).toBeGreaterThanOrEqual(12);
    for (const p of queried) {
      expect([p.title, (p.targets ?? []).length > 0]).toEqual([p.title, true]);
      for (const t of p.targets!) {
        expect(t.datasource).toEqual({ type: 'prometheus', uid: '${datasource}' });
        expect([p.title, t.expr]).toEqual([p.title, expect.stringContaining('job="legal-service"')]);
      }
    }
    expect(new Set(dashboard.panels.map((p) => p.id)).size).toBe(dashboard.panels.length);
  });

  test('when the provisioning file is read, then it loads dashboards from one file path into one folder', () => {
    const provisioning = parseYaml(
      readFileSync(path.join(OPS, 'grafana', 'provisioning', 'dashboards.yml'), 'utf8'),
    ) as {
      apiVersion: number;
      providers: { type: string; options: { path: string } }[];
    };
    expect(provisioning.apiVersion).toBe(1);
    expect(provisioning.providers).toEqual([
      expect.objectContaining({
        type: 'file',
        options: { path: '/var/lib/grafana/dashboards/legal-service' },
      }),
    ]);
  });
});

describe('metric names of the rules and the dashboard in a real scrape', () => {
  let h: Harness;
  let redis: Redis | undefined;
  let scrape = '';

  beforeAll(async () => {
    h = await startHarness('sqlite', { METRICS_TOKEN: TOKEN, REDIS_URL: 'redis://127.0.0.1:6379' });
    // With a Redis client the service also exports redis_degraded_seconds_total, whether Redis answers or not.
    redis = createRedis(h.config.redis!);
    const app = createApp({ config: h.config, db: h.database, logger: h.services.logger, redis });
    // Traffic of each kind the selectors name: a 2xx, a 4xx on a route, an unmatched URL.
    expect((await request(app).get('/health')).status).toBe(200);
    expect((await request(app).get('/cases')).status).toBe(401);
    expect((await request(app).get('/no/such/route')).status).toBe(404);
    const res = await request(app).get('/metrics').set('Authorization', `Bearer ${TOKEN}`);
    expect(res.status).toBe(200);
    scrape = res.text;
  });
  afterAll(async () => {
    redis?.disconnect();
    await h?.close();
  });

  /** Samples of the scrape as name and label set; label values unescaped per the exposition format. */
  const samples = () =>
    scrape
      .split('\n')
      .filter((line) => line !== '' && !line.startsWith('#'))
      .map((line) => {
        const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? /.exec(line)!;
        const labels = new Map<string, string>();
        for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_]\w*)="((?:[^"\\]|\\.)*)"/g))
          labels.set(
            l[1]!,
            l[2]!.replace(/\\(.)/g, (_s, c: string) => (c === 'n' ? '\n' : c)),
          );
        return { name: m[1]!, labels };
      });

  const sources = () => [
    ...recordingRules.map((r) => ({ where: `record ${r.record}`, expr: r.expr })),
    ...alertRules.map((r) => ({ where: `alert ${r.alert}`, expr: r.expr })),
    ...dashboardExprs.map((d) => ({ where: d.where, expr: substituteVariables(d.expr) })),
    { where: 'variable instance', expr: instanceQuery.query.replace(/^label_values\((.*), \w+\)$/, '$1') },
  ];

  test('when the rules and the dashboard name a metric, then the service exports it (up and recorded series aside)', () => {
    const exported = new Set(samples().map((s) => s.name));
    const recorded = new Set(recordingRules.map((r) => r.record!));
    const missing: string[] = [];
    const used = new Set<string>();
    for (const { where, expr } of sources()) {
      for (const { metric } of selectorsOf(expr)) {
        expect([where, metric]).toEqual([where, expect.stringMatching(/^[a-zA-Z_:]/)]);
        used.add(metric);
        // `up` is written by Prometheus for each target it scrapes, never by the target itself.
        if (!exported.has(metric) && !recorded.has(metric) && metric !== 'up')
          missing.push(`${where}: ${metric}`);
      }
    }
    expect(missing).toEqual([]);
    for (const name of [
      'up',
      'http_request_duration_seconds_count',
      'http_request_duration_seconds_bucket',
      'nodejs_eventloop_lag_p99_seconds',
      'db_pool_connections',
      'db_pool_max_connections',
      'db_pool_pending_acquires',
      'audit_write_failures_total',
      'document_storage_failures_total',
      'document_storage_operations_total',
    ])
      expect(used).toContain(name);
  });

  // Regex matchers (status_code=~"5..") select series that may not exist yet, so only their label is checked.
  test('when a selector matches a label, then the exported series carry that label (and the value, for =)', () => {
    const all = samples();
    const problems: string[] = [];
    for (const { where, expr } of sources()) {
      for (const { metric, matchers } of selectorsOf(expr)) {
        const series = all.filter((s) => s.name === metric);
        if (series.length === 0) continue; // up and recorded series: checked above
        for (const { label, op, value } of matchers) {
          // job and instance are the target's labels, added by Prometheus at scrape time.
          if (label === 'job' || label === 'instance') continue;
          const values = series.map((s) => s.labels.get(label)).filter((v) => v !== undefined);
          if (values.length === 0) problems.push(`${where}: ${metric} has no label ${label}`);
          else if (op === '=' && !values.includes(value))
            problems.push(
              `${where}: ${metric}{${label}="${value}"} is not exported (values: ${[...new Set(values)]})`,
            );
        }
      }
    }
    expect(problems).toEqual([]);
  });

  withPromtool('with promtool', () => {
    test("when promtool lints the scrape, then it parses and finds nothing in the service's own metrics", () => {
      const r = spawnSync('promtool', ['check', 'metrics'], { input: scrape, encoding: 'utf8' });
      const out = `${r.stdout}${r.stderr}`;
      expect(out).not.toContain('error while linting');
      // Exit 3 is lint findings; the only ones are prom-client's default nodejs_active_*_total gauges.
      const findings = out.split('\n').filter((l) => l.trim() !== '');
      expect(findings.filter((l) => !/^nodejs_active_\w+_total /.test(l))).toEqual([]);
      expect([0, 3]).toContain(r.status);
    });
  });
});
