// The demo's officers: at each node a police station, an officer and an API token for them, so
// the demo (and whoever tries it) can call the node's API. The token is kept, 0600, in the
// node's home as `demo-token` and reused by later runs.

import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CLI_ACTOR, createToken, createUser, insertUnit, openNodeStore } from '@khoj/node';
import { writePrivateFile } from '@khoj/pki';
import { federationLayout } from '../federation/layout.ts';

const DEMO_STATIONS: Record<string, { name: string; country: string; state?: string; district?: string }> = {
  'IN-WB': { name: 'Sealdah Railway Police Station', country: 'IN', state: 'WB', district: 'Kolkata' },
  BD: { name: 'Benapole Port Police Station', country: 'BD', state: 'Khulna', district: 'Jashore' },
  NP: {
    name: 'Sindhupalchok District Police Office',
    country: 'NP',
    state: 'Bagmati',
    district: 'Sindhupalchok',
  },
};

export function demoTokenPath(home: string, nodeId: string): string {
  return join(federationLayout(home).node(nodeId).home, 'demo-token');
}

/** `databaseUrl`: the node's PostgreSQL, when it does not run on its embedded store. */
export async function ensureDemoAccount(home: string, nodeId: string, databaseUrl?: string): Promise<string> {
  const path = demoTokenPath(home, nodeId);
  if (existsSync(path)) return (await readFile(path, 'utf8')).trim();
  const station = DEMO_STATIONS[nodeId] ?? { name: `${nodeId} police`, country: nodeId.slice(0, 2) };
  const store = await openNodeStore(federationLayout(home).node(nodeId).home, databaseUrl);
  try {
    const unit = await insertUnit(store.db, {
      ...station,
      type: 'police_station',
      phones: [],
      emails: [],
      active: true,
    });
    const username = 'demo.officer';
    await createUser(
      store.db,
      {
        username,
        displayName: `Demo officer, ${station.name}`,
        role: 'police_officer',
        unitId: unit.id,
        password: randomBytes(24).toString('base64url'),
      },
      CLI_ACTOR,
    );
    const { token } = await createToken(
      store.db,
      {
        username,
        name: 'khoj demo',
        scopes: ['case.create', 'case.read', 'case.update', 'foreign.read'],
        expiresAt: new Date(Date.now() + 365 * 86_400_000),
      },
      CLI_ACTOR,
    );
    await writePrivateFile(path, `${token}\n`);
    return token;
  } finally {
    await store.close();
  }
}
