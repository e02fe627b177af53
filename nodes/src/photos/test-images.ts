// Test fixture: small images that real decoders accept, and a PNG of any exact size (its padding
// runs through every byte value, so a round trip through bytea proves nothing was re-encoded).
import { crc32, deflateSync } from 'node:zlib';

/** 1×1 JPEG (JFIF). */
export const JPEG_1X1 = Buffer.from(
  '/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=',
  'base64',
);
/** 1×1 lossless WebP. */
export const WEBP_1X1 = Buffer.from('UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==', 'base64');
export const GIF_1X1 = Buffer.from('R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==', 'base64');

function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])));
  return Buffer.concat([head, data, crc]);
}

/** A 1×1 RGB PNG of `colour`, optionally with a private ancillary chunk of `padding` bytes. */
export function png(colour: [number, number, number] = [255, 0, 0], padding = 0): Buffer {
  const ihdr = Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]);
  const filler = Buffer.from(Array.from({ length: padding }, (_, i) => i % 256));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    ...(padding > 0 ? [chunk('khOj', filler)] : []),
    chunk('IDAT', deflateSync(Buffer.from([0, ...colour]))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A valid PNG of exactly `size` bytes (at least a bare 1×1 PNG plus a 12-byte chunk). */
export function pngOfSize(size: number): Buffer {
  const bare = png().length;
  const image = png([255, 0, 0], size - bare - 12);
  if (image.length !== size) throw new Error(`cannot make a PNG of ${size} bytes`);
  return image;
}
