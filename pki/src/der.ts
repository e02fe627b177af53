// DER building and reading over node-forge's ASN.1 module, for the structures forge has no
// writer or reader for: CRLs, PBES2-encrypted keys and raw certificate extensions. Internal to
// @khoj/pki. Readers throw DerError; each caller turns it into its own PkiError code.

import forge from 'node-forge';

const { asn1 } = forge;
const { Class, Type } = asn1;

export type Asn1 = forge.asn1.Asn1;

export class DerError extends Error {
  override name = 'DerError';
}

export const OID = {
  sha256WithRsa: '1.2.840.113549.1.1.11',
  sha384WithRsa: '1.2.840.113549.1.1.12',
  sha512WithRsa: '1.2.840.113549.1.1.13',
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  basicConstraints: '2.5.29.19',
  crlNumber: '2.5.29.20',
  reasonCode: '2.5.29.21',
  invalidityDate: '2.5.29.24',
  authorityKeyIdentifier: '2.5.29.35',
  extKeyUsage: '2.5.29.37',
  anyExtendedKeyUsage: '2.5.29.37.0',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
} as const;

/** Binary string (forge's byte representation) from bytes, and back. */
export const binary = (bytes: Uint8Array): string => Buffer.from(bytes).toString('binary');
export const bytesFromBinary = (value: string): Buffer => Buffer.from(value, 'binary');

export const sequence = (items: Asn1[]): Asn1 => asn1.create(Class.UNIVERSAL, Type.SEQUENCE, true, items);
export const oid = (dotted: string): Asn1 =>
  asn1.create(Class.UNIVERSAL, Type.OID, false, asn1.oidToDer(dotted).getBytes());
export const octetString = (bytes: Uint8Array): Asn1 =>
  asn1.create(Class.UNIVERSAL, Type.OCTETSTRING, false, binary(bytes));
export const nullValue = (): Asn1 => asn1.create(Class.UNIVERSAL, Type.NULL, false, '');
export const bitString = (bytes: Uint8Array): Asn1 =>
  asn1.create(Class.UNIVERSAL, Type.BITSTRING, false, `\u0000${binary(bytes)}`);
export const explicit = (tag: number, inner: Asn1): Asn1 =>
  asn1.create(Class.CONTEXT_SPECIFIC, tag, true, [inner]);
export const contextPrimitive = (tag: number, bytes: Uint8Array): Asn1 =>
  asn1.create(Class.CONTEXT_SPECIFIC, tag, false, binary(bytes));

/** A non-negative INTEGER in minimal two's-complement form (a leading 00 only when the top bit is set). */
export function integer(value: bigint, type: number = Type.INTEGER): Asn1 {
  if (value < 0n) throw new RangeError('negative integers are not encoded here');
  let hex = value.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  if (Number.parseInt(hex.slice(0, 1), 16) >= 8) hex = `00${hex}`;
  return asn1.create(Class.UNIVERSAL, type, false, forge.util.hexToBytes(hex));
}

/** RFC 5280 §4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050; whole seconds, UTC. */
export function time(date: Date): Asn1 {
  if (Number.isNaN(date.getTime())) throw new RangeError('invalid date');
  const year = date.getUTCFullYear();
  if (year < 1950) throw new RangeError(`dates before 1950 cannot be encoded: ${date.toISOString()}`);
  return year < 2050
    ? asn1.create(Class.UNIVERSAL, Type.UTCTIME, false, asn1.dateToUtcTime(date))
    : asn1.create(Class.UNIVERSAL, Type.GENERALIZEDTIME, false, asn1.dateToGeneralizedTime(date));
}

export function toDer(node: Asn1): Buffer {
  return bytesFromBinary(asn1.toDer(node).getBytes());
}

/**
 * Strict parse: every byte consumed, BIT STRING contents left raw (so a signature is never
 * mistaken for nested ASN.1), and the input must re-encode to itself, which refuses BER
 * leniencies (long-form short lengths and the like) that would let two encodings mean one thing.
 */
export function fromDer(bytes: Uint8Array): Asn1 {
  let node: Asn1;
  try {
    // The published typings allow only a boolean here; forge 1.x takes this options object.
    const options = { strict: true, parseAllBytes: true, decodeBitStrings: false } as unknown as boolean;
    node = asn1.fromDer(binary(bytes), options);
  } catch (cause) {
    throw new DerError('not DER-encoded ASN.1', { cause });
  }
  if (!toDer(node).equals(Buffer.from(bytes))) throw new DerError('not canonical DER');
  return node;
}

