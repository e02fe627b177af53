// The node's HTTP contract (its officers' and integrations' API). Until sign-in exists the node
// listens on loopback only. The node service registers exactly these routes; the committed
// OpenAPI document (openapi/node.json) is emitted from them.
import { createRoute, z } from '@hono/zod-openapi';
import { CaseKind, CaseSummary, ChildDescription, Place } from './case-summary.ts';
import { ConsentScope, FieldsTier, Purpose } from './consent.ts';
import { errorResponses } from './errors.ts';
import { Health } from './hub-api.ts';
import { CaseId, EnvelopeId, NodeId } from './ids.ts';

const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

export const nodeHealthRoute = createRoute({
  method: 'get',
  path: '/healthz',
  operationId: 'nodeHealth',
  responses: { 200: json(Health, 'The node is serving') },
});

/** The consent as an officer gives it; the node stamps grantedAt. */
export const ConsentInput = ConsentScope.omit({ grantedAt: true }).openapi('ConsentInput');

export const ReportInput = z
  .object({
    kind: CaseKind,
    child: ChildDescription,
    place: Place,
    eventDate: z.iso.date(),
    /** Absent: the report stays at this node. */
    consent: ConsentInput.optional(),
  })
  .openapi('ReportInput');
export type ReportInput = z.infer<typeof ReportInput>;

export const Report = z
  .object({
    caseId: CaseId,
    kind: CaseKind,
    version: z.number().int(),
    child: ChildDescription,
    place: Place,
    eventDate: z.iso.date(),
    consent: ConsentScope.nullable(),
    createdAt: z.iso.datetime({ offset: true }),
  })
  .openapi('Report');
export type Report = z.infer<typeof Report>;

export const Publication = z
  .object({ envelopeId: EnvelopeId, recipients: z.array(NodeId) })
  .openapi('Publication');

export const CreatedReport = z
  .object({ report: Report, publication: Publication.nullable() })
  .openapi('CreatedReport');
export type CreatedReport = z.infer<typeof CreatedReport>;

export const createReportRoute = createRoute({
  method: 'post',
  path: '/v1/reports',
  operationId: 'createReport',
  summary: 'Register a missing or found child; publish it when its consent allows',
  request: { body: { required: true, content: { 'application/json': { schema: ReportInput } } } },
  responses: { 201: json(CreatedReport, 'Stored (and queued for the hub)'), ...errorResponses(400, 413) },
});

export const getReportRoute = createRoute({
  method: 'get',
  path: '/v1/reports/{caseId}',
  operationId: 'getReport',
  request: { params: z.object({ caseId: CaseId }) },
  responses: { 200: json(Report, 'The report'), ...errorResponses(400, 404) },
});

export const ForeignSummary = z
  .object({
    envelopeId: EnvelopeId,
    origin: NodeId,
    purposes: z.array(Purpose),
    fields: FieldsTier,
    receivedAt: z.iso.datetime({ offset: true }),
    summary: CaseSummary,
  })
  .openapi('ForeignSummary');
export type ForeignSummary = z.infer<typeof ForeignSummary>;

export const foreignSummariesRoute = createRoute({
  method: 'get',
  path: '/v1/foreign-summaries',
  operationId: 'listForeignSummaries',
  summary: 'Case summaries received from other nodes',
  request: { query: z.object({ origin: NodeId.optional() }) },
  responses: {
    200: json(
      z.object({ summaries: z.array(ForeignSummary) }).openapi('ForeignSummaryList'),
      'Received summaries',
    ),
    ...errorResponses(400),
  },
});

export const ExchangeStatus = z
  .object({
    outbox: z.object({ pending: z.number().int(), sent: z.number().int(), rejected: z.number().int() }),
    inbox: z.object({ received: z.number().int(), rejected: z.number().int() }),
  })
  .openapi('ExchangeStatus');
export type ExchangeStatus = z.infer<typeof ExchangeStatus>;

export const exchangeStatusRoute = createRoute({
  method: 'get',
  path: '/v1/exchange/status',
  operationId: 'exchangeStatus',
  summary: 'Outbox and inbox counters',
  responses: { 200: json(ExchangeStatus, 'Counters') },
});

export const nodeRoutes = [
  nodeHealthRoute,
  createReportRoute,
  getReportRoute,
  foreignSummariesRoute,
  exchangeStatusRoute,
] as const;
