// Renewal of the node's TLS certificate with a pinned clock and a hub whose answers the test
// writes (issuing from a throwaway CA): due at two thirds of the lifetime, the new pair written
// before it is presented, certificates that do not fit refused, a re-issued certificate taken,
// a pair replaced by another process reloaded, and an interrupted replacement finished.
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type CaMaterial,
  createCsr,
  createIssuingCa,
  createRootCa,
  issueNodeCertificate,
  readPrivateFile,
  writePrivateFile,
  writePublicFile,
} from '@khoj/pki';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type NodePaths, nodePaths } from '../home.ts';
import { createCertificateWatch, type RenewalContext } from './certificate-renewal.ts';
import { scriptedHub } from './test-support.ts';
import { installTlsIdentity, readTlsIdentity, tlsIdentityStamp } from './tls-identity.ts';

const DAY = 86_400_000;
const T0 = new Date('2026-01-10T00:00:00.000Z');
const day = (n: number) => new Date(T0.getTime() + n * DAY);

describe("renewing the node's TLS certificate", () => {
  let root: CaMaterial;
  let issuing: CaMaterial;
  let foreignIssuing: CaMaterial;
  let dir: string;
  let paths: NodePaths;
  let now: Date;
  let logs: string[];
  /** What the scripted hub does with a renewal CSR (default: issue it honestly). */
  let issue: (csrPem: string) => string;
  let current: () => string;
  /** The CSR the node's first certificate was issued from (the hub keeps it to re-issue). */
  let initialCsr: string;

  beforeAll(async () => {
    root = createRootCa({ commonName: 'test root', keyBits: 3072, now: day(-1) });
    issuing = createIssuingCa(root, { commonName: 'test issuing', now: day(-1) });
    const foreignRoot = createRootCa({ commonName: 'foreign root', keyBits: 3072, now: day(-1) });
    foreignIssuing = createIssuingCa(foreignRoot, { commonName: 'foreign issuing', now: day(-1) });
  });

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'khoj-renewal-test-'));
    paths = nodePaths(dir);
    const csr = createCsr({ nodeId: 'IN-WB' });
    initialCsr = csr.csrPem;
    await writePrivateFile(paths.tlsKey, csr.keyPem);
    await writePublicFile(
      paths.tlsCert,
      issueNodeCertificate(issuing, csr.csrPem, { nodeId: 'IN-WB', now: T0 }) + issuing.certPem,
    );
    now = day(1);
    logs = [];
    issue = (csrPem) => issueNodeCertificate(issuing, csrPem, { nodeId: 'IN-WB', now }) + issuing.certPem;
    current = () => '';
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const watch = async () => {
    const presented: Array<{ certPem: string; keyPem: string; onDisk: { certPem: string; keyPem: string } }> =
      [];
    const { hub, calls } = scriptedHub({
      'POST /v1/certificates/renew': async (request) => {
        const { csrPem } = (await request.json()) as { csrPem: string };
        const certificatePem = issue(csrPem);
        const leaf = new X509Certificate(certificatePem);
        return Response.json(
          {
            nodeId: 'IN-WB',
            serialHex: leaf.serialNumber.toLowerCase(),
            certificatePem,
            notBefore: leaf.validFromDate.toISOString(),
            notAfter: leaf.validToDate.toISOString(),
          },
          { status: 201 },
        );
      },
      'GET /v1/certificates/current': async () => {
        const certificatePem = current() || (await readFile(paths.tlsCert, 'utf8'));
        const leaf = new X509Certificate(certificatePem);
        return Response.json({
          nodeId: 'IN-WB',
          serialHex: leaf.serialNumber.toLowerCase().replace(/^(00)+/, ''),
          certificatePem,
          notBefore: leaf.validFromDate.toISOString(),
          notAfter: leaf.validToDate.toISOString(),
        });
      },
    });
    // Record what was on disk at the moment the new identity was presented.
    const useIdentity = hub.useIdentity;
    hub.useIdentity = (identity) => {
      presented.push({
        ...identity,
        onDisk: { certPem: readFileSync(paths.tlsCert, 'utf8'), keyPem: readFileSync(paths.tlsKey, 'utf8') },
      });
      useIdentity(identity);
    };
    const context: RenewalContext = {
      hub,
      paths,
      nodeId: 'IN-WB',
      rootPem: root.certPem,
      clock: () => now,
      log: (line) => logs.push(line),
    };
    const check = createCertificateWatch(context, await tlsIdentityStamp(paths));
    return { check, presented, calls };
  };

  it('keeps a certificate before two thirds of its lifetime and renews it after', async () => {
    const before = await readTlsIdentity(paths);
    const { check, presented, calls } = await watch();
    now = day(59);
    const kept = await check();
    expect(kept.outcome).toBe('current');
    // Two thirds of 90 days (the certificate's notBefore is backdated a little for clock skew).
    expect(
      kept.outcome === 'current' && Math.abs(kept.renewalDueAt.getTime() - day(60).getTime()),
    ).toBeLessThan(DAY / 24);
    expect(presented).toEqual([]);

    now = day(61);
    const renewed = await check();
    expect(renewed.outcome).toBe('renewed');
    const after = await readTlsIdentity(paths);
    expect(after.keyPem).not.toBe(before.keyPem);
    const renewedFrom = new X509Certificate(after.certPem).validFromDate.getTime();
    expect(Math.abs(renewedFrom - day(61).getTime())).toBeLessThan(DAY / 24);
    // Presented once, and only once the pair was on disk (a crash then loses nothing).
    expect(presented).toHaveLength(1);
    expect(presented[0]).toEqual({ ...after, onDisk: after });
    expect(calls.filter((call) => call.url.endsWith('/v1/certificates/renew'))).toHaveLength(1);
    expect(logs.join('\n')).toMatch(/TLS certificate [0-9a-f]+ installed, valid until/);
  });

  it('refuses a certificate that does not certify its new key, names another node, or comes from a foreign CA', async () => {
    const before = await readTlsIdentity(paths);
    now = day(61);
    for (const [wrong, message] of [
      [
        () =>
          issueNodeCertificate(issuing, createCsr({ nodeId: 'IN-WB' }).csrPem, { nodeId: 'IN-WB', now }) +
          issuing.certPem,
        /another key/,
      ],
      [
        (csrPem: string) => issueNodeCertificate(issuing, csrPem, { nodeId: 'BD', now }) + issuing.certPem,
        /CN|BD|name/,
      ],
      [
        (csrPem: string) =>
          issueNodeCertificate(foreignIssuing, csrPem, { nodeId: 'IN-WB', now }) + foreignIssuing.certPem,
        /issuer|trusted/,
      ],
    ] as const) {
      issue = wrong as (csrPem: string) => string;
      const { check, presented } = await watch();
      await expect(check()).rejects.toThrow(message);
      expect(presented).toEqual([]);
      expect(await readTlsIdentity(paths)).toEqual(before);
    }
  });

  it('takes a newer certificate for its key that an administrator re-issued at the hub', async () => {
    const before = await readTlsIdentity(paths);
    now = day(20);
    const { check, presented } = await watch();
    current = () => issueNodeCertificate(issuing, initialCsr, { nodeId: 'IN-WB', now }) + issuing.certPem;
    expect((await check()).outcome).toBe('reissued');
    const after = await readTlsIdentity(paths);
    expect(after.keyPem).toBe(before.keyPem);
    expect(after.certPem).not.toBe(before.certPem);
    expect(presented).toHaveLength(1);
    expect((await check()).outcome).toBe('current');
  });

  it('reloads a pair that another process (the CLI) installed', async () => {
    const { check, presented } = await watch();
    const csr = createCsr({ nodeId: 'IN-WB' });
    await new Promise((resolve) => setTimeout(resolve, 20)); // a later modification time
    await installTlsIdentity(paths, {
      keyPem: csr.keyPem,
      certPem: issueNodeCertificate(issuing, csr.csrPem, { nodeId: 'IN-WB', now }) + issuing.certPem,
    });
    expect((await check()).outcome).toBe('reloaded');
    expect(presented[0]?.keyPem).toBe(csr.keyPem);
  });

  it('finishes a replacement interrupted between renaming the key and the certificate', async () => {
    const csr = createCsr({ nodeId: 'IN-WB' });
    const certPem = issueNodeCertificate(issuing, csr.csrPem, { nodeId: 'IN-WB', now }) + issuing.certPem;
    await writePrivateFile(`${paths.tlsKey}.new`, csr.keyPem);
    await writeFile(`${paths.tlsCert}.new`, certPem);
    await rename(`${paths.tlsKey}.new`, paths.tlsKey); // …and the process died here
    expect(await readTlsIdentity(paths)).toEqual({ certPem, keyPem: csr.keyPem });
    expect(await readPrivateFile(paths.tlsKey)).toBe(csr.keyPem);
  });
});
