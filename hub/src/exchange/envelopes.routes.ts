// POST /v1/envelopes: accept a signed, encrypted envelope from a member for its recipients.
import type { OpenAPIHono } from '@hono/zod-openapi';
import { envelopeDigest, submitEnvelopeRoute } from '@khoj/contracts';
import { ApiError, currentTraceparent } from '@khoj/platform';
import type { HubEnv } from '../env.ts';
import type { HubServices } from '../services.ts';
import { findEnvelopeDigest, insertEnvelope } from './envelopes.store.ts';
import { checkOriginSignature, checkRouting, classifySubmission, signReceipt } from './submission.ts';

export function registerEnvelopeRoutes(app: OpenAPIHono<HubEnv>, services: HubServices): void {
  app.openapi(submitEnvelopeRoute, async (c) => {
    const envelope = c.req.valid('json');
    const caller = c.get('member');
    const activeMembers = new Set(
      (await services.members.list()).filter((m) => m.status === 'active').map((m) => m.nodeId),
    );
    checkRouting(envelope, caller.nodeId, (nodeId) => activeMembers.has(nodeId));
    await checkOriginSignature(envelope, caller.signingKey);

    const digest = envelopeDigest(envelope);
    const earlier = classifySubmission(digest, await findEnvelopeDigest(services.db, envelope.id));
    if (earlier.kind === 'retry') return c.json(earlier.receipt, 200);
    if (earlier.kind === 'conflict') {
      throw new ApiError(
        'ENVELOPE_CONFLICT',
        `envelope ${envelope.id} was already submitted with different content`,
      );
    }

    const receipt = await signReceipt(envelope, services.clock(), services.signingKey);
    if (!(await insertEnvelope(services.db, envelope, digest, receipt, currentTraceparent()))) {
      // A concurrent submission of the same id won the insert: answer as for a retry.
      const stored = classifySubmission(digest, await findEnvelopeDigest(services.db, envelope.id));
      if (stored.kind === 'retry') return c.json(stored.receipt, 200);
      throw new ApiError(
        'ENVELOPE_CONFLICT',
        `envelope ${envelope.id} was already submitted with different content`,
      );
    }
    services.inboxSignal.notify(envelope.recipients);
    return c.json(receipt, 201);
  });
}
