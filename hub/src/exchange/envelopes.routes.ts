// POST /v1/envelopes: accept a signed, encrypted envelope from a member for its recipients.
// POST /v1/envelopes/batch: the same for several envelopes in one request, each answered on its
// own — a node's relay sends its outbox this way, so the per-request cost (TLS record, HTTP
// parsing, the member check, tracing) is paid once per batch instead of once per envelope.
// Checks (each refusal has its own code, is recorded, and stores nothing): origin = caller, the
// origin's signature, expiry, then routing by the federation policy (policy.ts). Accepted
// envelopes are stored with their deliveries and transparency-log entries by the group-commit
// ingest; a known id answers as a retry (same digest) or a reported conflict (409).
import type { OpenAPIHono } from '@hono/zod-openapi';
import {
  Envelope,
  type EnvelopeBatchResult,
  envelopeDigest,
  envelopeIdBelongsTo,
  type Receipt,
  statusForCode,
  submitEnvelopeBatchRoute,
  submitEnvelopeRoute,
} from '@khoj/contracts';
import { ApiError, currentTraceparent, errorLine } from '@khoj/platform';
import type { MemberRow } from '../db/schema/index.ts';
import type { HubEnv } from '../env.ts';
import type { HubServices } from '../services.ts';
import type { TrustSnapshot } from '../trust/trust-snapshot.ts';
import { findEnvelopeDigest } from './envelopes.store.ts';
import { policyView } from './policy.store.ts';
import { resolveRecipients } from './policy.ts';
import { recordConflict, recordRefusal } from './reports.store.ts';
import { checkExpiry, checkOriginSignature, classifySubmission, signReceipt } from './submission.ts';

/** Who submits, as the member check of the request found them. */
type Submitter = { member: MemberRow; trust: TrustSnapshot; requestId: string | null; now: Date };

export function registerEnvelopeRoutes(app: OpenAPIHono<HubEnv>, services: HubServices): void {
  app.openapi(submitEnvelopeRoute, async (c) => {
    const { status, receipt } = await submitEnvelope(
      services,
      submitterOf(c, services),
      c.req.valid('json'),
      currentTraceparent(),
    );
    return c.json(receipt, status);
  });

  app.openapi(submitEnvelopeBatchRoute, async (c) => {
    const submitter = submitterOf(c, services);
    // Started together, so the accepted ones join the same group-commit transaction. Each
    // submission reaches `ingest.store` without awaiting anything first, so they queue — and are
    // stored, and delivered — in the order given (per-case order within a batch is kept).
    const { envelopes, traceparents } = c.req.valid('json');
    const results = await Promise.all(
      envelopes.map((item, index) =>
        submitBatchItem(services, submitter, item, traceparents?.[index] ?? currentTraceparent()),
      ),
    );
    return c.json({ results, requestId: submitter.requestId ?? 'unknown' }, 200);
  });
}

function submitterOf(
  c: { get(key: 'member'): MemberRow; get(key: 'trust'): TrustSnapshot; get(key: 'requestId'): string },
  services: HubServices,
): Submitter {
  return {
    member: c.get('member'),
    trust: c.get('trust'),
    requestId: c.get('requestId') ?? null,
    now: services.clock(),
  };
}

