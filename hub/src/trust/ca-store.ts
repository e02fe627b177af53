// The certificate authority as the hub keeps it in its home (see home.ts): the root CA
// certificate (the trust anchor), the root key only encrypted under a passphrase the hub process
// never has, and the issuing CAs the hub issues node and administrator certificates with. The
// newest valid issuing CA is the current one; older ones stay until they expire, so a rotation
// never invalidates what they issued and nodes (which trust the root) need not re-enrol.
import { X509Certificate } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  assertCaMaterial,
  type CaMaterial,
  createIssuingCa,
  decryptPrivateKeyPem,
  encryptPrivateKeyPem,
  readPrivateFile,
  writePrivateFile,
  writePublicFile,
} from '@khoj/pki';
import type { HubPaths } from '../home.ts';

export type IssuingCa = CaMaterial & { serialHex: string; notBefore: Date; notAfter: Date };

/** Lowercase hex without leading zero bytes: how serials are stored, compared and listed in CRLs. */
export function normalSerial(serialNumber: string): string {
  const hex = serialNumber.toLowerCase().replace(/^(00)+(?=.)/, '');
  return hex.length % 2 === 1 ? `0${hex}` : hex;
}

export function describeIssuingCa(material: CaMaterial): IssuingCa {
  const x509 = new X509Certificate(material.certPem);
  return {
    ...material,
    serialHex: normalSerial(x509.serialNumber),
    notBefore: x509.validFromDate,
    notAfter: x509.validToDate,
  };
}

/**
 * Every issuing CA in the home, newest first. Unreadable or mismatched pairs are an error, not
 * skipped. Checked pairs are remembered by file name, size and modification time (checking one
 * parses an RSA key, which is slow), so a rotation by the CLI is still seen at the next call.
 */
export async function loadIssuingCas(paths: HubPaths): Promise<IssuingCa[]> {
  const files = await readdir(paths.ca.issuingDir).catch(() => [] as string[]);
  const cas: IssuingCa[] = [];
  for (const file of files.filter((name) => name.endsWith('.cert.pem')).sort()) {
    const base = join(paths.ca.issuingDir, file.slice(0, -'.cert.pem'.length));
    const stamps = await Promise.all([stat(`${base}.cert.pem`), stat(`${base}.key.pem`)]);
    const version = stamps.map((info) => `${info.size}:${info.mtimeMs}`).join('/');
    const cached = checked.get(base);
    if (cached?.version === version) {
      cas.push(cached.ca);
      continue;
    }
    const material = {
      certPem: await readFile(`${base}.cert.pem`, 'utf8'),
      keyPem: await readPrivateFile(`${base}.key.pem`),
    };
    assertCaMaterial(material);
    const ca = describeIssuingCa(material);
    checked.set(base, { version, ca });
    cas.push(ca);
  }
  return cas.sort((a, b) => b.notBefore.getTime() - a.notBefore.getTime());
}

const checked = new Map<string, { version: string; ca: IssuingCa }>();

/** The issuing CA new certificates come from: the newest one valid at `now`. */
export function currentIssuingCa(cas: IssuingCa[], now: Date): IssuingCa | undefined {
  return cas.find((ca) => ca.notBefore <= now && now < ca.notAfter);
}

/** Issuing CAs whose certificates may still be in use (not expired), newest first. */
export function liveIssuingCas(cas: IssuingCa[], now: Date): IssuingCa[] {
  return cas.filter((ca) => now < ca.notAfter);
}

/**
 * The CA bundle the hub's TLS listener trusts: the root, plus every live issuing CA so that a
 * client presenting its leaf alone still builds a path (the root stays the only anchor).
 */
export function trustBundle(rootPem: string, cas: IssuingCa[], now: Date): string {
  const pems = [rootPem.trim(), ...liveIssuingCas(cas, now).map((ca) => ca.certPem.trim())];
  return `${pems.join('\n')}\n`;
}

export async function writeIssuingCa(paths: HubPaths, material: CaMaterial): Promise<IssuingCa> {
  const ca = describeIssuingCa(material);
  const base = join(paths.ca.issuingDir, ca.serialHex);
  await writePrivateFile(`${base}.key.pem`, material.keyPem);
  await writePublicFile(`${base}.cert.pem`, material.certPem);
  return ca;
}

/**
 * Puts a federation's CA into a hub home (what `khoj federation init` does, or an upgrade of a
 * home made before this layout): the root certificate as the trust anchor, the root key
 * encrypted under `rootKeyPassphrase` (at least 12 characters), and the first issuing CA.
 * Refuses an issuing CA the root did not sign, and a root other than the anchor already there.
 */
export async function installCertificateAuthority(
  paths: HubPaths,
  options: { root: CaMaterial; issuing: CaMaterial; rootKeyPassphrase: string },
): Promise<IssuingCa> {
  assertCaMaterial(options.root);
  assertCaMaterial(options.issuing);
  const root = new X509Certificate(options.root.certPem);
  const issuing = new X509Certificate(options.issuing.certPem);
  if (!issuing.checkIssued(root) || !issuing.verify(root.publicKey)) {
    throw new Error('the issuing CA was not signed by this root CA');
  }
  if (existsSync(paths.trustAnchor)) {
    const anchor = new X509Certificate(await readFile(paths.trustAnchor, 'utf8'));
    if (anchor.fingerprint256 !== root.fingerprint256) {
      throw new Error(`${paths.trustAnchor} holds another root CA; refusing to replace the trust anchor`);
    }
  } else {
    await writePublicFile(paths.trustAnchor, options.root.certPem);
  }
  await writePrivateFile(
    paths.ca.rootKeyEncrypted,
    encryptPrivateKeyPem(options.root.keyPem, options.rootKeyPassphrase),
  );
  return writeIssuingCa(paths, options.issuing);
}

/**
 * Signs a new issuing CA with the root (whose key is decrypted here, in the calling process,
 * and never written in the clear) and adds it to the home. It becomes current at once; the
 * previous ones keep verifying and revoking what they issued until they expire.
 */
export async function createNextIssuingCa(
  paths: HubPaths,
  options: { rootKeyPassphrase: string; commonName?: string; validityDays?: number; now?: Date },
): Promise<IssuingCa> {
  const now = options.now ?? new Date();
  const rootCertPem = await readFile(paths.trustAnchor, 'utf8');
  if (!existsSync(paths.ca.rootKeyEncrypted)) {
    throw new Error(`no encrypted root key at ${paths.ca.rootKeyEncrypted}: install the CA first`);
  }
  const rootKeyPem = decryptPrivateKeyPem(
    await readPrivateFile(paths.ca.rootKeyEncrypted),
    options.rootKeyPassphrase,
  );
  const root = { certPem: rootCertPem, keyPem: rootKeyPem };
  const stamp = now.toISOString().slice(0, 10);
  const issuing = createIssuingCa(root, {
    commonName: options.commonName ?? `khoj federation issuing CA ${stamp}`,
    now,
    ...(options.validityDays ? { validityDays: options.validityDays } : {}),
  });
  return writeIssuingCa(paths, issuing);
}
