// Signing in and out, sessions with their CSRF token, holding a client off an account, and API tokens (expiry,
// revocation, scopes), through the node's HTTP API in-process, on PGlite and on PostgreSQL.
import { randomInt, randomUUID } from 'node:crypto';
import type { ReportInput } from '@khoj/contracts';
import { and, asc, count, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDatabase, dropDatabase } from '../../../tests/infra/services.ts';
import { apiTokens, auditLog, cases } from '../db/schema/index.ts';
import { createTestNode, TEST_PASSWORD, type TestNode } from '../testing/test-node.ts';
import { createToken, disableUser, revokeToken, SESSION_HOURS } from './accounts.ts';
import { permissionsOf } from './permissions.ts';
import { DEFAULT_SIGN_IN_LIMITS } from './sign-in-limits.ts';

const missingChild: ReportInput = {
  kind: 'missing',
  child: { name: 'Montu Debnath', sex: 'male', age: { years: 9 }, languages: ['bn'] },
  place: { country: 'IN', state: 'WB', district: 'Nadia' },
  eventDate: '2026-10-30',
  missing: {
    firNumber: 'RNG/311/2026',
    guardians: [{ name: 'Sabita Debnath', relation: 'mother', phones: ['+91 94340 00000'] }],
  },
};

// biome-ignore lint/suspicious/noExplicitAny: tests inspect response bodies field by field
const json = (response: Response): Promise<any> => response.json();
const MINUTE = 60_000;
const HOLD_AFTER = DEFAULT_SIGN_IN_LIMITS.perClientAtAccount.limit;
const HOLD_MINUTES = DEFAULT_SIGN_IN_LIMITS.perClientAtAccount.windowSeconds / 60;
/** A client address of its own: sign-in attempts are counted per address. */
const anAddress = () => `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;

describe.each(['pglite', 'postgres'] as const)('sign-in, sessions and API tokens on %s', (database) => {
  let node: TestNode;
  let databaseUrl: string | undefined;
  let unitId: string;
  let realClock: () => Date;

  beforeAll(async () => {
    databaseUrl =
      database === 'postgres'
        ? await createDatabase(inject('postgresUrl'), `node_access_${randomUUID().slice(0, 8)}`)
        : undefined;
    node = await createTestNode('IN-WB', databaseUrl);
    realClock = node.services.clock;
    unitId = (await node.unit({ type: 'police_station' })).id;
  });
  afterEach(() => {
    node.services.clock = realClock;
  });
  afterAll(async () => {
    await node?.cleanup();
    if (databaseUrl) await dropDatabase(inject('postgresUrl'), new URL(databaseUrl).pathname.slice(1));
  });

  /** Pins the node's clock; returns a setter to move it. */
  function pinClock(start: Date) {
    let now = start;
    node.services.clock = () => now;
    return (at: Date) => {
      now = at;
    };
  }

  const signIn = (username: string, password = TEST_PASSWORD, client = anAddress()) =>
    node.app.request(
      '/v1/auth/sign-in',
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password }),
      },
      // What @hono/node-server hands a request: the socket the client came in on.
      { incoming: { socket: { remoteAddress: client } } } as never,
    );

  /** The Cookie header a browser would send back after `response`. */
  function cookieFrom(response: Response): string {
    const secret = response.headers.get('set-cookie')?.match(/khoj_session=([^;]+)/)?.[1];
    if (!secret) throw new Error(`no session cookie (status ${response.status})`);
    return `khoj_session=${secret}`;
  }

  /** Signs in and returns the cookie header to send back and the session's CSRF token. */
  async function session(username: string) {
    const response = await signIn(username);
    expect(response.status).toBe(200);
    return { cookie: cookieFrom(response), csrfToken: (await json(response)).csrfToken as string };
  }

  const withCookie = (
    cookie: string,
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) => node.request(undefined, method, path, body, { cookie, ...headers });

  const caseCount = async () => (await node.services.db.select({ n: count() }).from(cases))[0]?.n;

  it('signs in with an HttpOnly, Secure, SameSite=Strict cookie and returns a CSRF token', async () => {
    const { user, username } = await node.user('police_officer', unitId);
    const response = await signIn(username);
    expect(response.status).toBe(200);
    const setCookie = response.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^khoj_session=[\w-]{40,};/);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('Secure');
    expect(setCookie).toContain('SameSite=Strict');
    expect(setCookie).toContain('Path=/');
    const body = await json(response);
    expect(body.user).toEqual({
      userId: user.id,
      username,
      displayName: username,
      role: 'police_officer',
      unitId,
    });
    expect(body.csrfToken).toMatch(/^[\w-]{40,}$/);
    // The CSRF token is not the session secret.
    expect(setCookie).not.toContain(body.csrfToken);
    expect(new Date(body.expiresAt).getTime()).toBeGreaterThan(Date.now());
  });

  it('answers /v1/auth/me for the session cookie, and 401 for an unknown cookie or none', async () => {
    const { user, username } = await node.user('cci_staff', unitId);
    const { cookie } = await session(username);
    const me = await withCookie(cookie, 'GET', '/v1/auth/me');
    expect(me.status).toBe(200);
    expect(await json(me)).toMatchObject({ userId: user.id, username, role: 'cci_staff', unitId });
    const forged = await withCookie('khoj_session=not-a-session', 'GET', '/v1/auth/me');
    expect(forged.status).toBe(401);
    expect((await json(forged)).error.code).toBe('UNAUTHENTICATED');
    const anonymous = await node.request(undefined, 'GET', '/v1/auth/me');
    expect(anonymous.status).toBe(401);
  });

  it('refuses a cookie-authenticated change without the right x-csrf-token, and stores nothing', async () => {
    const { username } = await node.user('police_officer', unitId);
    const { cookie, csrfToken } = await session(username);
    const other = await session(username);
    const before = await caseCount();
    for (const headers of [
      {} as Record<string, string>,
      { 'x-csrf-token': 'wrong' },
      { 'x-csrf-token': '' },
      // A token of another session of the same user is not this session's.
      { 'x-csrf-token': other.csrfToken },
    ]) {
      const response = await withCookie(cookie, 'POST', '/v1/reports', missingChild, headers);
      expect(response.status, JSON.stringify(headers)).toBe(403);
      expect((await json(response)).error.code).toBe('CSRF_TOKEN_INVALID');
    }
    expect(await caseCount()).toBe(before);
    const accepted = await withCookie(cookie, 'POST', '/v1/reports', missingChild, {
      'x-csrf-token': csrfToken,
    });
    expect(accepted.status).toBe(201);
    expect(await caseCount()).toBe((before ?? 0) + 1);
  });

  it('answers a wrong password exactly as an unknown user, with 401', async () => {
    const { username } = await node.user('police_officer', unitId);
    const wrongPassword = await signIn(username, 'not the password at all');
    const unknownUser = await signIn(`nobody.${randomUUID().slice(0, 8)}`);
    expect(wrongPassword.status).toBe(401);
    expect(unknownUser.status).toBe(401);
    const { requestId: _a, ...wrong } = (await json(wrongPassword)).error;
    const { requestId: _b, ...unknown } = (await json(unknownUser)).error;
    expect(wrong).toEqual({ code: 'UNAUTHENTICATED', message: 'wrong username or password' });
    expect(unknown).toEqual(wrong);
    expect(wrongPassword.headers.get('set-cookie')).toBeNull();
  });

  it(`after ${HOLD_AFTER} failures from one client, answers its attempts at the account as wrong passwords for ${HOLD_MINUTES} minutes`, async () => {
    const { user, username } = await node.user('police_officer', unitId);
    const attacker = anAddress();
    const start = new Date();
    const setClock = pinClock(start);
    const failures = [];
    for (let attempt = 1; attempt <= HOLD_AFTER; attempt++) {
      failures.push(await signIn(username, `guess number ${attempt}`, attacker));
    }
    // The right password from the held client: the same answer as a wrong one, and no session.
    const held = await signIn(username, TEST_PASSWORD, attacker);
    for (const response of [...failures, held]) {
      expect(response.status).toBe(401);
      expect((await json(response)).error.code).toBe('UNAUTHENTICATED');
    }
    expect(held.headers.get('set-cookie')).toBeNull();
    // The account is not locked: its officer at another address signs in.
    expect((await signIn(username, TEST_PASSWORD, anAddress())).status).toBe(200);

    setClock(new Date(start.getTime() + HOLD_MINUTES * MINUTE - 1));
    expect((await signIn(username, TEST_PASSWORD, attacker)).status).toBe(401);
    setClock(new Date(start.getTime() + HOLD_MINUTES * MINUTE));
    // The count starts again: one more failure does not hold the client again.
    expect((await signIn(username, 'one more guess', attacker)).status).toBe(401);
    expect((await signIn(username, TEST_PASSWORD, attacker)).status).toBe(200);

    const entries = async () =>
      node.services.db
        .select({ action: auditLog.action, reason: auditLog.reason, at: auditLog.at })
        .from(auditLog)
        .where(and(eq(auditLog.recordType, 'user'), eq(auditLog.recordId, user.id)))
        .orderBy(asc(auditLog.seq));
    // Held attempts are not checked, so not recorded one by one. Failures are recorded off the
    // answer's path, hence the polling.
    await expect
      .poll(async () => (await entries()).map((entry) => entry.action))
      .toEqual([
        'user.create',
        ...Array(HOLD_AFTER - 1).fill('auth.sign_in_failed'),
        'auth.sign_in_held',
        'auth.sign_in',
        'auth.sign_in_failed',
        'auth.sign_in',
      ]);
    const recorded = await entries();
    expect(recorded[1]?.reason).toBe(`from ${attacker}`);
    expect(recorded.at(-1)?.at.getTime()).toBe(start.getTime() + HOLD_MINUTES * MINUTE);
  });

  it('resets the failure count on a successful sign-in', async () => {
    const { username } = await node.user('police_officer', unitId);
    const client = anAddress();
    for (let round = 0; round < 2; round++) {
      for (let attempt = 1; attempt < HOLD_AFTER; attempt++) {
        expect((await signIn(username, `guess ${round}.${attempt}`, client)).status).toBe(401);
      }
      expect((await signIn(username, TEST_PASSWORD, client)).status).toBe(200);
    }
  });

  // Attempts are counted before the password is checked: guesses sent in parallel used to all read
  // the same count, and the lock never engaged.
  it('counts attempts sent in parallel, so that a burst of guesses holds the client off', async () => {
    const { user, username } = await node.user('police_officer', unitId);
    const client = anAddress();
    const guesses = await Promise.all(
      Array.from({ length: HOLD_AFTER * 2 }, (_, i) => signIn(username, `parallel guess ${i}`, client)),
    );
    expect(guesses.map((response) => response.status)).toEqual(Array(HOLD_AFTER * 2).fill(401));
    expect((await signIn(username, TEST_PASSWORD, client)).status).toBe(401);
    // Only the attempts within the limit had their password checked.
    const checked = async () =>
      (
        await node.services.db
          .select({ n: count() })
          .from(auditLog)
          .where(and(eq(auditLog.recordId, user.id), eq(auditLog.actorId, user.id)))
      )[0]?.n;
    await expect.poll(checked).toBe(HOLD_AFTER);
    // …and no more arrive.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await checked()).toBe(HOLD_AFTER);
  });

  it('ends the session on sign-out (which needs the CSRF token too)', async () => {
    const { username } = await node.user('dcpu_officer', unitId);
    const { cookie, csrfToken } = await session(username);
    const withoutCsrf = await withCookie(cookie, 'POST', '/v1/auth/sign-out');
    expect(withoutCsrf.status).toBe(403);
    expect((await withCookie(cookie, 'GET', '/v1/auth/me')).status).toBe(200);

    const signOut = await withCookie(cookie, 'POST', '/v1/auth/sign-out', undefined, {
      'x-csrf-token': csrfToken,
    });
    expect(signOut.status).toBe(204);
    expect(signOut.headers.get('set-cookie')).toMatch(/khoj_session=;.*Max-Age=0/);
    const after = await withCookie(cookie, 'GET', '/v1/auth/me');
    expect(after.status).toBe(401);
    expect((await json(after)).error.code).toBe('UNAUTHENTICATED');
  });

  it(`ends a session after its hours, by the node's clock`, async () => {
    const { username } = await node.user('cwc_member', unitId);
    const start = new Date();
    const setClock = pinClock(start);
    const response = await signIn(username);
    const cookie = cookieFrom(response);
    const { expiresAt } = await json(response);
    expect(new Date(expiresAt).getTime()).toBe(start.getTime() + SESSION_HOURS * 3_600_000);
    setClock(new Date(new Date(expiresAt).getTime() - 1));
    expect((await withCookie(cookie, 'GET', '/v1/auth/me')).status).toBe(200);
    setClock(new Date(expiresAt));
    expect((await withCookie(cookie, 'GET', '/v1/auth/me')).status).toBe(401);
  });

  it("stops a disabled user's token and session, and their sign-in reads like an unknown user", async () => {
    const { username, token } = await node.user('police_officer', unitId);
    const { cookie } = await session(username);
    expect((await node.request(token, 'GET', '/v1/auth/me')).status).toBe(200);
    expect((await withCookie(cookie, 'GET', '/v1/auth/me')).status).toBe(200);

    await disableUser(node.services.db, username, 'test', 'transferred out of the district');
    for (const response of [
      await node.request(token, 'GET', '/v1/reports'),
      await withCookie(cookie, 'GET', '/v1/auth/me'),
      await signIn(username),
    ]) {
      expect(response.status).toBe(401);
      expect((await json(response)).error.code).toBe('UNAUTHENTICATED');
    }
    expect((await json(await signIn(username))).error.message).toBe('wrong username or password');
  });

  it('refuses an expired token with 401 saying so', async () => {
    const expiresAt = new Date(Date.now() + 3_600_000);
    const { token } = await node.user('police_officer', unitId, { expiresAt });
    const setClock = pinClock(new Date(expiresAt.getTime() - 1));
    expect((await node.request(token, 'GET', '/v1/reports')).status).toBe(200);
    setClock(expiresAt);
    const expired = await node.request(token, 'GET', '/v1/reports');
    expect(expired.status).toBe(401);
    const { error } = await json(expired);
    expect(error.code).toBe('UNAUTHENTICATED');
    expect(error.message).toContain('expired');
  });

  it('refuses a revoked token with 401, and a token without the khoj_ prefix', async () => {
    const { token, tokenId } = await node.user('police_officer', unitId);
    expect((await node.request(token, 'GET', '/v1/reports')).status).toBe(200);
    expect((await node.request(token.slice('khoj_'.length), 'GET', '/v1/reports')).status).toBe(401);
    await revokeToken(node.services.db, tokenId, 'test');
    const revoked = await node.request(token, 'GET', '/v1/reports');
    expect(revoked.status).toBe(401);
    expect((await json(revoked)).error.code).toBe('UNAUTHENTICATED');
  });

  it("refuses with 403 a route whose action the token's scopes omit, though the role has it", async () => {
    const { username, token } = await node.user('police_officer', unitId, {
      scopes: permissionsOf('police_officer').filter((action) => action !== 'case.create'),
    });
    const before = await caseCount();
    const refused = await node.request(token, 'POST', '/v1/reports', missingChild);
    expect(refused.status).toBe(403);
    expect((await json(refused)).error.code).toBe('FORBIDDEN');
    expect(await caseCount()).toBe(before);
    expect((await node.request(token, 'GET', '/v1/reports')).status).toBe(200);

    // The same user with a token that keeps case.create may register.
    const full = await createToken(
      node.services.db,
      { username, name: 'full', scopes: ['case.create'], expiresAt: new Date(Date.now() + 3_600_000) },
      'test',
    );
    expect((await node.request(full.token, 'POST', '/v1/reports', missingChild)).status).toBe(201);
  });

  it("refuses to issue a token with scopes beyond the user's role", async () => {
    const { username, user } = await node.user('police_officer', unitId);
    const tokensOf = async () =>
      (await node.services.db.select({ n: count() }).from(apiTokens).where(eq(apiTokens.userId, user.id)))[0]
        ?.n;
    const before = await tokensOf();
    const expiresAt = new Date(Date.now() + 3_600_000);
    await expect(
      createToken(
        node.services.db,
        { username, name: 'wide', scopes: ['case.read', 'unit.manage'], expiresAt },
        'test',
      ),
    ).rejects.toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('unit.manage') });
    await expect(
      createToken(node.services.db, { username, name: 'wide', scopes: ['audit.read'], expiresAt }, 'test'),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(await tokensOf()).toBe(before);
  });
});
