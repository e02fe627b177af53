// What kind of image a photo's bytes are, from their signatures ("magic numbers") and the first
// structure after them — never from a file name or a declared Content-Type, which a phone, a
// browser or an attacker sets as it likes. Plain functions, no I/O.
import type { PhotoType } from '@khoj/contracts';

export type ImageCheck =
  | { ok: true; mime: PhotoType }
  /** `kind` names what the bytes look like when we recognise them (for a clearer refusal). */
  | { ok: false; kind: string | null };

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Formats we recognise only to say what was sent: these are refused. */
const OTHER_FORMATS: [string, (bytes: Uint8Array) => boolean][] = [
  ['a GIF image', (b) => ascii(b, 0, 6) === 'GIF87a' || ascii(b, 0, 6) === 'GIF89a'],
  ['a BMP image', (b) => ascii(b, 0, 2) === 'BM' && b.length > 26],
  ['a TIFF image', (b) => ascii(b, 0, 4) === 'II*\0' || ascii(b, 0, 4) === 'MM\0*'],
  [
    'a HEIC/HEIF or AVIF image',
    (b) => ascii(b, 4, 8) === 'ftyp' && /^(hei|hev|mif|msf|avi)/.test(ascii(b, 8, 11)),
  ],
  ['a PDF document', (b) => ascii(b, 0, 5) === '%PDF-'],
  ['a ZIP archive', (b) => ascii(b, 0, 4) === 'PK\u0003\u0004'],
];

export function detectImageType(bytes: Uint8Array): ImageCheck {
  if (isJpeg(bytes)) return { ok: true, mime: 'image/jpeg' };
  if (isPng(bytes)) return { ok: true, mime: 'image/png' };
  if (isWebp(bytes)) return { ok: true, mime: 'image/webp' };
  const other = OTHER_FORMATS.find(([, matches]) => matches(bytes));
  return { ok: false, kind: other?.[0] ?? null };
}

/** SOI marker, then the start of another marker segment (APPn, DQT, SOF …). */
function isJpeg(b: Uint8Array): boolean {
  return b.length >= 4 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff && (b[3] ?? 0) >= 0xc0;
}

/** The 8-byte signature, then the IHDR chunk (13 bytes long) with a non-zero width and height. */
function isPng(b: Uint8Array): boolean {
  if (b.length < 33 || !PNG_SIGNATURE.every((byte, i) => b[i] === byte)) return false;
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  return (
    view.getUint32(8) === 13 &&
    ascii(b, 12, 16) === 'IHDR' &&
    view.getUint32(16) > 0 &&
    view.getUint32(20) > 0
  );
}

/** A RIFF container of type WEBP whose first chunk is a VP8 bitstream or the extended header. */
function isWebp(b: Uint8Array): boolean {
  if (b.length < 20 || ascii(b, 0, 4) !== 'RIFF' || ascii(b, 8, 12) !== 'WEBP') return false;
  // The RIFF size counts the bytes after itself; more than we have is a truncated or forged file.
  const riffSize = new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(4, true);
  return riffSize + 8 <= b.length && ['VP8 ', 'VP8L', 'VP8X'].includes(ascii(b, 12, 16));
}

function ascii(b: Uint8Array, start: number, end: number): string {
  return String.fromCharCode(...b.subarray(start, end));
}
