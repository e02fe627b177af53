// Prefixed, time-ordered, random ids (`case_…`, `env_…`): sortable by creation and readable in
// logs. 48 bits of milliseconds + 80 random bits, base36.
import { randomBytes } from 'node:crypto';

export function newId(prefix: string): string {
  const time = Date.now().toString(36).padStart(10, '0');
  const random = BigInt(`0x${randomBytes(10).toString('hex')}`)
    .toString(36)
    .padStart(16, '0');
  return `${prefix}_${time}${random}`;
}
