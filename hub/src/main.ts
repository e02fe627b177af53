// The hub process: tracing first, then configuration, services and the HTTPS listeners.
import { startTracing, stopTracing } from '@khoj/platform/tracing';

startTracing('khoj-hub');

const { onShutdown, ConfigError } = await import('@khoj/platform');
const { readHubConfig } = await import('./config.ts');
const { createHubServices } = await import('./services.ts');
const { startHubServer } = await import('./server.ts');

try {
  const services = await createHubServices(readHubConfig());
  const server = await startHubServer(services);
  console.log(
    JSON.stringify({
      service: 'hub',
      status: 'ready',
      url: server.url,
      publicUrl: server.publicUrl,
      database: services.databaseKind,
    }),
  );
  onShutdown(async () => {
    await server.close();
    await services.close();
    await stopTracing();
  });
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
}
