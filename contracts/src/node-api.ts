// The node's HTTP contract (its officers' and integrations' API): health, the exchange views,
// and the route groups of the other files. The node service registers exactly these routes; the
// committed OpenAPI document (openapi/node.json) is emitted from them.
import { createRoute, z } from '@hono/zod-openapi';
import { accessRoutes, PERMISSION_KEY } from './access-api.ts';
import { CaseSummary } from './case-summary.ts';
import { caseRoutes } from './cases-api.ts';
import { FieldsTier, Purpose } from './consent.ts';
import { crossBorderRoutes } from './cross-border-api.ts';
import { directoryRoutes } from './directory-api.ts';
import { errorResponses } from './errors.ts';
import { exchangeRefusalRoutes } from './exchange-api.ts';
import { Health } from './hub-api.ts';
import { EnvelopeId, NodeId } from './ids.ts';
import { intakeRoutes } from './intake-api.ts';
import { matchingRoutes } from './matching-api.ts';
import { jsonResponse } from './openapi-parts.ts';
import { photoRoutes } from './photos-api.ts';
import { queryRoutes } from './queries-api.ts';
import { sharingRoutes } from './sharing-api.ts';
import { statisticsRoutes } from './stats-api.ts';

export const nodeHealthRoute = createRoute({
  method: 'get',
  path: '/healthz',
  operationId: 'nodeHealth',
  [PERMISSION_KEY]: 'public',
  responses: { 200: jsonResponse(Health, 'The node is serving') },
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
  [PERMISSION_KEY]: 'foreign.read',
  summary:
    'Case summaries received from other nodes whose place is within your reach (your district or state; the whole node for police and AHTU)',
  request: { query: z.object({ origin: NodeId.optional() }) },
  responses: {
    200: jsonResponse(
      z.object({ summaries: z.array(ForeignSummary) }).openapi('ForeignSummaryList'),
      'Received summaries',
    ),
    ...errorResponses(400, 401, 403),
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
  [PERMISSION_KEY]: 'signed-in',
  summary: 'Outbox and inbox counters',
  responses: { 200: jsonResponse(ExchangeStatus, 'Counters') },
});

export const nodeRoutes = [
  nodeHealthRoute,
  ...accessRoutes,
  ...caseRoutes,
  ...directoryRoutes,
  ...intakeRoutes,
  ...photoRoutes,
  ...statisticsRoutes,
  ...matchingRoutes,
  ...queryRoutes,
  ...sharingRoutes,
  ...crossBorderRoutes,
  foreignSummariesRoute,
  exchangeStatusRoute,
  ...exchangeRefusalRoutes,
] as const;
