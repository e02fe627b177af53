// Issuing-CA rotation: the root signs a second issuing CA; during the overlap certificates from
// either must verify (our chain check and openssl), and each CA's CRL must apply to its own
// certificates only, also when both CAs carry the same name.

import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CaMaterial, createIssuingCa } from './ca.ts';
import { certificateSerial, nodeIdFromCertificate } from './certificate-info.ts';
import { issueNodeCertificate } from './certificates.ts';
import { verifyCertificateChain } from './chain.ts';
import { createCrl } from './crl.ts';
import { createCsr } from './csr.ts';
import { createTestPki, type TestPki, writeTempFiles } from './test-support.ts';

let pki: TestPki;
let renamed: CaMaterial;
let sameName: CaMaterial;
let node: { csrPem: string; keyPem: string };
let fromOld: string;
let fromRenamed: string;
let fromSameName: string;

const code = (expected: string) => expect.objectContaining({ code: expected });

beforeAll(() => {
  pki = createTestPki('khoj');
  renamed = createIssuingCa(pki.root, { commonName: 'khoj issuing 2' });
  sameName = createIssuingCa(pki.root, { commonName: 'khoj issuing' });
  // One node key throughout: renewal onto the new CA reuses the CSR, no re-enrolment.
  node = createCsr({ nodeId: 'BD' });
  fromOld = issueNodeCertificate(pki.issuing, node.csrPem, { nodeId: 'BD' });
  fromRenamed = issueNodeCertificate(renamed, node.csrPem, { nodeId: 'BD' });
  fromSameName = issueNodeCertificate(sameName, node.csrPem, { nodeId: 'BD' });
});

describe('two issuing CAs under one root', () => {
  it('verifies node certificates from either CA given both intermediates, in any order', () => {
    for (const next of [renamed, sameName]) {
      for (const intermediates of [
        [pki.issuing.certPem, next.certPem],
        [next.certPem, pki.issuing.certPem],
      ]) {
        for (const cert of [fromOld, next === renamed ? fromRenamed : fromSameName]) {
          expect(() => verifyCertificateChain(cert, { intermediates, root: pki.root.certPem })).not.toThrow();
          expect(nodeIdFromCertificate(cert)).toBe('BD');
        }
      }
    }
  });

  it('does not verify a certificate when only the other CA is offered', () => {
    expect(() =>
      verifyCertificateChain(fromSameName, { intermediates: [pki.issuing.certPem], root: pki.root.certPem }),
    ).toThrow(code('ERR_CERT_CHAIN_INVALID'));
    expect(() =>
      verifyCertificateChain(fromOld, { intermediates: [renamed.certPem], root: pki.root.certPem }),
    ).toThrow(code('ERR_CERT_CHAIN_INVALID'));
  });

  it('is accepted by openssl verify with both intermediates as untrusted certificates', () => {
    const files = writeTempFiles({
      root: pki.root.certPem,
      intermediates: pki.issuing.certPem + renamed.certPem + sameName.certPem,
      old: fromOld,
      renamed: fromRenamed,
      sameName: fromSameName,
    });
    for (const cert of [files.old, files.renamed, files.sameName]) {
      const result = spawnSync(
        'openssl',
        ['verify', '-purpose', 'sslclient', '-CAfile', files.root, '-untrusted', files.intermediates, cert],
        { encoding: 'utf8' },
      );
      expect(result.stdout.trim()).toBe(`${cert}: OK`);
    }
  });

  it('applies each CA’s CRL to its own certificates only, even with identical CA names', () => {
    const now = new Date();
    const window = { thisUpdate: now, nextUpdate: new Date(now.getTime() + 3600_000), crlNumber: 1 };
    // The old CA revokes the node's old certificate (superseded by the renewal); the new CA revokes nothing.
    const oldCrl = createCrl({
      issuer: pki.issuing,
      revoked: [{ serialHex: certificateSerial(fromOld), revokedAt: now, reason: 'superseded' }],
      ...window,
    });
    const newCrl = createCrl({ issuer: sameName, revoked: [], ...window });
    const files = writeTempFiles({
      crls: oldCrl.pem + newCrl.pem,
      cas: pki.root.certPem + pki.issuing.certPem + sameName.certPem,
      old: fromOld,
      sameName: fromSameName,
    });
    const check = (cert: string) =>
      spawnSync('openssl', ['verify', '-crl_check', '-CRLfile', files.crls, '-CAfile', files.cas, cert], {
        encoding: 'utf8',
      });
    const refused = check(files.old);
    expect(`${refused.stdout}${refused.stderr}`).toContain('certificate revoked');
    const accepted = check(files.sameName);
    expect(accepted.stdout.trim()).toBe(`${files.sameName}: OK`);
  });
});
