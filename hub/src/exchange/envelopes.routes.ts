// POST /v1/envelopes: accept a signed, encrypted envelope from a member for its recipients.
// Checks (each refusal has its own code, is recorded, and stores nothing): origin = caller, the
// origin's signature, expiry, then routing by the federation policy (policy.ts). Accepted
// envelopes are stored with their deliveries and transparency-log entries by the group-commit
// ingest; a known id answers as a retry (same digest) or a reported conflict (409).
import type { OpenAPIHono } from '@hono/zod-openapi';
import { type Envelope, envelopeDigest, submitEnvelopeRoute } from '@khoj/contracts';
import { ApiError, currentTraceparent } from '@khoj/platform';
import type { Context } from 'hono';
import type { MemberRow } from '../db/schema/index.ts';
import type { HubEnv } from '../env.ts';
import type { HubServices } from '../services.ts';
import type { TrustSnapshot } from '../trust/trust-snapshot.ts';
import { findEnvelopeDigest } from './envelopes.store.ts';
import { policyView } from './policy.store.ts';
import { resolveRecipients } from './policy.ts';
import { recordConflict, recordRefusal } from './reports.store.ts';
import { checkExpiry, checkOriginSignature, classifySubmission, signReceipt } from './submission.ts';

export function registerEnvelopeRoutes(app: OpenAPIHono<HubEnv>, services: HubServices): void {
  app.openapi(submitEnvelopeRoute, async (c) => {
    const envelope = c.req.valid('json');
    const member = c.get('member');
    const caller = member.nodeId;
    const now = services.clock();
    const digest = envelopeDigest(envelope);

    let recipients: string[];
    try {
      recipients = admit(envelope, member, c.get('trust'), now);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      // A retry of an envelope accepted earlier gets its receipt, even if the policy has changed
      // or the envelope has expired since: the hub has it.
      const earlier = classifySubmission(digest, await findEnvelopeDigest(services.db, envelope.id));
      if (earlier.kind === 'retry') return c.json(earlier.receipt, 200);
      await recordRefusal(services.db, {
        sender: caller,
        envelopeId: envelope.id,
        type: envelope.type,
        code: error.code,
        message: error.message,
        at: now,
        requestId: c.get('requestId') ?? null,
      });
      throw error;
    }

    const receipt = signReceipt(envelope, digest, now, services.signingKey);
    const outcome = await services.ingest.store({
      envelope,
      digest,
      receipt,
      recipients,
      traceparent: currentTraceparent(),
    });
    if (outcome === 'stored') {
      services.inboxSignal.notify(recipients);
      return c.json(receipt, 201);
    }
    const earlier = classifySubmission(digest, await findEnvelopeDigest(services.db, envelope.id));
    if (earlier.kind === 'retry') return c.json(earlier.receipt, 200);
    if (earlier.kind === 'conflict') await reportConflict(c, services, envelope, earlier.digest, digest, now);
    throw new ApiError(
      'ENVELOPE_CONFLICT',
      `envelope ${envelope.id} was already submitted with different content`,
    );
  });
}

/** Every check before storing; returns the nodes to deliver to. */
function admit(envelope: Envelope, caller: MemberRow, trust: TrustSnapshot, now: Date): string[] {
  if (envelope.origin !== caller.nodeId) {
    throw new ApiError(
      'ORIGIN_MISMATCH',
      `envelope origin ${envelope.origin} is not the calling node ${caller.nodeId}`,
    );
  }
  const validKeys = trust.signingKeysAt(caller.nodeId, now);
  checkOriginSignature(envelope, validKeys.length > 0 ? validKeys : [caller.signingKey]);
  checkExpiry(envelope, now);
  return resolveRecipients(envelope, caller.nodeId, policyView(trust));
}

async function reportConflict(
  c: Context<HubEnv>,
  services: HubServices,
  envelope: Envelope,
  storedDigest: string,
  offeredDigest: string,
  at: Date,
) {
  await recordConflict(services.db, {
    envelopeId: envelope.id,
    origin: envelope.origin,
    storedDigest,
    offeredDigest,
    at,
    requestId: c.get('requestId') ?? null,
  });
}
