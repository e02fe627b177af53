// The node's federation configuration client. It fetches the hub's signed configuration
// (conditional GET: If-None-Match with the version held), verifies it against the trust anchor
// this node was given at enrolment, refuses a tampered, wrongly signed, expired or older document
// (each logged with its own code), keeps the last valid one in the database and works on it while
// the hub is unreachable, until it expires. Envelope verification asks it which of an origin's
// keys were valid when the envelope was signed.
import {
  type Envelope,
  type FederationConfig,
  FederationConfigError,
  type FederationConfigErrorCode,
  type PublicJwk,
  type TrustAnchor,
  verifyFederationConfig,
} from '@khoj/contracts';
import type { Database } from '@khoj/platform';
import type * as schema from '../db/schema/index.ts';
import type { HubClient } from '../exchange/hub-client.ts';
import { EnvelopeRejected } from '../exchange/seal.ts';
import { adoptConfig, loadHeldConfig } from './federation-config.store.ts';
import { originSigningKeys } from './origin-keys.ts';

/** Codes the client logs, beyond the verification codes of the configuration itself. */
export type ConfigRefreshCode =
  | FederationConfigErrorCode
  | 'ERR_CONFIG_NO_ANCHOR'
  | 'ERR_CONFIG_UNREACHABLE'
  | 'ERR_CONFIG_VERSION_CONFLICT';

export type ConfigRefresh =
  | { outcome: 'adopted'; version: number; previous: number | undefined }
  | { outcome: 'unchanged'; version: number }
  | { outcome: 'refused' | 'unreachable'; code: ConfigRefreshCode; message: string };

/** No usable configuration (none yet, or the held one expired): envelopes wait, they are not refused. */
export class FederationConfigUnavailable extends Error {
  readonly code = 'ERR_CONFIG_UNAVAILABLE';
  constructor(message: string) {
    super(message);
    this.name = 'FederationConfigUnavailable';
  }
}

/** A refresh caused by an unknown origin or key happens at most this often, ms. */
const ON_DEMAND_REFRESH_MS = 2_000;

export type FederationTrust = ReturnType<typeof createFederationTrust>;

