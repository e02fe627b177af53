// Vitest globalSetup: starts PostgreSQL + Redis once per test run (see services.ts) and provides their
// URLs to tests as inject('postgresUrl') / inject('redisUrl'). Use from any workspace's vitest config as
// `globalSetup: ['../tests/infra/global-setup.ts']`.

import type { TestProject } from 'vitest/node';
import { startTestServices } from './services.ts';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const services = await startTestServices();
  project.provide('postgresUrl', services.postgresUrl);
  project.provide('redisUrl', services.redisUrl);
  project.provide('testServicesSource', services.source);
  if (services.source !== 'env') {
    console.info(`[khoj test services] ${services.source}: ${services.postgresUrl} ${services.redisUrl}`);
  }
  return async () => {
    await services.stop();
  };
}
