import { randomBytes } from 'node:crypto';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import type { Services } from './services.js';

export interface SeedResult {
  created: 'none' | 'admin' | 'demo';
  /** Demo credentials, returned once so the caller can print them; never logged. */
  credentials: { email: string; password: string; role: string }[];
}

const DEMO_USERS = [
  { email: 'admin@demo.legal', name: 'Ada Admin', role: 'admin' },
  { email: 'attorney@demo.legal', name: 'Atticus Attorney', role: 'attorney' },
  { email: 'paralegal@demo.legal', name: 'Pat Paralegal', role: 'paralegal' },
  { email: 'client@demo.legal', name: 'Chris Client', role: 'client' },
  { email: 'auditor@demo.legal', name: 'Audrey Auditor', role: 'auditor' },
] as const;

/**
 * Fills an empty database: the first admin from ADMIN_EMAIL/ADMIN_PASSWORD, or (outside production)
 * demo users with random passwords, matters, members and a wall. Does nothing when users exist.
 */
export async function seedIfEmpty(
  services: Pick<Services, 'repositories' | 'hasher'>,
  config: Config,
  logger: Logger,
): Promise<SeedResult> {
  const { users, cases } = services.repositories;
  if ((await users.count()) > 0) return { created: 'none', credentials: [] };
  if (config.admin) {
    const admin = await users.create({
      email: config.admin.email,
      name: config.admin.name,
      role: 'admin',
      passwordHash: await services.hasher.hash(config.admin.password),
    });
    logger.info({ userId: admin.id, email: admin.email }, 'created the first administrator from ADMIN_EMAIL');
    return { created: 'admin', credentials: [] };
  }
  if (!config.demoData || config.env === 'production') {
    logger.warn(
      'the database has no users: set ADMIN_EMAIL and ADMIN_PASSWORD to create the first administrator',
    );
    return { created: 'none', credentials: [] };
  }
  const credentials: SeedResult['credentials'] = [];
  const ids: Record<string, number> = {};
  for (const demo of DEMO_USERS) {
    const password = randomBytes(12).toString('base64url');
    const user = await users.create({
      email: demo.email,
      name: demo.name,
      role: demo.role,
      passwordHash: await services.hasher.hash(password),
    });
    ids[demo.role] = user.id;
    credentials.push({ email: demo.email, password, role: demo.role });
  }
  const matter = async (title: string, practiceArea: string, clientName: string, clientId: number | null) =>
    cases.create({
      title,
      description: `Demo matter: ${title}`,
      practiceArea,
      clientName,
      clientId,
      responsibleAttorneyId: ids.attorney!,
      createdBy: ids.attorney!,
    });
  const first = await matter('Smith v. Acme Corp.', 'Litigation', 'Chris Client', ids.client!);
  await cases.addMember(first.id, ids.paralegal!, 'paralegal', ids.attorney!);
  const second = await matter('Acme Corp. acquisition of Widget Ltd.', 'Corporate', 'Acme Corp.', null);
  await cases.addMember(second.id, ids.paralegal!, 'paralegal', ids.attorney!);
  await cases.addWall(second.id, ids.paralegal!, 'Demo: previously advised Widget Ltd.', ids.admin!);
  await matter('Estate of J. Doe', 'Probate', 'Jane Doe', null);
  logger.info({ users: credentials.length, cases: 3 }, 'created demo data');
  return { created: 'demo', credentials };
}
