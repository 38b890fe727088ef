/**
 * A rollout lock in Parameter Store: PutParameter with Overwrite off succeeds for one rollout only. The
 * value names the owner and an expiry, so a lock left by a killed runner can be taken over once expired.
 * Released at the end (only by its owner), and by the post step when the workflow is cancelled and it could
 * put every instance back. When it could not, the post step marks the lock `interrupted` (the rollout ID and the
 * instances it touched): the next rollout repairs those instances first, then takes the lock over.
 */
import {
  DeleteParameterCommand,
  GetParameterCommand,
  PutParameterCommand,
  type SSMClient,
} from '@aws-sdk/client-ssm';
import { awsCall } from '../../lib/aws.js';
import type { Sleep } from '../../lib/retry.js';

export interface LockDeps {
  ssm: Pick<SSMClient, 'send'>;
  sleep?: Sleep;
  random?: () => number;
  log?: (line: string) => void;
  now: () => number;
}

export interface Interrupted {
  /** The interrupted rollout's ID, as its deploy scripts recorded it on the instances. */
  rolloutId: string;
  /** Instances the interrupted rollout sent its deploy script to. */
  instances: string[];
  at: string;
}

export interface LockValue {
  owner: string;
  expires: string;
  interrupted?: Interrupted;
}

function lockHeld(name: string, held: LockValue): Error {
  return new Error(
    `Another rollout holds the lock '${name}' (owner ${held.owner}, until ${held.expires}), so nothing was changed. ` +
      `Wait for it to finish; if that rollout is gone, delete the parameter or wait for the expiry.`,
  );
}

function call<T>(deps: LockDeps, label: string, permission: string, op: () => Promise<T>): Promise<T> {
  return awsCall(op, { operation: label, permission, sleep: deps.sleep, random: deps.random, log: deps.log });
}

async function read(deps: LockDeps, name: string): Promise<LockValue | undefined> {
  try {
    const res = await call(deps, 'SSM GetParameter (lock)', 'ssm:GetParameter', () =>
      deps.ssm.send(new GetParameterCommand({ Name: name })),
    );
    const value = JSON.parse(res.Parameter?.Value ?? '{}') as Partial<LockValue>;
    const interrupted = value.interrupted;
    return {
      owner: String(value.owner ?? 'unknown'),
      expires: String(value.expires ?? new Date(0).toISOString()),
      ...(interrupted && typeof interrupted.rolloutId === 'string' && Array.isArray(interrupted.instances)
        ? {
            interrupted: {
              rolloutId: interrupted.rolloutId,
              instances: interrupted.instances.map(String),
              at: String(interrupted.at ?? ''),
            },
          }
        : {}),
    };
  } catch (err) {
    if ((err as { name?: string }).name === 'ParameterNotFound') return undefined;
    throw err;
  }
}

async function put(deps: LockDeps, name: string, value: LockValue, overwrite: boolean): Promise<void> {
  await call(deps, 'SSM PutParameter (lock)', 'ssm:PutParameter', () =>
    deps.ssm.send(
      new PutParameterCommand({
        Name: name,
        Type: 'String',
        Overwrite: overwrite,
        Value: JSON.stringify(value),
        Description: 'ssm-rollout lock: a rollout to these instances is running',
      }),
    ),
  );
}

/**
 * Takes the lock. A lock an interrupted rollout left is taken over once `repair` has put that rollout's
 * instances back (repair throws when it cannot; the lock then stays as it is).
 */
export async function acquireLock(
  deps: LockDeps,
  name: string,
  owner: string,
  ttlMs: number,
  repair?: (interrupted: Interrupted, held: LockValue) => Promise<void>,
): Promise<LockValue> {
  const mine: LockValue = { owner, expires: new Date(deps.now() + ttlMs).toISOString() };
  try {
    await put(deps, name, mine, false);
    return mine;
  } catch (err) {
    if ((err as { name?: string }).name !== 'ParameterAlreadyExists') throw err;
  }
  const held = await read(deps, name);
  // Our own first PutParameter went through but its response was lost, and the retry found our lock.
  if (held?.owner === owner) return held;
  if (held?.interrupted && repair) {
    deps.log?.(
      `lock ${name}: the rollout of ${held.owner} was interrupted (${held.interrupted.at}); repairing ` +
        `${held.interrupted.instances.join(' ')} before anything else`,
    );
    await repair(held.interrupted, held);
  } else if (held && Date.parse(held.expires) > deps.now()) {
    throw lockHeld(name, held);
  } else {
    deps.log?.(
      `lock ${name}: taking over an expired lock${held ? ` (owner ${held.owner}, expired ${held.expires})` : ''}`,
    );
  }
  await put(deps, name, mine, true);
  const check = await read(deps, name);
  if (check?.owner !== owner) throw lockHeld(name, check ?? { owner: 'unknown', expires: 'unknown' });
  return mine;
}

/** Marks the lock as left by an interrupted rollout, if this rollout still owns it; returns whether it did. */
export async function markInterrupted(
  deps: LockDeps,
  name: string,
  owner: string,
  interrupted: Interrupted,
): Promise<boolean> {
  const held = await read(deps, name);
  if (!held || held.owner !== owner) return false;
  await put(deps, name, { ...held, interrupted }, true);
  return true;
}

/** Deletes the lock if this rollout still owns it; returns whether it did. */
export async function releaseLock(deps: LockDeps, name: string, owner: string): Promise<boolean> {
  const held = await read(deps, name);
  if (!held || held.owner !== owner) return false;
  await call(deps, 'SSM DeleteParameter (lock)', 'ssm:DeleteParameter', () =>
    deps.ssm.send(new DeleteParameterCommand({ Name: name })),
  );
  return true;
}
