// Limits on sign-in attempts that neither spraying passwords nor locking officers out can get
// past. Three counts, each in a fixed window, all in a store shared by the node's API processes:
//
// - per client address: attempts that did not succeed. Over the limit the client is refused with
//   429 and Retry-After before anything is looked up (that says nothing about any account).
// - per client at an account: attempts that did not succeed. Over the limit that client's
//   passwords for that account are no longer checked until the window ends — it is answered as
//   for a wrong password. Other clients, the account's officer among them, are not affected.
// - per account, from all clients: attempts that did not succeed. Over the limit (guesses from
//   many addresses) only clients the account signed in from lately are checked; the others are
//   answered as for a wrong password. A stranger can hold the account for newcomers, never lock
//   it for the clients its officer uses.
//
// Every count is taken before the password is checked, so a burst of parallel guesses cannot
// all pass one reading of it; a success gives its hits back. Names that exist and names that do
// not are counted alike, so the counts reveal nothing either.
//
// The client is the TCP peer, as for the public routes (intake/rate-limit.ts `clientAddress`):
// X-Forwarded-For is believed only from the TLS terminators named in KHOJ_TRUSTED_PROXIES,
// since anyone can write it.
import { createHash } from 'node:crypto';
import type { SignInCounters, WindowCount } from './sign-in-counters.store.ts';

export type SignInLimit = { limit: number; windowSeconds: number };

export type SignInLimits = {
  perClient: SignInLimit;
  perClientAtAccount: SignInLimit;
  perAccount: SignInLimit;
  /** Days a client the account signed in from keeps being checked when the account is held. */
  familiarDays: number;
};

export const DEFAULT_SIGN_IN_LIMITS: SignInLimits = {
  // Enough for an office behind one address whose officers mistype; not for spraying.
  perClient: { limit: 20, windowSeconds: 15 * 60 },
  perClientAtAccount: { limit: 5, windowSeconds: 15 * 60 },
  perAccount: { limit: 20, windowSeconds: 15 * 60 },
  familiarDays: 30,
};

/**
 * What to do with an attempt: refuse the client (429), answer as for a wrong password without
 * checking (`held`), or check the password — `holdsNext` when a failure now holds the client off
 * the account.
 */
export type Admission =
  | { kind: 'refused'; retryAfterSeconds: number }
  | { kind: 'held' }
  | { kind: 'check'; holdsNext: boolean };

export type SignInGate = {
  admit(client: string, username: string, now: Date): Promise<Admission>;
  /** After a right password: the attempt's hits back, and the client familiar to the account. */
  succeeded(client: string, username: string, now: Date): Promise<void>;
};

/** Store keys. Usernames are digested: the store need not hold what someone typed as one. */
export function signInKeys(client: string, username: string) {
  const account = createHash('sha256').update(username).digest('base64url').slice(0, 22);
  return {
    client: `client:${client}`,
    clientAtAccount: `client-account:${client}:${account}`,
    account: `account:${account}`,
    familiar: `familiar:${account}:${client}`,
  };
}

export function createSignInGate(counters: SignInCounters, limits: SignInLimits): SignInGate {
  const windowMs = (limit: SignInLimit) => limit.windowSeconds * 1000;
  const take = (key: string, limit: SignInLimit, now: Date): Promise<WindowCount> =>
    counters.add(key, 1, windowMs(limit), now);
  return {
    async admit(client, username, now) {
      const keys = signInKeys(client, username);
      const fromClient = await take(keys.client, limits.perClient, now);
      if (fromClient.count > limits.perClient.limit) {
        const seconds = Math.ceil((fromClient.resetsAt.getTime() - now.getTime()) / 1000);
        return { kind: 'refused', retryAfterSeconds: Math.max(1, seconds) };
      }
      const atAccount = await take(keys.clientAtAccount, limits.perClientAtAccount, now);
      if (atAccount.count > limits.perClientAtAccount.limit) return { kind: 'held' };
      const toAccount = await take(keys.account, limits.perAccount, now);
      if (toAccount.count > limits.perAccount.limit && !(await counters.read(keys.familiar, now))) {
        return { kind: 'held' };
      }
      return { kind: 'check', holdsNext: atAccount.count === limits.perClientAtAccount.limit };
    },
    async succeeded(client, username, now) {
      const keys = signInKeys(client, username);
      await Promise.all([
        counters.add(keys.client, -1, windowMs(limits.perClient), now),
        counters.clear(keys.clientAtAccount),
        counters.add(keys.account, -1, windowMs(limits.perAccount), now),
        counters.mark(keys.familiar, limits.familiarDays * 86_400_000, now),
      ]);
    },
  };
}
