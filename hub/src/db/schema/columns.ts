// Column helpers shared by the hub's tables.
import { timestamp } from 'drizzle-orm/pg-core';

/** A point in time, always with its zone. */
export const instant = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
