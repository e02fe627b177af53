// The node process: tracing first, then configuration, services, workers and the API server.
import { startTracing, stopTracing } from '@khoj/platform/tracing';

startTracing(`khoj-node-${process.env.KHOJ_NODE_ID ?? 'node'}`);

const { listen, onShutdown, ConfigError } = await import('@khoj/platform');
const { readNodeConfig } = await import('./config.ts');
const { createNodeServices } = await import('./services.ts');
const { startNodeWorkers } = await import('./workers.ts');
const { createNodeApp } = await import('./app.ts');

try {
  const config = readNodeConfig();
  const services = await createNodeServices(config);
  const workers = await startNodeWorkers(services);
  const server = await listen(createNodeApp(services), { host: config.host, port: config.port });
  console.log(
    JSON.stringify({
      service: `node ${services.identity.nodeId}`,
      status: 'ready',
      url: server.url,
      database: services.databaseKind,
      relay: workers.relay.kind,
    }),
  );
  onShutdown(async () => {
    await server.close();
    await workers.stop();
    await services.close();
    await stopTracing();
  });
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
}
