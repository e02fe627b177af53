import { ConfigError } from '@khoj/platform';
import { describe, expect, it } from 'vitest';
import { readNodeConfig } from './config.ts';

describe('node configuration', () => {
  it('defaults to loopback and the embedded stores', () => {
    const config = readNodeConfig({ KHOJ_NODE_HOME: '/tmp/x' });
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 8080,
      databaseUrl: undefined,
      redisUrl: undefined,
    });
  });

  it('refuses to listen beyond loopback (plain HTTP), naming the variable', () => {
    expect(() => readNodeConfig({ KHOJ_NODE_HOME: '/tmp/x', KHOJ_NODE_HOST: '0.0.0.0' })).toThrow(
      /KHOJ_NODE_HOST/,
    );
    expect(() => readNodeConfig({ KHOJ_NODE_HOME: '/tmp/x', KHOJ_NODE_HOST: '0.0.0.0' })).toThrow(
      ConfigError,
    );
  });

  it('names a missing or malformed variable', () => {
    expect(() => readNodeConfig({})).toThrow(/KHOJ_NODE_HOME/);
    expect(() => readNodeConfig({ KHOJ_NODE_HOME: '/x', REDIS_URL: 'not a url' })).toThrow(/REDIS_URL/);
  });
});
