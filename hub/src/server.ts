// Runs the hub over HTTPS on two listeners serving the same application:
// - the mutual-TLS listener requires, at the handshake, a client certificate chaining to the
//   federation root (nodes and administrators);
// - the public listener (server-authenticated TLS only, no client certificate) is how a node
//   enrols before it has a certificate and where anyone fetches the CRL and the configuration.
// Which routes each caller may reach is decided per request (trust/client-certificate.ts): on
// the public listener no certificate is ever present, so member and admin routes refuse there.
import { readFile } from 'node:fs/promises';
import { listen, type RunningServer } from '@khoj/platform';
import { createHubApp } from './app.ts';
import { startExchangeSweeper } from './exchange/sweeper.ts';
import type { HubServices } from './services.ts';
import { loadIssuingCas, trustBundle } from './trust/ca-store.ts';

export type RunningHub = RunningServer & {
  /** The public listener, when `config.publicPort` is set. */
  publicUrl: string | undefined;
};

export async function startHubServer(services: HubServices): Promise<RunningHub> {
  const { paths } = services;
  const app = createHubApp(services);
  const cert = await readFile(paths.tlsCert);
  const key = await readFile(paths.tlsKey);
  const ca = trustBundle(services.trustAnchorPem, await loadIssuingCas(paths), services.clock());
  const mutual = await listen(app, {
    host: services.config.host,
    port: services.config.port,
    // TLS versions and suites: platform's TLS_POLICY, on both listeners.
    tls: { cert, key, ca, requestCert: true, rejectUnauthorized: true },
  });
  const open =
    services.config.publicPort === undefined
      ? undefined
      : await listen(app, {
          host: services.config.host,
          port: services.config.publicPort,
          tls: { cert, key, requestCert: false },
        }).catch(async (error: unknown) => {
          await mutual.close();
          throw error;
        });
  const sweeper = startExchangeSweeper(services, services.config.sweepIntervalMs);
  return {
    ...mutual,
    publicUrl: open?.url,
    async close() {
      await Promise.all([mutual.close(), open?.close(), sweeper.stop()]);
    },
  };
}
