import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { UserWithHash } from './components/users/repository.js';

/**
 * The demo accounts' passwords, kept outside production in DATA_DIR/demo-credentials.json (mode 0600) so that
 * every start can show them again: a newcomer who missed the first start's output can still sign in.
 * The database itself holds only their argon2id hashes.
 */
export interface DemoCredential {
  role: string;
  email: string;
  password: string;
}

export const DEMO_CREDENTIALS_FILE = 'demo-credentials.json';

export function saveDemoCredentials(dataDir: string, credentials: DemoCredential[]): void {
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, DEMO_CREDENTIALS_FILE);
  writeFileSync(file, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
}

export function loadDemoCredentials(dataDir: string): DemoCredential[] {
  const file = path.join(dataDir, DEMO_CREDENTIALS_FILE);
  if (!existsSync(file)) return [];
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return Array.isArray(parsed) ? parsed.filter(isCredential) : [];
  } catch {
    return [];
  }
}

function isCredential(value: unknown): value is DemoCredential {
  const c = value as Partial<DemoCredential> | null;
  return typeof c?.role === 'string' && typeof c.email === 'string' && typeof c.password === 'string';
}

/** The saved credentials that still sign in: the account exists, is active and still has that password. */
export async function stillValid(
  credentials: DemoCredential[],
  findByEmail: (email: string) => Promise<UserWithHash | undefined>,
  verify: (hash: string, password: string) => Promise<boolean>,
): Promise<DemoCredential[]> {
  const checks = await Promise.all(
    credentials.map(async (c) => {
      const user = await findByEmail(c.email);
      return user !== undefined && user.active && (await verify(user.passwordHash, c.password));
    }),
  );
  return credentials.filter((_, i) => checks[i]);
}

/** The block printed on the console (never into the JSON log) at each start while demo data is in use. */
export function demoBlock(
  credentials: DemoCredential[],
  dataDir: string,
  url: string,
  resetHint: string,
): string {
  const rows = credentials.map((c) => `  ${c.role.padEnd(10)} ${c.email.padEnd(24)} ${c.password}`);
  return [
    '',
    `Demo data is in use (never in production). Sign in at ${url}/docs or POST ${url}/auth/login with:`,
    `  ${'role'.padEnd(10)} ${'e-mail'.padEnd(24)} password`,
    ...rows,
    `Passwords are kept in ${path.join(dataDir, DEMO_CREDENTIALS_FILE)} (mode 0600) so they show at every start.`,
    `To start over with fresh demo data: stop the service, ${resetHint}, and start it again.`,
    '',
    '',
  ].join('\n');
}
