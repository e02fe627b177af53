// Keeping this node's TLS certificate current: at two thirds of its lifetime the node makes a
// new key and CSR and renews over mutual TLS with the certificate it still holds; when an
// administrator re-issued its certificate at the hub (after an issuing-CA rotation, say) it
// fetches that one. Either way the new pair is written first and only then presented, and
// requests under way finish on the old connections: the old certificate stays valid until it
// expires, so nothing fails during the switch.
import { X509Certificate } from 'node:crypto';
import { createCsr, normalizeSerialHex, renewalDue, renewalDueAt } from '@khoj/pki';
import { type HubClient, HubRequestError } from '../exchange/hub-client.ts';
import type { NodePaths } from '../home.ts';
import {
  certificateMatchesKey,
  checkIssuedCertificate,
  installTlsIdentity,
  pemCertificates,
  readTlsIdentity,
  type TlsIdentity,
  tlsIdentityStamp,
} from './tls-identity.ts';

export type RenewalContext = {
  hub: Pick<HubClient, 'GET' | 'POST' | 'useIdentity'>;
  paths: NodePaths;
  nodeId: string;
  /** The anchor's root certificate: what every certificate from the hub must chain to. */
  rootPem: string;
  clock: () => Date;
  log: (message: string) => void;
};

export type CertificateCheck =
  | { outcome: 'current'; serialHex: string; renewalDueAt: Date }
  | { outcome: 'renewed' | 'reissued' | 'reloaded'; serialHex: string; notAfter: Date };

/** Makes a new key and CSR, renews at the hub, installs the pair and presents it from now on. */
export async function renewTlsCertificate(context: RenewalContext): Promise<TlsIdentity> {
  const { csrPem, keyPem } = createCsr({ nodeId: context.nodeId });
  const { data, error, response } = await context.hub.POST('/v1/certificates/renew', { body: { csrPem } });
  if (!data) throw new HubRequestError('renew certificate', response.status, error);
  return install(context, { certPem: data.certificatePem, keyPem });
}

/**
 * Watches the certificate: re-reads it when another process (the CLI) replaced it, renews it
 * once due, and otherwise takes a newer certificate for the same key that the hub holds.
 */
export function createCertificateWatch(context: RenewalContext, initialStamp: number) {
  let stamp = initialStamp;
  return async function checkCertificate(): Promise<CertificateCheck> {
    const now = context.clock();
    const onDisk = await tlsIdentityStamp(context.paths);
    let identity = await readTlsIdentity(context.paths);
    if (onDisk !== stamp) {
      stamp = onDisk;
      context.hub.useIdentity(identity);
      return { outcome: 'reloaded', ...facts(identity) };
    }
    if (renewalDue(leafOf(identity), now)) {
      identity = await renewTlsCertificate(context);
      stamp = await tlsIdentityStamp(context.paths);
      return { outcome: 'renewed', ...facts(identity) };
    }
    const { data, error, response } = await context.hub.GET('/v1/certificates/current');
    if (!data) throw new HubRequestError('get current certificate', response.status, error);
    const held = facts(identity);
    const offered = new X509Certificate(leafOf({ certPem: data.certificatePem }));
    const newer =
      data.serialHex !== held.serialHex &&
      offered.validToDate > held.notAfter &&
      certificateMatchesKey(data.certificatePem, identity.keyPem);
    if (newer) {
      identity = await install(context, { certPem: data.certificatePem, keyPem: identity.keyPem });
      stamp = await tlsIdentityStamp(context.paths);
      return { outcome: 'reissued', ...facts(identity) };
    }
    return {
      outcome: 'current',
      serialHex: held.serialHex,
      renewalDueAt: renewalDueAt(leafOf(identity)),
    };
  };
}

async function install(context: RenewalContext, identity: TlsIdentity): Promise<TlsIdentity> {
  checkIssuedCertificate(identity.certPem, {
    keyPem: identity.keyPem,
    nodeId: context.nodeId,
    rootPem: context.rootPem,
    now: context.clock(),
  });
  await installTlsIdentity(context.paths, identity);
  context.hub.useIdentity(identity);
  const { serialHex, notAfter } = facts(identity);
  context.log(`TLS certificate ${serialHex} installed, valid until ${notAfter.toISOString()}`);
  return identity;
}

function leafOf(identity: Pick<TlsIdentity, 'certPem'>): string {
  const [leaf] = pemCertificates(identity.certPem);
  if (!leaf) throw new Error('no certificate in the TLS identity');
  return leaf;
}

function facts(identity: Pick<TlsIdentity, 'certPem'>) {
  const leaf = new X509Certificate(leafOf(identity));
  return {
    serialHex: normalizeSerialHex(leaf.serialNumber),
    notBefore: leaf.validFromDate,
    notAfter: leaf.validToDate,
  };
}