export function createFederationTrust(options: {
  db: Database<typeof schema>;
  hub: Pick<HubClient, 'GET'>;
  /** Absent: the node was made before anchors existed; every refresh says so. */
  anchor: TrustAnchor | undefined;
  nodeId: string;
  clock: () => Date;
  log: (message: string) => void;
}) {
  const { db, hub, anchor, clock, log } = options;
  let held: { config: FederationConfig; jws: string } | undefined;
  let loading: Promise<void> | undefined;
  let lastLogged: string | undefined;
  let lastOnDemand = 0;
  let expiryLogged: number | undefined;

  /** Reads the stored document once, checking its signature again (it may have been altered at rest). */
  function ensureLoaded(): Promise<void> {
    loading ??= (async () => {
      const row = await loadHeldConfig(db);
      if (!row || !anchor) return;
      try {
        // Checked at its own issue time: an expired document still sets the floor for rollback.
        const config = verifyFederationConfig(row.jws, anchor.configSigningKey, { now: row.issuedAt });
        held = { config, jws: row.jws };
      } catch (error) {
        if (!(error instanceof FederationConfigError)) throw error;
        log(
          `federation configuration: the stored version ${row.version} is not trusted: ${error.code} ${error.message}`,
        );
      }
    })().catch((error: unknown) => {
      loading = undefined; // a database hiccup: read again next time
      throw error;
    });
    return loading;
  }

  function report(result: ConfigRefresh): ConfigRefresh {
    if (result.outcome === 'adopted') {
      lastLogged = undefined;
      log(
        `federation configuration version ${result.version} adopted${result.previous ? ` (was ${result.previous})` : ''}`,
      );
    } else if (result.outcome !== 'unchanged') {
      // The same failure every few seconds says nothing new: log when it changes.
      const line = `${result.code} ${result.message}`;
      if (line !== lastLogged) {
        const keeping = held ? `; keeping version ${held.config.version} until ${held.config.expiresAt}` : '';
        log(`federation configuration ${result.outcome}: ${line}${keeping}`);
      }
      lastLogged = line;
    } else lastLogged = undefined;
    return result;
  }

  async function refresh(): Promise<ConfigRefresh> {
    await ensureLoaded();
    if (!anchor) {
      return report({
        outcome: 'refused',
        code: 'ERR_CONFIG_NO_ANCHOR',
        message:
          'this node has no trust anchor (trust/anchor.json); enrol it with `khoj node enrol --anchor`',
      });
    }
    let response: Response;
    let body: unknown;
    try {
      const answer = await hub.GET('/v1/federation-config', {
        params: { header: held ? { 'if-none-match': `"${held.config.version}"` } : {} },
        parseAs: 'text',
      });
      response = answer.response;
      body = answer.data ?? answer.error;
    } catch (error) {
      return report({
        outcome: 'unreachable',
        code: 'ERR_CONFIG_UNREACHABLE',
        message: error instanceof Error ? error.message : String(error),
      });
    }
    if (response.status === 304 && held)
      return report({ outcome: 'unchanged', version: held.config.version });
    if (response.status !== 200 || typeof body !== 'string') {
      return report({
        outcome: 'unreachable',
        code: 'ERR_CONFIG_UNREACHABLE',
        message: `the hub answered ${response.status}`,
      });
    }
    return consider(body.trim());
  }

  /** Verifies a document from the hub and adopts it if it is newer than the one held. */
  async function consider(jws: string): Promise<ConfigRefresh> {
    if (!anchor) throw new Error('consider() needs a trust anchor');
    const previous = held?.config.version;
    let config: FederationConfig;
    try {
      config = verifyFederationConfig(jws, anchor.configSigningKey, {
        now: clock(),
        ...(previous !== undefined ? { minVersion: previous } : {}),
      });
    } catch (error) {
      if (!(error instanceof FederationConfigError)) throw error;
      return report({ outcome: 'refused', code: error.code, message: error.message });
    }
    if (held && config.version === previous) {
      if (jws === held.jws) return report({ outcome: 'unchanged', version: config.version });
      // The hub never signs two documents with one version; two differing ones mean a fault or a fork.
      return report({
        outcome: 'refused',
        code: 'ERR_CONFIG_VERSION_CONFLICT',
        message: `a different document with version ${config.version}, which is already held`,
      });
    }
    const now = clock();
    if (!(await adoptConfig(db, { jws, config }, now))) {
      // Another process of this node stored a newer version meanwhile: take that one.
      loading = undefined;
      held = undefined;
      await ensureLoaded();
      const stored = held as { config: FederationConfig } | undefined;
      return report({ outcome: 'unchanged', version: stored?.config.version ?? config.version });
    }
    held = { config, jws };
    expiryLogged = undefined;
    const self = config.members.find((member) => member.nodeId === options.nodeId);
    if (self?.status === 'revoked') {
      log(`federation configuration version ${config.version}: this node (${options.nodeId}) is revoked`);
    }
    return report({ outcome: 'adopted', version: config.version, previous });
  }

  /** The held configuration while it is unexpired. */
  async function current(): Promise<FederationConfig | undefined> {
    await ensureLoaded();
    if (!held) return undefined;
    if (Date.parse(held.config.expiresAt) <= clock().getTime()) {
      if (expiryLogged !== held.config.version) {
        expiryLogged = held.config.version;
        log(
          `federation configuration: ERR_CONFIG_EXPIRED version ${held.config.version} expired at ${held.config.expiresAt}; envelopes wait until a newer one arrives`,
        );
      }
      return undefined;
    }
    return held.config;
  }

  async function refreshOnDemand(): Promise<void> {
    if (Date.now() - lastOnDemand < ON_DEMAND_REFRESH_MS) return;
    lastOnDemand = Date.now();
    await refresh();
  }

  return {
    anchor,
    refresh,
    current,
    /** The version held (expired or not): what later documents may not go below. */
    async heldVersion(): Promise<number | undefined> {
      await ensureLoaded();
      return held?.config.version;
    },
    /**
     * The origin's signing keys valid at the envelope's signing time. Throws EnvelopeRejected
     * (the envelope can never be applied) or FederationConfigUnavailable (try again later). An
     * unknown origin or key causes one refresh first: the member may have joined or rotated since.
     */
    async originSigningKeys(envelope: Envelope): Promise<PublicJwk[]> {
      let config = await current();
      if (!config) {
        await refreshOnDemand();
        config = await current();
      }
      if (!config) {
        throw new FederationConfigUnavailable(
          'no unexpired federation configuration is held; the envelope waits at the hub',
        );
      }
      try {
        return originSigningKeys(config, envelope, clock());
      } catch (error) {
        const unknown =
          error instanceof EnvelopeRejected &&
          (error.code === 'ERR_ORIGIN_UNKNOWN' || error.code === 'ERR_SIGNATURE_INVALID');
        if (!unknown) throw error;
        await refreshOnDemand();
        const again = await current();
        if (!again || again.version === config.version) throw error;
        return originSigningKeys(again, envelope, clock());
      }
    },
  };
}
