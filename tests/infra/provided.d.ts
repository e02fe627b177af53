// Types for the values tests/infra/global-setup.ts provides to tests via vitest's `inject()`.

export {};

declare module 'vitest' {
  export interface ProvidedContext {
    /** Superuser URL of the test PostgreSQL server (maintenance database `postgres` or the image's default). */
    postgresUrl: string;
    /** URL of the test Redis server. */
    redisUrl: string;
    /** Where the services came from: CI env vars, testcontainers, or local processes. */
    testServicesSource: 'env' | 'testcontainers' | 'local';
  }
}
