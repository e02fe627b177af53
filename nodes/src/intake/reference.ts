// Reference numbers for citizen reports: short enough to read out on the phone, with an
// alphabet that has no I, L, O or U (Crockford's base 32), and the node id so that a police
// station elsewhere knows whom to ask. 40 random bits: guessing one tells nothing anyway, as a
// reference opens nothing without an officer.
import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** `IN-WB-7K3M-9QXA`. */
export function newReference(nodeId: string): string {
  // 256 is a multiple of 32: taking the low five bits of each byte is unbiased.
  const chars = [...randomBytes(8)].map((byte) => ALPHABET[byte & 31]).join('');
  return `${nodeId}-${chars.slice(0, 4)}-${chars.slice(4)}`;
}

export const REFERENCE_PATTERN = /^[A-Z]{2}(-[A-Z0-9]{1,3})?-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/;
