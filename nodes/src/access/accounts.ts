// Users, sessions and API tokens in the database: creating and disabling users, signing in
// behind the sign-in limits (sign-in-limits.ts), issuing and revoking tokens, and turning a presented secret into an Actor.
import { ApiError, type Database, errorLine, newId } from '@khoj/platform';
import { and, eq, gt, isNull } from 'drizzle-orm';
import { appendAudit } from '../audit/audit.store.ts';
import type * as schema from '../db/schema/index.ts';
import { apiTokens, sessions, type UnitRow, type UserRow, units, users } from '../db/schema/index.ts';
import { hashPassword, MIN_PASSWORD_LENGTH, verifyPassword } from './passwords.ts';
import { type Action, type Actor, mayAttempt, type Role } from './permissions.ts';
import { digestSecret, newSecret } from './secrets.ts';
import type { SignInGate } from './sign-in-limits.ts';

type NodeDb = Database<typeof schema>;

export const SESSION_HOURS = 12;

export function toActor(user: UserRow, unit: UnitRow, tokenScopes?: Action[]): Actor {
  return {
    userId: user.id,
    username: user.username,
    displayName: user.displayName,
    role: user.role,
    unitId: unit.id,
    unit: { country: unit.country, state: unit.state, district: unit.district },
    ...(tokenScopes ? { tokenScopes } : {}),
  };
}

export async function createUser(
  db: NodeDb,
  input: { username: string; displayName: string; role: Role; unitId: string; password: string },
  by: string,
): Promise<UserRow> {
  if (input.password.length < MIN_PASSWORD_LENGTH) {
    throw new ApiError(
      'VALIDATION_FAILED',
      `the password must have at least ${MIN_PASSWORD_LENGTH} characters`,
    );
  }
  if (!/^[a-z0-9._-]{3,64}$/.test(input.username)) {
    throw new ApiError(
      'VALIDATION_FAILED',
      'a username is 3–64 lowercase letters, digits, dots, dashes or underscores',
    );
  }
  const [unit] = await db.select().from(units).where(eq(units.id, input.unitId));
  if (!unit) throw new ApiError('UNIT_NOT_FOUND', `no unit ${input.unitId}`);
  const passwordHash = await hashPassword(input.password);
  return db.transaction(async (tx) => {
    const [taken] = await tx.select({ id: users.id }).from(users).where(eq(users.username, input.username));
    if (taken) throw new ApiError('VALIDATION_FAILED', `the username ${input.username} is taken`);
    const [user] = await tx
      .insert(users)
      .values({
        id: newId('user'),
        username: input.username,
        displayName: input.displayName,
        role: input.role,
        unitId: unit.id,
        passwordHash,
      })
      .returning();
    if (!user) throw new Error('insert returned no row');
    await appendAudit(tx, {
      actorId: by,
      action: 'user.create',
      recordType: 'user',
      recordId: user.id,
      reason: `role ${input.role}`,
    });
    return user;
  });
}

export async function disableUser(db: NodeDb, username: string, by: string, reason: string): Promise<void> {
  await db.transaction(async (tx) => {
    const [user] = await tx
      .update(users)
      .set({ disabledAt: new Date() })
      .where(eq(users.username, username))
      .returning();
    if (!user) throw new ApiError('NOT_FOUND', `no user ${username}`);
    await tx.delete(sessions).where(eq(sessions.userId, user.id));
    await appendAudit(tx, {
      actorId: by,
      action: 'user.disable',
      recordType: 'user',
      recordId: user.id,
      reason,
    });
  });
}

export type SignInResult =
  | { ok: true; actor: Actor; user: UserRow; secret: string; csrfToken: string; expiresAt: Date }
  /** The client is over its limit: refused before anything about the account is looked at. */
  | { ok: false; code: 'RATE_LIMITED'; retryAfterSeconds: number }
  /** An unknown or disabled user, a wrong password, or a client held off the account: one answer. */
  | { ok: false; code: 'UNAUTHENTICATED' };

/**
 * Every attempt past the client's limit costs one password check, against the user's hash or a
 * dummy one, so that unknown, wrong and held answer in the same time.
 */
