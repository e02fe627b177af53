// Configuration is read once from the environment and validated; a bad value stops the process
// with a message naming the variable.
import type { z } from 'zod';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function readConfig<T extends z.ZodType>(schema: T, env: NodeJS.ProcessEnv = process.env): z.infer<T> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
  throw new ConfigError(`invalid configuration:\n${problems.join('\n')}`);
}
