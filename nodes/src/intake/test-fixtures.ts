// Test fixture for intake: citizen reports, a test node per database (PGlite or PostgreSQL),
// and an app with the intake routes under chosen rate limits, clock and body limit — so that a
// test reaches a limit in a few requests and a client address can be set per request.
import { randomUUID } from 'node:crypto';
import { nodeRoutes, type PublicMissingReportInput, type PublicSightingInput } from '@khoj/contracts';
import { createServiceApp } from '@khoj/platform';
import { eq } from 'drizzle-orm';
import { inject } from 'vitest';
import { createDatabase, dropDatabase } from '../../../tests/infra/services.ts';
import { authorize } from '../access/authorize.ts';
import { intakeSubmissions } from '../db/schema/index.ts';
import type { NodeEnv } from '../env.ts';
import { createTestNode, type TestNode } from '../testing/test-node.ts';
import { type IntakeOptions, registerIntakeRoutes } from './intake.routes.ts';

export const missingReport: PublicMissingReportInput = {
  reporter: { name: 'Sabita Debnath', phone: '+91 90000 00000', relation: 'mother' },
  child: { name: 'Montu Debnath', aliases: ['Bappa'], sex: 'male', age: { years: 9 }, languages: ['bn'] },
  place: {
    country: 'IN',
    state: 'WB',
    district: 'Nadia',
    description: 'Ranaghat railway station',
    location: { lat: 23.18, lon: 88.57 },
  },
  lastSeenOn: '2025-10-30',
  description: 'Blue school uniform, carrying a red bag',
};

export const sighting: PublicSightingInput = {
  reporter: { name: 'Tapas Ghosh', phone: '+91 98300 00000' },
  child: { sex: 'female', age: { estimateMin: 6, estimateMax: 8 }, identifyingMarks: ['scar on chin'] },
  place: { country: 'IN', state: 'WB', district: 'Nadia', description: 'Platform 2' },
  seenOn: '2025-11-02',
  description: 'Alone and crying near the ticket counter',
};

// biome-ignore lint/suspicious/noExplicitAny: tests inspect response bodies field by field
export const body = async (response: Response | Promise<Response>): Promise<any> => (await response).json();

/** A test node on `database`, and how to remove it (with its PostgreSQL database). */
export async function nodeOn(database: 'pglite' | 'postgres') {
  const name = `intake_${randomUUID().slice(0, 8)}`;
  const url = database === 'postgres' ? await createDatabase(inject('postgresUrl'), name) : undefined;
  const node = await createTestNode('IN-WB', url);
  return {
    node,
    async cleanup() {
      await node.cleanup();
      if (url) await dropDatabase(inject('postgresUrl'), name);
    },
  };
}

/** The intake routes alone, behind the node's authorization, as a client at `address`. */
export function intakeApp(node: TestNode, options: IntakeOptions & { maxBodyBytes?: number } = {}) {
  const app = createServiceApp<NodeEnv>({
    service: 'intake test',
    maxBodyBytes: options.maxBodyBytes ?? 4 << 20,
  });
  app.use('*', authorize(node.services, nodeRoutes));
  registerIntakeRoutes(app, node.services, options);
  return (method: string, path: string, payload?: unknown, address = '203.0.113.7') =>
    app.request(
      path,
      {
        method,
        ...(payload === undefined
          ? {}
          : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) }),
      },
      // What @hono/node-server hands a request: the socket the client came in on.
      { incoming: { socket: { remoteAddress: address } } } as never,
    );
}

/** The case a reference number was given for. */
export async function caseIdOf(node: TestNode, reference: string): Promise<string> {
  const [row] = await node.services.db
    .select({ caseId: intakeSubmissions.caseId })
    .from(intakeSubmissions)
    .where(eq(intakeSubmissions.reference, reference));
  if (!row) throw new Error(`no submission ${reference}`);
  return row.caseId;
}
