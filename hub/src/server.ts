// Runs the hub over HTTPS with mutual TLS: a client certificate chaining to the federation root
// is required at the handshake; which member it is, is checked per request.
import { readFile } from 'node:fs/promises';
import { listen, type RunningServer } from '@khoj/platform';
import { createHubApp } from './app.ts';
import { hubPaths } from './home.ts';
import type { HubServices } from './services.ts';

export async function startHubServer(services: HubServices): Promise<RunningServer> {
  const paths = hubPaths(services.config.home);
  const app = createHubApp(services);
  return listen(app, {
    host: services.config.host,
    port: services.config.port,
    tls: {
      cert: await readFile(paths.tlsCert),
      key: await readFile(paths.tlsKey),
      ca: services.trustAnchorPem,
      requestCert: true,
      rejectUnauthorized: true,
      minVersion: 'TLSv1.2',
    },
  });
}
