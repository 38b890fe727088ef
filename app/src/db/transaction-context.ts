import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The namespace Sequelize.useCLS expects (cls-hooked's get, set, run and bind), on Node's AsyncLocalStorage:
 * inside `sequelize.transaction(async () => ...)` every query of the callback, however deep in the services,
 * joins that transaction without a `transaction` option being passed around. cls-hooked itself is unmaintained
 * and built on the older async_hooks API.
 */
export class TransactionContext {
  private readonly storage = new AsyncLocalStorage<Map<string, unknown>>();

  run<T>(fn: (context: Map<string, unknown>) => T): T {
    const context = new Map(this.storage.getStore());
    return this.storage.run(context, fn, context);
  }

  get(key: string): unknown {
    return this.storage.getStore()?.get(key);
  }

  set(key: string, value: unknown): void {
    this.storage.getStore()?.set(key, value);
  }

  bind<F extends (...args: never[]) => unknown>(fn: F): F {
    return AsyncLocalStorage.bind(fn);
  }
}

/** One namespace per process: Sequelize.useCLS is static, shared by every Sequelize instance. */
export const transactionContext = new TransactionContext();
