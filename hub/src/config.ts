// The hub's configuration, read once from the environment.
import { readConfig } from '@khoj/platform';
import { z } from 'zod';

const Flag = z.enum(['true', 'false', '1', '0']).transform((value) => value === 'true' || value === '1');

const HubEnv = z.object({
  KHOJ_HUB_HOME: z.string().min(1, 'the hub home directory (made by `khoj federation init`)'),
  KHOJ_HUB_HOST: z.string().default('127.0.0.1'),
  KHOJ_HUB_PORT: z.coerce.number().int().min(0).max(65535).default(8443),
  /**
   * The server-authenticated listener (no client certificate): enrolment, CRL, configuration.
   * Default: the next port after KHOJ_HUB_PORT (any free port when that is 0).
   */
  KHOJ_HUB_PUBLIC_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  DATABASE_URL: z.url().optional(),
  /** Longest long-poll a node may ask for, seconds. */
  KHOJ_HUB_MAX_WAIT_SECONDS: z.coerce.number().int().min(0).max(60).default(25),
  /** Two different administrators must approve each enrolment. */
  KHOJ_HUB_DUAL_CONTROL: Flag.default(false),
  /** Lifetime of node certificates, days. */
  KHOJ_HUB_CERTIFICATE_DAYS: z.coerce.number().int().min(1).max(825).default(90),
  /** Lifetime of each signed federation configuration, hours (re-signed at half of it). */
  KHOJ_HUB_CONFIG_TTL_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 7)
    .default(24),
  /** Seconds between expiry sweeps (dead letters) and transparency checkpoints. */
  KHOJ_HUB_SWEEP_SECONDS: z.coerce.number().int().min(1).max(3600).default(10),
  /** Certificates ending within this many days are listed in the health answer. */
  KHOJ_HUB_EXPIRY_WARNING_DAYS: z.coerce.number().int().min(1).max(365).default(14),
});

export type TrustSettings = {
  dualControl: boolean;
  /** days */
  certificateDays: number;
  /** hours */
  configTtlHours: number;
  /** days */
  expiryWarningDays: number;
};

export const DEFAULT_TRUST_SETTINGS: TrustSettings = {
  dualControl: false,
  certificateDays: 90,
  configTtlHours: 24,
  expiryWarningDays: 14,
};

export type HubConfig = {
  home: string;
  host: string;
  port: number;
  /** Absent: the public listener is not started (tests that need only mutual TLS). */
  publicPort?: number;
  databaseUrl: string | undefined;
  maxWaitSeconds: number;
  /** Between expiry sweeps and checkpoints; default 10 s. */
  sweepIntervalMs?: number;
  /** Absent fields take DEFAULT_TRUST_SETTINGS. */
  trust?: Partial<TrustSettings>;
};

export function readHubConfig(env: NodeJS.ProcessEnv = process.env): HubConfig {
  const parsed = readConfig(HubEnv, env);
  return {
    home: parsed.KHOJ_HUB_HOME,
    host: parsed.KHOJ_HUB_HOST,
    port: parsed.KHOJ_HUB_PORT,
    publicPort: parsed.KHOJ_HUB_PUBLIC_PORT ?? (parsed.KHOJ_HUB_PORT === 0 ? 0 : parsed.KHOJ_HUB_PORT + 1),
    databaseUrl: parsed.DATABASE_URL,
    maxWaitSeconds: parsed.KHOJ_HUB_MAX_WAIT_SECONDS,
    sweepIntervalMs: parsed.KHOJ_HUB_SWEEP_SECONDS * 1000,
    trust: {
      dualControl: parsed.KHOJ_HUB_DUAL_CONTROL,
      certificateDays: parsed.KHOJ_HUB_CERTIFICATE_DAYS,
      configTtlHours: parsed.KHOJ_HUB_CONFIG_TTL_HOURS,
      expiryWarningDays: parsed.KHOJ_HUB_EXPIRY_WARNING_DAYS,
    },
  };
}
