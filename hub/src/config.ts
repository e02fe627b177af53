// The hub's configuration, read once from the environment.
import { readConfig } from '@khoj/platform';
import { z } from 'zod';

const HubEnv = z.object({
  KHOJ_HUB_HOME: z.string().min(1, 'the hub home directory (made by `khoj federation init`)'),
  KHOJ_HUB_HOST: z.string().default('127.0.0.1'),
  KHOJ_HUB_PORT: z.coerce.number().int().min(0).max(65535).default(8443),
  DATABASE_URL: z.url().optional(),
  /** Longest long-poll a node may ask for, seconds. */
  KHOJ_HUB_MAX_WAIT_SECONDS: z.coerce.number().int().min(0).max(60).default(25),
});

export type HubConfig = {
  home: string;
  host: string;
  port: number;
  databaseUrl: string | undefined;
  maxWaitSeconds: number;
};

export function readHubConfig(env: NodeJS.ProcessEnv = process.env): HubConfig {
  const parsed = readConfig(HubEnv, env);
  return {
    home: parsed.KHOJ_HUB_HOME,
    host: parsed.KHOJ_HUB_HOST,
    port: parsed.KHOJ_HUB_PORT,
    databaseUrl: parsed.DATABASE_URL,
    maxWaitSeconds: parsed.KHOJ_HUB_MAX_WAIT_SECONDS,
  };
}
