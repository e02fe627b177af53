// Reading facts out of issued certificates: which node a certificate names, its serial and
// validity. The hub calls nodeIdFromX509 on the peer certificate of every mTLS request
// (`tlsSocket.getPeerX509Certificate()`), so parsing here is strict and never guesses.

import { X509Certificate } from 'node:crypto';
import { PkiError } from './errors.ts';
import { assertNodeId, NODE_URI_PREFIX } from './node-id.ts';

/** Every federation identity URI starts with this; NODE_URI_PREFIX is one kind. */
const KHOJ_URI_PREFIX = 'urn:khoj:';

export function nodeIdFromCertificate(certPem: string): string {
  return nodeIdFromX509(parseCertificate(certPem));
}

/**
 * The node id from the SAN URI `urn:khoj:node:<id>`, or from the subject CN when the
 * certificate has no such URI. Throws ERR_NODE_ID_INVALID when it names no node, names a
 * malformed one, or names two different ones.
 */
export function nodeIdFromX509(cert: X509Certificate): string {
  const uris = subjectAltNameUris(cert);
  // Any other khoj identity (an administrator's urn:khoj:admin:…) means this is not a node
  // certificate, whatever its CN says: one certificate never speaks for two kinds of principal.
  const other = uris.find(
    // URN namespace ids are case-insensitive (RFC 8141), so compare the prefix without case.
    (uri) => uri.toLowerCase().startsWith(KHOJ_URI_PREFIX) && !uri.startsWith(NODE_URI_PREFIX),
  );
  if (other) throw new PkiError('ERR_NODE_ID_INVALID', `certificate names a non-node identity: ${other}`);
  const ids = new Set(
    uris.filter((uri) => uri.startsWith(NODE_URI_PREFIX)).map((uri) => uri.slice(NODE_URI_PREFIX.length)),
  );
  if (ids.size > 1) throw new PkiError('ERR_NODE_ID_INVALID', 'certificate names more than one node');
  const nodeId = ids.size === 1 ? [...ids][0] : commonName(cert);
  assertNodeId(nodeId);
  return nodeId;
}

/** The SAN URI entries of a certificate, in order. */
export function subjectAltNameUris(cert: X509Certificate): string[] {
  return sanEntries(cert.subjectAltName ?? '')
    .filter(([type]) => type === 'URI')
    .map(([, value]) => value);
}

/** Serial number as lowercase hex, as printed by `openssl x509 -serial` (but lowercase). */
export function certificateSerial(certPem: string): string {
  return parseCertificate(certPem).serialNumber.toLowerCase();
}

export function certificateValidity(certPem: string): { notBefore: Date; notAfter: Date } {
  const cert = parseCertificate(certPem);
  return { notBefore: cert.validFromDate, notAfter: cert.validToDate };
}

export function parseCertificate(certPem: string): X509Certificate {
  try {
    return new X509Certificate(certPem);
  } catch (cause) {
    throw new PkiError('ERR_CERT_CHAIN_INVALID', 'not a readable X.509 certificate', { cause });
  }
}

/**
 * Split Node's `subjectAltName` string ("DNS:a, URI:b, ..."). Node JSON-quotes any value that
 * contains a comma or quote, so a crafted DNS name cannot pose as a second URI entry; a plain
 * split on ", " would be fooled by exactly that.
 */
function sanEntries(san: string): Array<[string, string]> {
  const entries: Array<[string, string]> = [];
  let i = 0;
  while (i < san.length) {
    const colon = san.indexOf(':', i);
    if (colon === -1) break;
    const type = san.slice(i, colon);
    i = colon + 1;
    let value: string;
    if (san[i] === '"') {
      const end = closingQuote(san, i);
      value = JSON.parse(san.slice(i, end + 1)) as string;
      i = end + 1;
    } else {
      const end = san.indexOf(', ', i);
      value = san.slice(i, end === -1 ? san.length : end);
      i = end === -1 ? san.length : end;
    }
    entries.push([type, value]);
    if (san.startsWith(', ', i)) i += 2;
  }
  return entries;
}

function closingQuote(text: string, open: number): number {
  for (let j = open + 1; j < text.length; j++) {
    if (text[j] === '\\') j++;
    else if (text[j] === '"') return j;
  }
  throw new PkiError('ERR_NODE_ID_INVALID', 'malformed subjectAltName');
}

function commonName(cert: X509Certificate): string | undefined {
  const raw = /^CN=(.*)$/m.exec(cert.subject)?.[1];
  if (raw === undefined) return undefined;
  return raw.startsWith('"') ? (JSON.parse(raw) as string) : raw;
}
