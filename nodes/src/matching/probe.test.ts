// matchProbe: a report the node does not hold, matched against the node's own reports of the
// other side with the engine's blocking and scoring — a found probe finds the local missing
// child, not the local found one, with its explanation; a minimal probe (phonetic keys only)
// still blocks on its keys; nothing about the probe is written.
import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { matchProfiles } from '../db/schema/index.ts';
import { phoneticNamesOf } from '../sharing/minimise.ts';
import { createTestNode, type TestNode } from '../testing/test-node.ts';
import { createMatcher } from './matcher.ts';
import { matchProbe, type ProbeProfile } from './probe.ts';
import type { MatchProfile } from './profile.ts';
import { matchThresholds } from './thresholds.ts';

describe('matching a probe the node does not hold', () => {
  let node: TestNode;
  let missingId: string;
  let police: string;

  beforeAll(async () => {
    node = await createTestNode('IN-WB');
    const station = await node.unit({ type: 'police_station' });
    police = (await node.user('police_officer', station.id)).token;
    const report = (kind: 'missing' | 'found', name: string) =>
      node.request(police, 'POST', '/v1/reports', {
        kind,
        child: { name, sex: 'female', age: { years: 12 }, languages: ['ne'] },
        place: { country: 'IN', state: 'WB', district: 'Kolkata' },
        eventDate: '2026-11-20',
        ...(kind === 'missing' ? { missing: { guardians: [] } } : { found: { foundBy: 'police' } }),
      });
    missingId = ((await (await report('missing', 'Sita Tamang')).json()) as { report: { caseId: string } })
      .report.caseId;
    await report('found', 'Sita Tamang');
    await report('missing', 'Rahul Debnath');
    const matcher = createMatcher({
      db: node.services.db,
      thresholds: matchThresholds(node.services.config),
    });
    await matcher.matchDue();
  });
  afterAll(() => node?.cleanup());

  const probe: MatchProfile = {
    id: 'NP/case_probe',
    side: 'found',
    sex: 'female',
    names: ['Sita Tamang'],
    guardianNames: [],
    age: { min: 11, max: 13, estimated: true },
    eventDate: '2026-11-25',
    place: { country: 'IN', state: 'WB', district: 'Kolkata' },
    languages: ['ne'],
    marks: [],
  };

  it('finds the local missing child for a found probe, best first, with the explanation', async () => {
    const before = (await node.services.db.select({ n: count() }).from(matchProfiles))[0]?.n;
    const candidates = await matchProbe(node.services, probe);
    expect(candidates[0]).toMatchObject({ caseId: missingId, band: expect.stringMatching(/alert|review/) });
    expect(candidates[0]?.explanation.map((step) => step.field)).toContain('name');
    // Only the other side: the local found report of the same name is not a candidate.
    expect(candidates.every((candidate) => candidate.caseId.startsWith('case_'))).toBe(true);
    expect(candidates.map((candidate) => candidate.caseId)).not.toContain(probe.id);
    const sides = await Promise.all(
      candidates.map(async (candidate) => {
        const response = await node.request(police, 'GET', `/v1/reports/${candidate.caseId}`);
        return ((await response.json()) as { kind: string }).kind;
      }),
    );
    expect(new Set(sides)).toEqual(new Set(['missing']));
    expect((await node.services.db.select({ n: count() }).from(matchProfiles))[0]?.n).toBe(before);
    expect(await matchProbe(node.services, probe, { limit: 1 })).toHaveLength(1);
  });

  it('blocks a minimal probe on its phonetic keys, scoring without names', async () => {
    const minimal: ProbeProfile = {
      ...probe,
      names: [],
      // Another state: only the name keys can bring a report of West Bengal.
      place: { country: 'IN', state: 'BR' },
      phoneticNames: phoneticNamesOf(['Sita Tamang']),
    };
    const candidates = await matchProbe(node.services, minimal);
    expect(candidates.map((candidate) => candidate.caseId)).toContain(missingId);
    const noKeys: ProbeProfile = { ...minimal, phoneticNames: [] };
    const withoutKeys = await matchProbe(node.services, noKeys);
    expect(withoutKeys.map((candidate) => candidate.caseId)).not.toContain(missingId);
  });
});
