// What a member node does for itself over mutual TLS: renew its certificate from a new CSR
// (the current certificate stays valid until it expires, so nothing fails during the switch),
// fetch its newest certificate (after an administrator re-issued it), and rotate its signing
// and encryption keys (the replaced keys stay valid for the overlap, so what was signed or
// encrypted just before still verifies and decrypts).
import type { z } from '@hono/zod-openapi';
import type { GeneralJwe, KeyRotationRequest, PublicJwk } from '@khoj/contracts';
import { ApiError } from '@khoj/platform';
import { and, desc, eq, gt, inArray, isNull, notExists, or } from 'drizzle-orm';
import { appendHubAudit } from '../audit/audit.store.ts';
import {
  type MemberRow,
  members,
  type NodeCertificateRow,
  nodeCertificates,
  nodeKeys,
  revocations,
} from '../db/schema/index.ts';
import type { HubServices } from '../services.ts';
import { newKeyChallenge } from './challenges.ts';
import { publishFederationConfig } from './federation-config.store.ts';
import { checkCsrFor, issueNodeCertificateFor } from './issuance.ts';
import { checkPublishedKey, checkRotationProof, type KeyUse } from './published-keys.ts';

const HOUR_MS = 60 * 60 * 1000;

export async function renewCertificate(
  services: HubServices,
  member: MemberRow,
  csrPem: string,
  requestId: string | null = null,
): Promise<NodeCertificateRow> {
  const now = services.clock();
  checkCsrFor(csrPem, member.nodeId);
  return services.db.transaction(async (tx) => {
    const issued = await issueNodeCertificateFor(tx, services, {
      nodeId: member.nodeId,
      csrPem,
      source: 'renewal',
      now,
    });
    await appendHubAudit(tx, {
      at: now,
      actor: `node:${member.nodeId}`,
      action: 'certificate.renew',
      subject: member.nodeId,
      detail: { serialHex: issued.serialHex, notAfter: issued.notAfter.toISOString() },
      requestId,
    });
    await publishFederationConfig(tx, services, `certificate.renew ${member.nodeId}`, now);
    return issued;
  });
}

/** The node's newest certificate that is not revoked. */
export async function newestCertificate(
  services: Pick<HubServices, 'db'>,
  nodeId: string,
): Promise<NodeCertificateRow | undefined> {
  const [row] = await services.db
    .select()
    .from(nodeCertificates)
    .where(
      and(
        eq(nodeCertificates.nodeId, nodeId),
        notExists(
          services.db.select().from(revocations).where(eq(revocations.serialHex, nodeCertificates.serialHex)),
        ),
      ),
    )
    .orderBy(desc(nodeCertificates.notBefore), desc(nodeCertificates.issuedAt))
    .limit(1);
  return row;
}

/** A challenge for a new encryption key (the proof for POST /v1/keys is its plaintext). */
export async function keyChallenge(services: HubServices, member: MemberRow, encryptionKey: PublicJwk) {
  const key = await checkPublishedKey('encryption', encryptionKey);
  const { challenge, expiresAt } = await newKeyChallenge(
    services.configSigningKey,
    member.nodeId,
    key,
    services.clock(),
  );
  // pki's JWE type leaves `protected` optional; encryptForRecipients always sets it.
  return { challenge: challenge as GeneralJwe, expiresAt };
}

export async function rotateKeys(
  services: HubServices,
  member: MemberRow,
  request: z.infer<typeof KeyRotationRequest>,
  requestId: string | null = null,
) {
  const now = services.clock();
  const context = { nodeId: member.nodeId, hubKey: services.configSigningKey, now };
  const replacing: Array<{ use: KeyUse; key: PublicJwk }> = [];
  for (const [use, jwk, proof] of [
    ['signing', request.signingKey, request.proofs.signingKey],
    ['encryption', request.encryptionKey, request.proofs.encryptionKey],
  ] as const) {
    if (!jwk) continue;
    const key = await checkPublishedKey(use, jwk);
    await checkRotationProof(use, key, proof, context);
    replacing.push({ use, key });
  }
  const overlapEnds = new Date(now.getTime() + request.overlapHours * HOUR_MS);

  return services.db.transaction(async (tx) => {
    const known = await tx
      .select({ kid: nodeKeys.kid })
      .from(nodeKeys)
      .where(
        inArray(
          nodeKeys.kid,
          replacing.map((entry) => entry.key.kid),
        ),
      );
    if (known.length > 0) {
      throw new ApiError(
        'KEY_ALREADY_PUBLISHED',
        `key ${known[0]?.kid} was published before; rotate to a new key`,
      );
    }
    for (const { use, key } of replacing) {
      // The old keys' windows close at the end of the overlap (or earlier, if already closing).
      await tx
        .update(nodeKeys)
        .set({ validUntil: overlapEnds })
        .where(
          and(
            eq(nodeKeys.nodeId, member.nodeId),
            eq(nodeKeys.use, use),
            or(isNull(nodeKeys.validUntil), gt(nodeKeys.validUntil, overlapEnds)),
          ),
        );
      await tx
        .insert(nodeKeys)
        .values({ kid: key.kid, nodeId: member.nodeId, use, jwk: key, validFrom: now });
      await tx
        .update(members)
        .set(use === 'signing' ? { signingKey: key } : { encryptionKey: key })
        .where(eq(members.nodeId, member.nodeId));
    }
    await appendHubAudit(tx, {
      at: now,
      actor: `node:${member.nodeId}`,
      action: 'keys.rotate',
      subject: member.nodeId,
      detail: {
        signingKid: request.signingKey?.kid ?? null,
        encryptionKid: request.encryptionKey?.kid ?? null,
        overlapEnds: overlapEnds.toISOString(),
      },
      requestId,
    });
    const config = await publishFederationConfig(tx, services, `keys.rotate ${member.nodeId}`, now);
    const keys = await tx.select().from(nodeKeys).where(eq(nodeKeys.nodeId, member.nodeId));
    const view = (use: 'signing' | 'encryption') =>
      keys
        .filter((key) => key.use === use && (key.validUntil === null || key.validUntil > now))
        .sort((a, b) => a.validFrom.getTime() - b.validFrom.getTime())
        .map((key) => ({
          kid: key.kid,
          validFrom: key.validFrom.toISOString(),
          ...(key.validUntil ? { validUntil: key.validUntil.toISOString() } : {}),
        }));
    return {
      signingKeys: view('signing'),
      encryptionKeys: view('encryption'),
      configVersion: config.version,
    };
  });
}
