import { describe, expect, it } from 'vitest';
import { newId } from './ids.ts';

describe('prefixed ids', () => {
  it('carry their prefix, are unique, and sort by creation time', async () => {
    const first = newId('case');
    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = newId('case');
    expect(first).toMatch(/^case_[0-9a-z]{26}$/);
    expect(second > first).toBe(true);
    expect(new Set(Array.from({ length: 1000 }, () => newId('env'))).size).toBe(1000);
  });
});
