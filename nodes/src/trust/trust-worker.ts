// The node's trust upkeep, in the background: the signed federation configuration every
// `federationConfigRefreshSeconds` (≤ 30, so a revocation reaches this node within one
// refresh), key files replaced by `khoj node rotate-keys` picked up at the same pace, and the TLS
// certificate checked every `certificateCheckSeconds` (renewed at two thirds of its lifetime,
// or replaced by one an administrator re-issued). Each task waits for its previous run to end.
import type { NodeServices } from '../services.ts';
import { type CertificateCheck, createCertificateWatch } from './certificate-renewal.ts';
import { ownKeysStamp, readOwnKeys } from './own-keys.ts';
import { tlsIdentityStamp } from './tls-identity.ts';

export const DEFAULT_CONFIG_REFRESH_SECONDS = 15;
export const DEFAULT_CERTIFICATE_CHECK_SECONDS = 3600;

export type TrustWorker = {
  /** Runs a certificate check now (tests, and `khoj node renew` through the running node). */
  checkCertificate(): Promise<CertificateCheck>;
  stop(): Promise<void>;
};

export async function startTrustWorker(services: NodeServices): Promise<TrustWorker> {
  const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));
  let keysStamp = await ownKeysStamp(services.paths);
  const rootPem = services.trust.anchor?.rootCertificatePem;
  const checkCertificate = rootPem
    ? createCertificateWatch(
        {
          hub: services.hub,
          paths: services.paths,
          nodeId: services.identity.nodeId,
          rootPem,
          clock: services.clock,
          log: services.log,
        },
        await tlsIdentityStamp(services.paths),
      )
    : async (): Promise<CertificateCheck> => {
        throw new Error('no trust anchor: the certificate cannot be renewed (enrol with `khoj node enrol`)');
      };

  const refreshConfig = async () => {
    // Failures are logged by the client, with their codes; the last valid version stays in use.
    await services.directory.refresh();
    const stamp = await ownKeysStamp(services.paths);
    if (stamp !== keysStamp) {
      keysStamp = stamp;
      const keys = await readOwnKeys(services.paths);
      Object.assign(services.keys, keys);
      services.log(`own keys reloaded: signing ${keys.signing.kid}, encryption ${keys.encryption.kid}`);
    }
  };
  const checkTls = async () => {
    const result = await checkCertificate();
    if (result.outcome === 'reloaded') {
      services.log(`TLS certificate ${result.serialHex} reloaded from ${services.paths.tlsCert}`);
    }
  };

  await refreshConfig().catch((error: unknown) =>
    services.log(`federation configuration: ${describe(error)}`),
  );
  const loops = [
    repeat(
      (services.config.federationConfigRefreshSeconds ?? DEFAULT_CONFIG_REFRESH_SECONDS) * 1000,
      refreshConfig,
      (error) => services.log(`federation configuration: ${describe(error)}`),
    ),
    repeat(
      (services.config.certificateCheckSeconds ?? DEFAULT_CERTIFICATE_CHECK_SECONDS) * 1000,
      checkTls,
      (error) =>
        services.log(`certificate check failed, keeping the current certificate: ${describe(error)}`),
      { runFirst: true },
    ),
  ];
  return {
    checkCertificate,
    async stop() {
      await Promise.all(loops.map((loop) => loop.stop()));
    },
  };
}

/** Runs `task` every `intervalMs` after the previous run ended, until stopped. */
function repeat(
  intervalMs: number,
  task: () => Promise<void>,
  onError: (error: unknown) => void,
  options: { runFirst?: boolean } = {},
) {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const run = () => {
    running = task()
      .catch(onError)
      .finally(() => {
        if (!stopped) timer = setTimeout(run, intervalMs);
      });
  };
  if (options.runFirst) run();
  else timer = setTimeout(run, intervalMs);
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