export function children(node: Asn1 | undefined, what: string): Asn1[] {
  if (!node?.constructed || !Array.isArray(node.value)) throw new DerError(`${what}: expected a sequence`);
  return node.value;
}

export function isUniversal(node: Asn1 | undefined, type: number): node is Asn1 {
  return node !== undefined && node.tagClass === Class.UNIVERSAL && node.type === type;
}

export function isContext(node: Asn1 | undefined, tag: number): node is Asn1 {
  return node !== undefined && node.tagClass === Class.CONTEXT_SPECIFIC && node.type === tag;
}

export function primitiveBytes(node: Asn1 | undefined, type: number, what: string): Buffer {
  if (!isUniversal(node, type) || typeof node.value !== 'string') throw new DerError(`${what}: wrong type`);
  return bytesFromBinary(node.value);
}

export function readOid(node: Asn1 | undefined, what: string): string {
  return asn1.derToOid(binary(primitiveBytes(node, Type.OID, what)));
}

/** Non-negative INTEGER (or ENUMERATED) as a bigint; negative values are refused. */
export function readUnsigned(node: Asn1 | undefined, what: string, type: number = Type.INTEGER): bigint {
  const bytes = primitiveBytes(node, type, what);
  if (bytes.length === 0 || ((bytes[0] ?? 0) & 0x80) !== 0)
    throw new DerError(`${what}: not a non-negative integer`);
  return BigInt(`0x${bytes.toString('hex')}`);
}

export function readTime(node: Asn1 | undefined, what: string): Date {
  const value = node?.value;
  if (typeof value === 'string') {
    if (isUniversal(node, Type.UTCTIME)) return asn1.utcTimeToDate(value);
    if (isUniversal(node, Type.GENERALIZEDTIME)) return asn1.generalizedTimeToDate(value);
  }
  throw new DerError(`${what}: not a time`);
}

export function readBoolean(node: Asn1 | undefined, what: string): boolean {
  const bytes = primitiveBytes(node, Type.BOOLEAN, what);
  if (bytes.length !== 1 || (bytes[0] !== 0 && bytes[0] !== 0xff))
    throw new DerError(`${what}: not a DER BOOLEAN`);
  return bytes[0] === 0xff;
}

/** The bytes of a BIT STRING with no unused bits (signatures, public keys). */
export function readBitStringBytes(node: Asn1 | undefined, what: string): Buffer {
  const bytes = primitiveBytes(node, Type.BITSTRING, what);
  if (bytes[0] !== 0) throw new DerError(`${what}: bit string has unused bits`);
  return bytes.subarray(1);
}

export type Extension = { critical: boolean; value: Buffer };

/** Extensions ::= SEQUENCE OF Extension, keyed by OID; a repeated OID is refused (RFC 5280 §4.2). */
export function readExtensions(node: Asn1 | undefined, what: string): Map<string, Extension> {
  const extensions = new Map<string, Extension>();
  for (const item of children(node, what)) {
    const fields = children(item, what);
    const id = readOid(fields[0], `${what} id`);
    const hasCritical = fields.length === 3;
    if (fields.length !== 2 && !hasCritical) throw new DerError(`${what} ${id}: malformed`);
    const critical = hasCritical ? readBoolean(fields[1], `${what} ${id} critical`) : false;
    const value = primitiveBytes(fields[hasCritical ? 2 : 1], Type.OCTETSTRING, `${what} ${id} value`);
    if (extensions.has(id)) throw new DerError(`${what}: ${id} appears twice`);
    extensions.set(id, { critical, value });
  }
  return extensions;
}

export function extension(id: string, value: Asn1, critical = false): Asn1 {
  const fields = [oid(id)];
  if (critical) fields.push(asn1.create(Class.UNIVERSAL, Type.BOOLEAN, false, '\u00ff'));
  fields.push(octetString(toDer(value)));
  return sequence(fields);
}

export function pem(label: string, der: Uint8Array): string {
  const lines =
    Buffer.from(der)
      .toString('base64')
      .match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/** The DER inside the first PEM block with this label, or undefined when there is none. */
export function pemBody(text: string, label: string): Buffer | undefined {
  const match = new RegExp(`-----BEGIN ${label}-----([A-Za-z0-9+/=\\s]+)-----END ${label}-----`).exec(text);
  return match?.[1] === undefined ? undefined : Buffer.from(match[1].replace(/\s+/g, ''), 'base64');
}

export { Class, Type };
