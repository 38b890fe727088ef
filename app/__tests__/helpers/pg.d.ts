// Minimal typings for the parts of `pg` the tests use directly (the package ships none; @types/pg is not installed).
declare module 'pg' {
  interface ClientConfig {
    connectionString?: string;
    connectionTimeoutMillis?: number;
  }
  export class Client {
    constructor(config?: ClientConfig);
    connect(): Promise<void>;
    query<R = Record<string, unknown>>(sql: string, values?: unknown[]): Promise<{ rows: R[] }>;
    end(): Promise<void>;
  }
  const pg: { Client: typeof Client };
  export default pg;
}
