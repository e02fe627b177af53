// The small contract pieces: a calendar date is a day PostgreSQL can store.
import { describe, expect, it } from 'vitest';
import { calendarDate } from './openapi-parts.ts';

describe('calendarDate', () => {
  it('takes the days from 0001-01-01 to 9999-12-31 and refuses year 0000, which no date column holds', () => {
    for (const day of ['0001-01-01', '1970-01-01', '2024-02-29', '9999-12-31']) {
      expect(calendarDate().safeParse(day).success, day).toBe(true);
    }
    for (const day of ['0000-01-01', '0000-02-29', '2026-02-29', '2026-1-1', '']) {
      expect(calendarDate().safeParse(day).success, day).toBe(false);
    }
  });
});