/** One envelope of a batch: what a single submission would have answered, never a throw for a refusal. */
async function submitBatchItem(
  services: HubServices,
  submitter: Submitter,
  item: unknown,
  traceparent: string | undefined,
): Promise<EnvelopeBatchResult> {
  const parsed = Envelope.safeParse(item);
  const itemId = (item as { id?: unknown } | null)?.id;
  const envelopeId = typeof itemId === 'string' ? itemId : undefined;
  if (!parsed.success) {
    // The message a single submission gets from the validation hook (platform/src/http.ts).
    const message = parsed.error.issues
      .slice(0, 5)
      .map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`)
      .join('; ');
    return { envelopeId, status: 400, error: { code: 'VALIDATION_FAILED', message } };
  }
  try {
    const { status, receipt } = await submitEnvelope(services, submitter, parsed.data, traceparent);
    return { envelopeId: parsed.data.id, status, receipt };
  } catch (error) {
    if (!(error instanceof ApiError)) {
      // As a single submission's 500: logged here, the node retries it; the others keep their answers.
      services.log(
        `envelope ${parsed.data.id} of a batch (request ${submitter.requestId}) failed: ${errorLine(error)}`,
      );
      return {
        envelopeId: parsed.data.id,
        status: 500,
        error: { code: 'INTERNAL', message: 'internal error' },
      };
    }
    return {
      envelopeId: parsed.data.id,
      status: statusForCode(error.code),
      error: { code: error.code, message: error.message },
    };
  }
}

/**
 * Checks, stores and logs one envelope: 201 with a new receipt, 200 with the earlier receipt for
 * a retry; a refusal throws its ApiError (recorded first).
 */
async function submitEnvelope(
  services: HubServices,
  { member, trust, requestId, now }: Submitter,
  envelope: Envelope,
  /** Stored with the envelope, so the recipient continues this trace. */
  traceparent: string | undefined,
): Promise<{ status: 200 | 201; receipt: Receipt }> {
  const caller = member.nodeId;
  const digest = envelopeDigest(envelope);

  let recipients: string[];
  try {
    recipients = admit(envelope, member, trust, now);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    // A retry of an envelope accepted earlier gets its receipt, even if the policy has changed
    // or the envelope has expired since: the hub has it. Only its origin's retry: anyone else
    // offering the same bytes (a recipient replaying what it received) is refused.
    if (envelope.origin === caller && envelopeIdBelongsTo(envelope.id, caller, envelope.type)) {
      const earlier = classifySubmission(digest, await findEnvelopeDigest(services.db, envelope.id));
      if (earlier.kind === 'retry') return { status: 200, receipt: earlier.receipt };
    }
    await recordRefusal(services.db, {
      sender: caller,
      envelopeId: envelope.id,
      type: envelope.type,
      code: error.code,
      message: error.message,
      at: now,
      requestId,
    });
    throw error;
  }

  const receipt = signReceipt(envelope, digest, now, services.signingKey);
  const outcome = await services.ingest.store({
    envelope,
    digest,
    receipt,
    recipients,
    traceparent,
  });
  if (outcome === 'stored') {
    services.inboxSignal.notify(recipients);
    return { status: 201, receipt };
  }
  const earlier = classifySubmission(digest, await findEnvelopeDigest(services.db, envelope.id));
  if (earlier.kind === 'retry') return { status: 200, receipt: earlier.receipt };
  if (earlier.kind === 'conflict') {
    await recordConflict(services.db, {
      envelopeId: envelope.id,
      origin: envelope.origin,
      storedDigest: earlier.digest,
      offeredDigest: digest,
      at: now,
      requestId,
    });
  }
  throw new ApiError(
    'ENVELOPE_CONFLICT',
    `envelope ${envelope.id} was already submitted with different content`,
  );
}

/** Every check before storing; returns the nodes to deliver to. */
function admit(envelope: Envelope, caller: MemberRow, trust: TrustSnapshot, now: Date): string[] {
  if (envelope.origin !== caller.nodeId) {
    throw new ApiError(
      'ORIGIN_MISMATCH',
      `envelope origin ${envelope.origin} is not the calling node ${caller.nodeId}`,
    );
  }
  // Before anything else is read or stored under the id: an id the caller cannot own would let it
  // take another member's next envelope (its retraction) and have the rightful one refused.
  if (!envelopeIdBelongsTo(envelope.id, caller.nodeId, envelope.type)) {
    throw new ApiError(
      'ENVELOPE_ID_MISMATCH',
      `envelope id ${envelope.id} is not one of ${caller.nodeId}'s ids for ${envelope.type}`,
    );
  }
  const validKeys = trust.signingKeysAt(caller.nodeId, now);
  checkOriginSignature(envelope, validKeys.length > 0 ? validKeys : [caller.signingKey]);
  checkExpiry(envelope, now);
  return resolveRecipients(envelope, caller.nodeId, policyView(trust));
}
