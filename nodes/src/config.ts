// The node's configuration, read once from the environment.
import { isIP } from 'node:net';
import { readConfig } from '@khoj/platform';
import { z } from 'zod';

/**
 * The node API speaks plain HTTP (session cookies, bearer tokens): it must not be reachable
 * from other machines except through a TLS terminator in front of it.
 */
const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;

const NodeEnv = z.object({
  KHOJ_NODE_HOME: z.string().min(1, 'the node home directory (made by `khoj node create`)'),
  KHOJ_NODE_HOST: z
    .string()
    .regex(
      LOOPBACK,
      'must be a loopback address: the node API has no TLS of its own (put a TLS terminator in front)',
    )
    .default('127.0.0.1'),
  KHOJ_NODE_PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  /** Overrides the hub URL in node.json. */
  KHOJ_HUB_URL: z.url().optional(),
  DATABASE_URL: z.url().optional(),
  REDIS_URL: z.url().optional(),
  /** Seconds the inbox long-poll waits at the hub. */
  KHOJ_INBOX_WAIT_SECONDS: z.coerce.number().int().min(0).max(30).default(20),
  /**
   * Seconds between fetches of the signed federation configuration (members, keys, revocations).
   * At most 30: a revocation must reach every node within one refresh.
   */
  KHOJ_FEDERATION_CONFIG_REFRESH_SECONDS: z.coerce.number().int().min(1).max(30).default(15),
  /** Seconds between checks of the node's TLS certificate (renewal at two thirds of its lifetime). */
  KHOJ_CERTIFICATE_CHECK_SECONDS: z.coerce.number().int().min(1).max(86_400).default(3600),
  /** Match probability (0..1) from which a pair is proposed to officers; default: the engine's. */
  KHOJ_MATCH_REVIEW: z.coerce.number().min(0).max(1).optional(),
  /** Match probability (0..1) from which a candidate is flagged as an alert. */
  KHOJ_MATCH_ALERT: z.coerce.number().min(0).max(1).optional(),
  /** Hours an authorised officer has to decide an incoming detail request before it escalates. */
  KHOJ_DETAIL_DEADLINE_HOURS: z.coerce.number().int().min(1).max(720).default(72),
  /** Days a hit handle given to an asking node can be named in a detail request before it is forgotten. */
  KHOJ_HIT_HANDLE_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  /** Seconds between fetches of the hub's dead-letter notices for this node's envelopes. */
  KHOJ_DEAD_LETTER_POLL_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
  /**
   * Addresses of the TLS terminators in front of the node, comma-separated: only from these is
   * `X-Forwarded-For` believed when per-client limits (sign-in, citizen reports) name the client.
   */
  KHOJ_TRUSTED_PROXIES: z
    .string()
    .default('')
    .transform((value) =>
      value
        .split(',')
        .map((entry) => entry.trim())
        .filter(Boolean),
    )
    .refine(
      (entries) => entries.every((entry) => isIP(entry) !== 0),
      'a comma-separated list of IP addresses',
    ),
});

export type NodeConfig = {
  home: string;
  host: string;
  port: number;
  hubUrl: string | undefined;
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  inboxWaitSeconds: number;
  /** @deprecated the federation configuration replaced the directory; see federationConfigRefreshSeconds. */
  directoryRefreshSeconds?: number;
  /** seconds; default 15 */
  federationConfigRefreshSeconds?: number;
  /** seconds; default 3600 */
  certificateCheckSeconds?: number;
  /** Absent: the matching engine's DEFAULT_THRESHOLDS. */
  matchReviewThreshold?: number | undefined;
  matchAlertThreshold?: number | undefined;
  /** hours; default 72 */
  detailDeadlineHours?: number;
  /** days; default 30 */
  hitHandleDays?: number;
  /** seconds; default 60 */
  deadLetterPollSeconds?: number;
  /** Addresses whose X-Forwarded-For names the client (intake/rate-limit.ts); default none. */
  trustedProxies?: string[];
};

export function readNodeConfig(env: NodeJS.ProcessEnv = process.env): NodeConfig {
  const parsed = readConfig(NodeEnv, env);
  return {
    home: parsed.KHOJ_NODE_HOME,
    host: parsed.KHOJ_NODE_HOST,
    port: parsed.KHOJ_NODE_PORT,
    hubUrl: parsed.KHOJ_HUB_URL,
    databaseUrl: parsed.DATABASE_URL,
    redisUrl: parsed.REDIS_URL,
    inboxWaitSeconds: parsed.KHOJ_INBOX_WAIT_SECONDS,
    federationConfigRefreshSeconds: parsed.KHOJ_FEDERATION_CONFIG_REFRESH_SECONDS,
    certificateCheckSeconds: parsed.KHOJ_CERTIFICATE_CHECK_SECONDS,
    matchReviewThreshold: parsed.KHOJ_MATCH_REVIEW,
    matchAlertThreshold: parsed.KHOJ_MATCH_ALERT,
    detailDeadlineHours: parsed.KHOJ_DETAIL_DEADLINE_HOURS,
    hitHandleDays: parsed.KHOJ_HIT_HANDLE_DAYS,
    deadLetterPollSeconds: parsed.KHOJ_DEAD_LETTER_POLL_SECONDS,
    trustedProxies: parsed.KHOJ_TRUSTED_PROXIES,
  };
}
