import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, readConfig } from './config.ts';

describe('readConfig', () => {
  const schema = z.object({ PORT: z.coerce.number().int().max(65535), URL: z.url().optional() });

  it('parses and coerces valid values', () => {
    expect(readConfig(schema, { PORT: '8080' })).toEqual({ PORT: 8080 });
  });

  it('stops with a ConfigError naming every bad variable', () => {
    expect(() => readConfig(schema, { PORT: '99999', URL: 'nope' })).toThrow(ConfigError);
    expect(() => readConfig(schema, { PORT: '99999', URL: 'nope' })).toThrow(/PORT[\s\S]*URL/);
  });
});
