// Sighting photos: decoded from base64, sized, and typed by their bytes with the same check the
// case photos use (photos/image-type.ts). A declared type or file name proves nothing — anyone
// can call a script `photo.jpg` — so it is never consulted. Plain functions, no I/O.
import { createHash } from 'node:crypto';
import type { PhotoType } from '@khoj/contracts';
import { detectImageType } from '../photos/image-type.ts';

export type InspectedPhoto = { mime: PhotoType; bytes: Buffer; sizeBytes: number; sha256: string };

export type PhotoCheck =
  | { ok: true; photo: InspectedPhoto }
  | { ok: false; code: 'PAYLOAD_TOO_LARGE' | 'VALIDATION_FAILED'; message: string };

/** Bytes that `base64` decodes to, computed without decoding (so a huge one costs nothing). */
export function decodedLength(base64: string): number {
  const padding = base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0;
  return Math.floor((base64.length * 3) / 4) - padding;
}

/** `base64` is already known to use only the base64 alphabet (the contract checks it). */
export function inspectPhoto(base64: string, maxBytes: number): PhotoCheck {
  const size = decodedLength(base64);
  if (size > maxBytes) {
    return {
      ok: false,
      code: 'PAYLOAD_TOO_LARGE',
      message: `photo: ${size} bytes, over the ${maxBytes}-byte limit`,
    };
  }
  // Unpadded base64 is fine; a length of 4n+1 is not base64 at all.
  if (base64.replace(/=+$/, '').length % 4 === 1) {
    return { ok: false, code: 'VALIDATION_FAILED', message: 'photo.data: not valid base64' };
  }
  const bytes = Buffer.from(base64, 'base64');
  const type = detectImageType(bytes);
  if (!type.ok) {
    const what = type.kind ?? 'not an image we recognise';
    return {
      ok: false,
      code: 'VALIDATION_FAILED',
      message: `photo.data: the content is ${what}; send a JPEG, PNG or WebP image`,
    };
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  return { ok: true, photo: { mime: type.mime, bytes, sizeBytes: bytes.length, sha256 } };
}