export async function signIn(
  db: NodeDb,
  gate: SignInGate,
  attempt: { username: string; password: string; client: string },
  now: Date,
  log: (message: string) => void,
): Promise<SignInResult> {
  const { username, password, client } = attempt;
  const admission = await gate.admit(client, username, now);
  if (admission.kind === 'refused') {
    return { ok: false, code: 'RATE_LIMITED', retryAfterSeconds: admission.retryAfterSeconds };
  }
  const [row] = await db
    .select()
    .from(users)
    .innerJoin(units, eq(units.id, users.unitId))
    .where(eq(users.username, username));
  const active = row && !row.users.disabledAt ? row : undefined;
  const checked = admission.kind === 'check' && active !== undefined;
  const rightPassword = await verifyPassword(password, checked ? active.users.passwordHash : DUMMY_HASH);
  if (!checked) return { ok: false, code: 'UNAUTHENTICATED' };
  const user = active.users;
  if (!rightPassword) {
    // Recorded off the answer's path: waiting for the write would make a wrong password answer
    // later than an unknown name. The failure changes nothing else, so nothing waits on it.
    appendAudit(db, {
      at: now,
      actorId: user.id,
      unitId: user.unitId,
      // `held`: this client's next attempts at the account go unchecked until its window ends.
      action: admission.holdsNext ? 'auth.sign_in_held' : 'auth.sign_in_failed',
      recordType: 'user',
      recordId: user.id,
      reason: `from ${client}`,
    }).catch((error: unknown) => log(`sign-in: audit of a failure not written: ${errorLine(error)}`));
    return { ok: false, code: 'UNAUTHENTICATED' };
  }
  await gate.succeeded(client, username, now);
  const secret = newSecret();
  const csrfToken = newSecret();
  const expiresAt = new Date(now.getTime() + SESSION_HOURS * 3600_000);
  await db.transaction(async (tx) => {
    await tx
      .insert(sessions)
      .values({ secretDigest: digestSecret(secret), userId: user.id, csrfToken, expiresAt, createdAt: now });
    await appendAudit(tx, {
      at: now,
      actorId: user.id,
      unitId: user.unitId,
      action: 'auth.sign_in',
      recordType: 'user',
      recordId: user.id,
      reason: `from ${client}`,
    });
  });
  return { ok: true, actor: toActor(user, active.units), user, secret, csrfToken, expiresAt };
}

export async function signOut(db: NodeDb, secret: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.secretDigest, digestSecret(secret)));
}

/** The actor behind a session cookie, with the CSRF token its unsafe requests must carry. */
export async function actorForSession(db: NodeDb, secret: string, now: Date) {
  const [row] = await db
    .select()
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .innerJoin(units, eq(units.id, users.unitId))
    .where(
      and(
        eq(sessions.secretDigest, digestSecret(secret)),
        gt(sessions.expiresAt, now),
        isNull(users.disabledAt),
      ),
    );
  return row
    ? { actor: toActor(row.users, row.units), user: row.users, csrfToken: row.sessions.csrfToken }
    : undefined;
}

export const TOKEN_PREFIX = 'khoj_';

export async function createToken(
  db: NodeDb,
  input: { username: string; name: string; scopes: Action[]; expiresAt: Date },
  by: string,
): Promise<{ id: string; token: string }> {
  const [row] = await db
    .select()
    .from(users)
    .innerJoin(units, eq(units.id, users.unitId))
    .where(eq(users.username, input.username));
  if (!row) throw new ApiError('NOT_FOUND', `no user ${input.username}`);
  const actor = toActor(row.users, row.units);
  const beyond = input.scopes.filter((scope) => !mayAttempt(actor, scope));
  if (beyond.length)
    throw new ApiError('FORBIDDEN', `${input.username} (${actor.role}) may not: ${beyond.join(', ')}`);
  const secret = newSecret();
  const id = newId('tok');
  await db.transaction(async (tx) => {
    await tx.insert(apiTokens).values({
      id,
      secretDigest: digestSecret(secret),
      name: input.name,
      userId: row.users.id,
      scopes: input.scopes,
      expiresAt: input.expiresAt,
    });
    await appendAudit(tx, {
      actorId: by,
      action: 'token.create',
      recordType: 'api_token',
      recordId: id,
      reason: input.scopes.join(' '),
    });
  });
  return { id, token: `${TOKEN_PREFIX}${secret}` };
}

export async function revokeToken(db: NodeDb, id: string, by: string): Promise<void> {
  await db.transaction(async (tx) => {
    const [token] = await tx
      .update(apiTokens)
      .set({ revokedAt: new Date() })
      .where(eq(apiTokens.id, id))
      .returning();
    if (!token) throw new ApiError('NOT_FOUND', `no token ${id}`);
    await appendAudit(tx, { actorId: by, action: 'token.revoke', recordType: 'api_token', recordId: id });
  });
}

/** The actor behind an API token, or why there is none. */
export async function actorForToken(
  db: NodeDb,
  token: string,
  now: Date,
): Promise<Actor | 'expired' | undefined> {
  if (!token.startsWith(TOKEN_PREFIX)) return undefined;
  const [row] = await db
    .select()
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .innerJoin(units, eq(units.id, users.unitId))
    .where(eq(apiTokens.secretDigest, digestSecret(token.slice(TOKEN_PREFIX.length))));
  if (!row || row.api_tokens.revokedAt || row.users.disabledAt) return undefined;
  if (row.api_tokens.expiresAt <= now) return 'expired';
  return toActor(row.users, row.units, row.api_tokens.scopes);
}

/** A valid hash of a random password: what an unknown username is checked against. */
const DUMMY_HASH = await hashPassword(newSecret());
