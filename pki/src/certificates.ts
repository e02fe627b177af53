// Issuing end-entity certificates from the issuing CA: node client certificates (from a
// node's CSR, for mTLS to the hub) and the hub's own HTTPS server certificate.

import { isIP } from 'node:net';
import { checkNodeCsr } from './csr.ts';
import { nodeUri } from './node-id.ts';
import {
  authorityKeyIdentifier,
  type CaMaterial,
  generateRsaKey,
  loadCa,
  newCertificate,
  publicKeyOf,
  signCertificate,
  subjectAttributes,
  validityWindow,
} from './x509-support.ts';

export type NodeCertificateOptions = {
  nodeId: string;
  /** days */
  validityDays?: number;
  now?: Date;
};

export type ServerCertificateOptions = {
  commonName: string;
  dnsNames: string[];
  ipAddresses: string[];
  /** days */
  validityDays?: number;
  keyBits?: number;
  now?: Date;
};

const END_ENTITY_KEY_USAGE = {
  name: 'keyUsage',
  digitalSignature: true,
  keyEncipherment: true,
  critical: true,
};

const SAN_DNS = 2;
const SAN_URI = 6;
const SAN_IP = 7;

/**
 * Sign a node's CSR. Only the CSR's public key is taken from it: subject, SAN and usages are
 * set here from `nodeId`, so a requester cannot smuggle in extra names or CA rights.
 */
export function issueNodeCertificate(
  issuing: CaMaterial,
  csrPem: string,
  options: NodeCertificateOptions,
): string {
  const { nodeId, validityDays = 90, now = new Date() } = options;
  const csr = checkNodeCsr(csrPem, nodeId);
  const issuer = loadCa(issuing);
  const cert = newCertificate(csr.publicKey, validityWindow(now, validityDays, issuer.cert));
  cert.setSubject(subjectAttributes(nodeId));
  cert.setIssuer(issuer.cert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    END_ENTITY_KEY_USAGE,
    // clientAuth only: nodes are TLS clients of the hub; they never serve federation traffic.
    { name: 'extKeyUsage', clientAuth: true },
    { name: 'subjectAltName', altNames: [{ type: SAN_URI, value: nodeUri(nodeId) }] },
    { name: 'subjectKeyIdentifier' },
    authorityKeyIdentifier(issuer.cert),
  ]);
  return signCertificate(cert, issuer.key);
}

/** Key pair and certificate for the hub's HTTPS listener. */
export function issueServerCertificate(
  issuing: CaMaterial,
  options: ServerCertificateOptions,
): { certPem: string; keyPem: string } {
  const { commonName, dnsNames, ipAddresses, validityDays = 365, keyBits = 3072, now = new Date() } = options;
  // TLS clients match the host against the SAN only (RFC 6125), never the CN.
  if (dnsNames.length + ipAddresses.length === 0) {
    throw new TypeError('a server certificate needs at least one DNS name or IP address');
  }
  for (const ip of ipAddresses) if (isIP(ip) === 0) throw new TypeError(`not an IP address: ${ip}`);
  for (const dns of dnsNames) {
    if (!/^(\*\.)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*$/.test(dns)) throw new TypeError(`not a DNS name: ${dns}`);
  }
  const issuer = loadCa(issuing);
  const { keyPem, key } = generateRsaKey(keyBits);
  const cert = newCertificate(publicKeyOf(key), validityWindow(now, validityDays, issuer.cert));
  cert.setSubject(subjectAttributes(commonName));
  cert.setIssuer(issuer.cert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    END_ENTITY_KEY_USAGE,
    { name: 'extKeyUsage', serverAuth: true },
    {
      name: 'subjectAltName',
      altNames: [
        ...dnsNames.map((value) => ({ type: SAN_DNS, value })),
        ...ipAddresses.map((ip) => ({ type: SAN_IP, ip })),
      ],
    },
    { name: 'subjectKeyIdentifier' },
    authorityKeyIdentifier(issuer.cert),
  ]);
  return { certPem: signCertificate(cert, issuer.key), keyPem };
}
