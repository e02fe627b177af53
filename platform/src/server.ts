// Starts a hono app on Node's HTTP or HTTPS server and stops it cleanly on SIGINT/SIGTERM.
import type { Server } from 'node:http';
import { createServer as createHttpsServer, type ServerOptions } from 'node:https';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';

export type RunningServer = { url: string; port: number; close(): Promise<void> };

/**
 * The TLS every khoj listener speaks, whatever its caller asks: TLS 1.3, or TLS 1.2 with an
 * ephemeral (ECDHE) key exchange and an AEAD cipher only — no static-RSA key exchange (no forward
 * secrecy), no CBC or SHA-1 suites, which Node's defaults still offer on TLS 1.2. TLS 1.3 suites
 * are all AEAD; its three are named so the list is complete in one place.
 */
export const TLS_POLICY = {
  minVersion: 'TLSv1.2',
  ciphers: [
    'TLS_AES_256_GCM_SHA384',
    'TLS_CHACHA20_POLY1305_SHA256',
    'TLS_AES_128_GCM_SHA256',
    'ECDHE-ECDSA-AES256-GCM-SHA384',
    'ECDHE-RSA-AES256-GCM-SHA384',
    'ECDHE-ECDSA-CHACHA20-POLY1305',
    'ECDHE-RSA-CHACHA20-POLY1305',
    'ECDHE-ECDSA-AES128-GCM-SHA256',
    'ECDHE-RSA-AES128-GCM-SHA256',
  ].join(':'),
  honorCipherOrder: true,
} as const satisfies ServerOptions;

/** Anything with hono's `fetch` (its env type varies by app, so it is left open here). */
type FetchApp = { fetch: (request: Request, env: never) => Response | Promise<Response> };

export async function listen(
  app: FetchApp,
  options: { host: string; port: number; tls?: ServerOptions },
): Promise<RunningServer> {
  const server = await new Promise<Server>((resolve, reject) => {
    const started = serve(
      {
        fetch: app.fetch as Parameters<typeof serve>[0]['fetch'],
        hostname: options.host,
        port: options.port,
        ...(options.tls
          ? { createServer: createHttpsServer, serverOptions: { ...options.tls, ...TLS_POLICY } }
          : {}),
      },
      () => resolve(started as Server),
    );
    started.once('error', reject);
  });
  server.keepAliveTimeout = 65_000;
  const { port } = server.address() as AddressInfo;
  const scheme = options.tls ? 'https' : 'http';
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `${scheme}://${host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Runs `stop` once on SIGINT or SIGTERM, then exits. */
export function onShutdown(stop: () => Promise<void>): void {
  let stopping = false;
  const handler = (signal: string) => {
    if (stopping) return;
    stopping = true;
    stop()
      .catch((error: unknown) => console.error(`error while stopping on ${signal}:`, error))
      .finally(() => process.exit(0));
  };
  process.once('SIGINT', () => handler('SIGINT'));
  process.once('SIGTERM', () => handler('SIGTERM'));
}
