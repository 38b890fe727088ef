/**
 * /docs (Swagger UI) as an API user meets it: the service started as its own process with demo data, the page
 * opened in Debian's headless Chromium (driven by playwright-core, which downloads no browser), a demo
 * attorney signed in through the page itself, then "Authorize" + "Try it out" + "Execute" on GET /cases.
 * Every request the browser makes is recorded: all of them must go to the service (the assets are served
 * locally, nothing comes from a CDN).
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { testEnv } from './helpers/harness.js';
import { startServer, type Running } from './helpers/server-process.js';

const CHROMIUM = '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium && process.env.CI === 'true')
  throw new Error(`${CHROMIUM} (Debian package chromium) is required when CI=true`);
if (!haveChromium)
  console.warn(`skipping the /docs browser test: ${CHROMIUM} is missing (apt-get install chromium)`);

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox', // runs as root
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

interface OpenApi {
  paths: Record<string, Record<string, unknown>>;
}
interface CaseList {
  data: { number: string; title: string }[];
}

(haveChromium ? describe : describe.skip)('/docs in headless Chromium', () => {
  let server: Running;
  let cleanup: () => Promise<void>;
  let dataDir: string;
  let profile: string;
  let context: BrowserContext;
  let page: Page;
  let origin: string;
  const requests: { url: string; authorization?: string }[] = [];
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    const run = testEnv('sqlite', { DEMO_DATA: 'true', NODE_ENV: 'development' });
    cleanup = run.cleanup;
    dataDir = run.env.DATA_DIR!;
    server = await startServer(run.env);
    origin = `http://127.0.0.1:${server.port}`;
    profile = mkdtempSync(path.join(tmpdir(), 'chromium-profile-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
    });
    context.on('request', (request) =>
      requests.push({ url: request.url(), authorization: request.headers().authorization }),
    );
    page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(20_000);
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(`console: ${message.text()}`);
    });
    page.on('pageerror', (error) => consoleErrors.push(`uncaught: ${error.message}`));
    await page.goto(`${origin}/docs`, { waitUntil: 'networkidle' });
    await page.locator('.opblock').first().waitFor(); // Swagger UI renders every operation at once
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    if (server) {
      server.child.kill('SIGTERM');
      await server.exit;
    }
    await cleanup?.();
  });

  test('when /docs opens, then it lists every operation of /openapi.json, each once', async () => {
    const openapi = (await (await fetch(`${origin}/openapi.json`)).json()) as OpenApi;
    const declared = Object.entries(openapi.paths).flatMap(([route, item]) =>
      Object.keys(item)
        .filter((key) => METHODS.includes(key))
        .map((method) => `${method.toUpperCase()} ${route}`),
    );
    const shown = await page
      .locator('.opblock .opblock-summary')
      .evaluateAll((summaries) =>
        summaries.map(
          (s) =>
            `${s.querySelector('.opblock-summary-method')?.textContent} ${s.querySelector('.opblock-summary-path')?.getAttribute('data-path')}`,
        ),
      );
    expect(declared.length).toBeGreaterThan(30);
    expect(shown.toSorted()).toEqual(declared.toSorted());
  });

  test('when a demo attorney signs in through POST /auth/login, authorizes with the token and executes GET /cases, then the page shows 200 and the cases the API lists', async () => {
    const demo = (
      JSON.parse(readFileSync(path.join(dataDir, 'demo-credentials.json'), 'utf8')) as {
        role: string;
        email: string;
        password: string;
      }[]
    ).find((c) => c.role === 'attorney')!;

    const login = page.locator('#operations-default-post_auth_login');
    await login.locator('.opblock-summary').click();
    await login.getByRole('button', { name: 'Try it out' }).click();
    await login
      .locator('textarea.body-param__text')
      .fill(JSON.stringify({ email: demo.email, password: demo.password }));
    await login.getByRole('button', { name: 'Execute' }).click();
    const loginResponse = login.locator('.live-responses-table .response');
    await expect(loginResponse.locator('.response-col_status').innerText()).resolves.toBe('200');
    const { accessToken } = JSON.parse(
      await loginResponse.locator('.response-col_description pre').first().innerText(),
    ) as { accessToken: string };
    expect(accessToken).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);

    await page.locator('.auth-wrapper').getByRole('button', { name: 'Authorize' }).click();
    const bearer = page
      .locator('.modal-ux .auth-container')
      .filter({ has: page.locator('h4', { hasText: /^bearer\b/ }) });
    await bearer.locator('input').fill(accessToken);
    await bearer.locator('button', { hasText: /^Authorize$/ }).click();
    await bearer.locator('button', { hasText: /^Logout$/ }).waitFor();
    await bearer.locator('button', { hasText: /^Close$/ }).click();

    const cases = page.locator('#operations-default-get_cases');
    await cases.locator('.opblock-summary').click();
    await cases.getByRole('button', { name: 'Try it out' }).click();
    await cases.getByRole('button', { name: 'Execute' }).click();
    const casesResponse = cases.locator('.live-responses-table .response');
    await expect(casesResponse.locator('.response-col_status').innerText()).resolves.toBe('200');
    const shown = JSON.parse(
      await casesResponse.locator('.response-col_description pre').first().innerText(),
    ) as CaseList;

    // The same list, asked for by the test itself with the token the page received.
    const direct = (await (
      await fetch(`${origin}/cases`, { headers: { authorization: `Bearer ${accessToken}` } })
    ).json()) as CaseList;
    expect(direct.data.length).toBeGreaterThan(0);
    expect(shown.data.map((c) => c.title)).toEqual(direct.data.map((c) => c.title));
    // The page's own request carried the token given to "Authorize".
    const pageCall = requests.find((r) => new URL(r.url).pathname === '/cases');
    expect(pageCall?.authorization).toBe(`Bearer ${accessToken}`);
  }, 120_000);

  test('when the page has been used, then it logged no console error and every request it made went to the service', () => {
    expect(consoleErrors).toEqual([]);
    const paths = requests.map((r) => new URL(r.url).pathname);
    expect(paths).toEqual(
      expect.arrayContaining(['/docs/', '/docs/swagger-ui-bundle.js', '/docs/swagger-ui.css', '/auth/login']),
    );
    expect(requests.map((r) => r.url).filter((url) => new URL(url).origin !== origin)).toEqual([]);
  });
});
