// The rehearsal's traffic for one instance, as a load balancer would send it: run inside the instance's network
// namespace, it logs in as the administrator, then loops over what a user does — open a case, read it, upload
// a one-page PDF to it, list the cases — pausing between requests, until SIGTERM. Then it prints the answers it
// got as JSON: {"POST /cases/:id/documents": {"201": n, "503": m}, ...} ("error" when no answer came).
// Argument: a JSON file {url, email, password, pauseMs} (kept out of the command line: it holds a password).
import { readFileSync } from 'node:fs';

const { url, email, password, pauseMs } = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
const counts = {};
let running = true;
let token;

process.on('SIGTERM', () => {
  running = false;
  process.stdout.write(`${JSON.stringify(counts)}\n`, () => process.exit(0));
});

const pause = () => new Promise((resolve) => setTimeout(resolve, pauseMs));

async function call(label, method, path, body, json = true) {
  const headers = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined && json) headers['content-type'] = 'application/json';
  let res;
  try {
    res = await fetch(`${url}${path}`, { method, headers, body, signal: AbortSignal.timeout(15_000) });
    const text = await res.text();
    (counts[label] ??= {})[res.status] = (counts[label][res.status] ?? 0) + 1;
    if (res.status === 401) token = undefined; // a new container: log in again
    return { status: res.status, body: res.ok && text ? JSON.parse(text) : undefined };
  } catch {
    (counts[label] ??= {}).error = (counts[label].error ?? 0) + 1;
    return { status: 0 };
  } finally {
    await pause();
  }
}

while (running) {
  if (!token) {
    const login = await call('POST /auth/login', 'POST', '/auth/login', JSON.stringify({ email, password }));
    token = login.body?.accessToken;
    if (!token) continue;
  }
  const created = await call(
    'POST /cases',
    'POST',
    '/cases',
    JSON.stringify({ title: 'Load', clientName: 'Load Client' }),
  );
  if (!created.body) continue;
  const id = created.body.id;
  await call('GET /cases/:id', 'GET', `/cases/${id}`);
  const form = new FormData();
  form.append('file', new Blob([PDF], { type: 'application/pdf' }), 'brief.pdf');
  await call('POST /cases/:id/documents', 'POST', `/cases/${id}/documents`, form, false);
  await call('GET /cases', 'GET', '/cases?limit=5');
}
