// The sign-in limits through the node's HTTP API in-process: a client spraying usernames is
// refused, an attacker cannot lock an officer out, held, unknown and wrong answer alike and in
// the same time, and the counts hold across two API processes sharing PostgreSQL or Redis.
import { randomInt, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { count, like } from 'drizzle-orm';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDatabase, dropDatabase } from '../../../tests/infra/services.ts';
import { signInCounters } from '../db/schema/index.ts';
import { createTestNode, TEST_PASSWORD, type TestNode } from '../testing/test-node.ts';
import { createUser } from './accounts.ts';
import { DEFAULT_SIGN_IN_LIMITS, signInKeys } from './sign-in-limits.ts';

// biome-ignore lint/suspicious/noExplicitAny: tests inspect response bodies field by field
const json = (response: Response): Promise<any> => response.json();
const { perClient, perClientAtAccount, perAccount } = DEFAULT_SIGN_IN_LIMITS;
/** A client address of its own (counts in Redis outlive a test run, so never a fixed one). */
const anAddress = () => `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

describe.each(['pglite', 'postgres', 'redis'] as const)('sign-in limits with the counts in %s', (store) => {
  /** Two API processes of one node; on PGlite (one process at a time) the same one twice. */
  let nodes: [TestNode, TestNode];
  let databaseUrl: string | undefined;
  let unitId: string;

  beforeAll(async () => {
    databaseUrl =
      store === 'pglite'
        ? undefined
        : await createDatabase(inject('postgresUrl'), `node_sign_in_${randomUUID().slice(0, 8)}`);
    const options = store === 'redis' ? { redisUrl: inject('redisUrl') } : {};
    const first = await createTestNode('IN-WB', databaseUrl, options);
    nodes = [first, store === 'pglite' ? first : await createTestNode('IN-WB', databaseUrl, options)];
    unitId = (await first.unit({ type: 'police_station' })).id;
  });
  afterAll(async () => {
    await Promise.all([...new Set(nodes ?? [])].map((node) => node.cleanup()));
    if (databaseUrl) await dropDatabase(inject('postgresUrl'), new URL(databaseUrl).pathname.slice(1));
  });

  /** An officer with a name of their own (counts per account in Redis outlive a test run too). */
  async function officer(): Promise<string> {
    const username = `officer.${randomUUID().slice(0, 8)}`;
    await createUser(
      nodes[0].services.db,
      { username, displayName: username, role: 'police_officer', unitId, password: TEST_PASSWORD },
      'test',
    );
    return username;
  }

  let turn = 0;
  /** A sign-in from `client`, at the two processes in turn. */
  function signIn(client: string, username: string, password = TEST_PASSWORD, process = turn++ % 2) {
    return nodes[process === 0 ? 0 : 1].app.request(
      '/v1/auth/sign-in',
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password }),
      },
      // What @hono/node-server hands a request: the socket the client came in on.
      { incoming: { socket: { remoteAddress: client } } } as never,
    );
  }

  it(`refuses a client spraying usernames with 429 after ${perClient.limit} attempts, and no one else`, async () => {
    const sprayer = anAddress();
    const statuses = [];
    for (let i = 0; i < 25; i++) {
      statuses.push((await signIn(sprayer, `sprayed.${randomUUID().slice(0, 8)}`, 'Spring2026!')).status);
    }
    expect(statuses).toEqual([...Array(perClient.limit).fill(401), ...Array(25 - perClient.limit).fill(429)]);
    const refused = await signIn(sprayer, await officer());
    expect(refused.status).toBe(429);
    expect((await json(refused)).error.code).toBe('RATE_LIMITED');
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(perClient.windowSeconds);
    // An officer at another address is not affected.
    expect((await signIn(anAddress(), await officer())).status).toBe(200);
  });

  it('lets the officer at client B in while an attacker at client A hammers their username', async () => {
    const username = await officer();
    const attacker = anAddress();
    const answers = [];
    for (let i = 0; i < 30; i++) answers.push((await signIn(attacker, username, `guess ${i}`)).status);
    expect(answers.slice(0, perClient.limit)).toEqual(Array(perClient.limit).fill(401));
    expect(answers.slice(perClient.limit)).toEqual(Array(30 - perClient.limit).fill(429));
    // Not even the right password gets the attacker in now.
    expect((await signIn(attacker, username)).status).not.toBe(200);
    expect((await signIn(anAddress(), username)).status).toBe(200);
  });

  it('answers an unknown user, a wrong password and a held client with the same status and body', async () => {
    const username = await officer();
    const held = anAddress();
    for (let i = 0; i < perClientAtAccount.limit; i++) await signIn(held, username, `guess ${i}`);
    const answers = {
      unknown: await signIn(anAddress(), `nobody.${randomUUID().slice(0, 8)}`),
      wrong: await signIn(anAddress(), username, 'not the password at all'),
      // The right password, from the held client.
      held: await signIn(held, username),
    };
    for (const [what, response] of Object.entries(answers)) {
      expect(response.status, what).toBe(401);
      const { requestId, ...error } = (await json(response)).error;
      expect(requestId, what).toMatch(/^req_/);
      expect(error, what).toEqual({ code: 'UNAUTHENTICATED', message: 'wrong username or password' });
      expect(response.headers.get('set-cookie'), what).toBeNull();
      expect(response.headers.get('retry-after'), what).toBeNull();
    }
  });

  // Each case does the one password check (against a dummy hash when the user is unknown or the
  // client held): a held account once answered in ~10 ms, an unknown name after the hashing.
  // Timing does not depend on where the counts are kept: measured once, on the embedded store.
  it.runIf(store === 'pglite')('answers unknown, wrong and held in about the same time', async () => {
    const username = await officer();
    const held = anAddress();
    for (let i = 0; i < perClientAtAccount.limit; i++) await signIn(held, username, `guess ${i}`);
    const times = { unknown: [] as number[], wrong: [] as number[], held: [] as number[] };
    const timed = async (into: number[], answer: () => Response | Promise<Response>) => {
      const start = performance.now();
      expect((await answer()).status).toBe(401);
      into.push(performance.now() - start);
    };
    for (let i = 0; i < 10; i++) {
      await timed(times.unknown, () => signIn(anAddress(), `nobody.${randomUUID().slice(0, 8)}`));
      await timed(times.wrong, () => signIn(anAddress(), username, `wrong ${i}`));
      await timed(times.held, () => signIn(held, username));
    }
    const medians = Object.values(times).map(median);
    // Generous: the machine is busy; a missing hash makes the ratio ten or more.
    expect(Math.max(...medians) / Math.min(...medians), JSON.stringify(medians)).toBeLessThan(3);
  });

  it('holds an account guessed at from many clients for newcomers, not for clients it signed in from', async () => {
    const username = await officer();
    const familiar = anAddress();
    expect((await signIn(familiar, username)).status).toBe(200);
    const attackers = Array.from({ length: perAccount.limit / perClientAtAccount.limit }, anAddress);
    for (const attacker of attackers) {
      for (let i = 0; i < perClientAtAccount.limit; i++) {
        expect((await signIn(attacker, username, `guess ${i}`)).status).toBe(401);
      }
    }
    const newcomer = anAddress();
    expect((await signIn(newcomer, username)).status).toBe(401);
    expect((await signIn(familiar, username)).status).toBe(200);
  });

  it.skipIf(store === 'pglite')('keeps each count across the two processes', async () => {
    const username = await officer();
    const client = anAddress();
    for (let i = 0; i < perClientAtAccount.limit; i++) {
      expect((await signIn(client, username, `guess ${i}`, i % 2)).status).toBe(401);
    }
    // Held at both processes, though each saw fewer failures than the limit.
    expect((await signIn(client, username, TEST_PASSWORD, 0)).status).toBe(401);
    expect((await signIn(client, username, TEST_PASSWORD, 1)).status).toBe(401);
    expect((await signIn(anAddress(), username, TEST_PASSWORD, 1)).status).toBe(200);
    // The client's own count too: what is left of it, spread over both, then 429 at either.
    const left = perClient.limit - perClientAtAccount.limit - 2;
    for (let i = 0; i < left; i++) expect((await signIn(client, `nobody.${i}`, 'x', i % 2)).status).toBe(401);
    expect((await signIn(client, 'nobody', 'x', 0)).status).toBe(429);
    expect((await signIn(client, 'nobody', 'x', 1)).status).toBe(429);

    const inDatabase = async (key: string) =>
      (
        await nodes[0].services.db
          .select({ n: count() })
          .from(signInCounters)
          .where(like(signInCounters.key, key))
      )[0]?.n;
    const keys = signInKeys(client, username);
    if (store === 'redis') {
      // The counts are in Redis, not in the database.
      const redis = new Redis(inject('redisUrl'));
      try {
        expect(await redis.hget(`khoj:IN-WB:sign-in:${keys.clientAtAccount}`, 'hits')).toBe(
          String(perClientAtAccount.limit + 2),
        );
      } finally {
        redis.disconnect();
      }
      expect(await inDatabase(`%${client}%`)).toBe(0);
    } else {
      expect(await inDatabase(keys.clientAtAccount)).toBe(1);
    }
  });
});

describe('sign-in limits when Redis is unreachable', () => {
  let node: TestNode;
  beforeAll(async () => {
    // Nothing listens on port 1: every Redis command fails at once.
    node = await createTestNode('IN-WB', undefined, { redisUrl: 'redis://127.0.0.1:1' });
  });
  afterAll(() => node?.cleanup());

  it('keeps the counts in the database, and still lets officers in', async () => {
    const unitId = (await node.unit({ type: 'police_station' })).id;
    const { username } = await node.user('police_officer', unitId);
    const client = anAddress();
    const signIn = (password: string, from = client) =>
      node.app.request(
        '/v1/auth/sign-in',
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username, password }),
        },
        { incoming: { socket: { remoteAddress: from } } } as never,
      );
    for (let i = 0; i < perClientAtAccount.limit; i++) expect((await signIn(`guess ${i}`)).status).toBe(401);
    expect((await signIn(TEST_PASSWORD)).status).toBe(401);
    expect((await signIn(TEST_PASSWORD, anAddress())).status).toBe(200);
  });
});
