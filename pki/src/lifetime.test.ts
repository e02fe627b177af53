import { X509Certificate } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createIssuingCa } from './ca.ts';
import { issueNodeCertificate } from './certificates.ts';
import { createCsr } from './csr.ts';
import { expiresWithin, issuingCaRotationDue, renewalDue, renewalDueAt } from './lifetime.ts';
import { createTestPki, type TestPki } from './test-support.ts';

const DAY = 24 * 60 * 60 * 1000;
const issuedAt = new Date('2027-03-01T12:00:00Z');
const at = (days: number) => new Date(issuedAt.getTime() + days * DAY);

let pki: TestPki;
let nodeCert: string;

beforeAll(() => {
  pki = createTestPki();
  nodeCert = issueNodeCertificate(pki.issuing, createCsr({ nodeId: 'BD' }).csrPem, {
    nodeId: 'BD',
    validityDays: 90,
    now: issuedAt,
  });
});

describe('renewalDue', () => {
  it('turns true at two thirds of the lifetime (day 60 of 90), not before', () => {
    expect(renewalDue(nodeCert, at(0))).toBe(false);
    expect(renewalDue(nodeCert, at(59.9))).toBe(false);
    expect(renewalDue(nodeCert, at(60))).toBe(true);
    expect(renewalDue(nodeCert, at(89))).toBe(true);
    expect(renewalDue(nodeCert, at(120))).toBe(true); // expired: certainly due
  });

  it('is exact at the boundary it reports', () => {
    const due = renewalDueAt(nodeCert);
    const cert = new X509Certificate(nodeCert);
    const lifetime = cert.validToDate.getTime() - cert.validFromDate.getTime();
    expect(due.getTime() - cert.validFromDate.getTime()).toBe(Math.floor((lifetime * 2) / 3));
    expect(renewalDue(cert, due)).toBe(true);
    expect(renewalDue(cert, new Date(due.getTime() - 1))).toBe(false);
  });

  it('refuses something that is not a certificate', () => {
    expect(() => renewalDue('nope', at(0))).toThrow(
      expect.objectContaining({ code: 'ERR_CERT_CHAIN_INVALID' }),
    );
  });
});

describe('expiresWithin', () => {
  it('lists a certificate from N days before its expiry', () => {
    expect(expiresWithin(nodeCert, 14, at(75))).toBe(false);
    expect(expiresWithin(nodeCert, 14, at(76.5))).toBe(true);
    expect(expiresWithin(nodeCert, 0, at(91))).toBe(true);
  });
});

describe('issuingCaRotationDue', () => {
  it('is due once fewer than two node-certificate lifetimes remain', () => {
    const issuing = createIssuingCa(pki.root, {
      commonName: 'short issuing',
      validityDays: 365,
      now: issuedAt,
    });
    expect(issuingCaRotationDue(issuing.certPem, { now: at(180) })).toBe(false);
    expect(issuingCaRotationDue(issuing.certPem, { now: at(186) })).toBe(true);
    expect(issuingCaRotationDue(issuing.certPem, { now: at(300), nodeCertificateDays: 30 })).toBe(false);
  });

  it('refuses a node certificate', () => {
    expect(() => issuingCaRotationDue(nodeCert)).toThrow(
      expect.objectContaining({ code: 'ERR_KEY_INVALID' }),
    );
  });
});
