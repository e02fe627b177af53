// Column helpers shared by the hub's tables.
import { customType, timestamp } from 'drizzle-orm/pg-core';

/** A point in time, always with its zone. */
export const instant = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * A JSON document kept as the text it was written as (`text`, not `jsonb`): PostgreSQL neither
 * parses it on insert nor prints it again on read, which for an envelope's ciphertext — never
 * queried inside — was most of the database's work per envelope. Read through drizzle it is
 * parsed; the inbox splices the text into its answer as it is.
 */
export const jsonText = <T>(name: string) =>
  customType<{ data: T; driverData: string }>({
    dataType: () => 'text',
    toDriver: (value) => JSON.stringify(value),
    fromDriver: (value) => JSON.parse(value) as T,
  })(name);
