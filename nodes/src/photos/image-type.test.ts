// Image types decided by content: the three accepted formats, look-alikes and other formats.
import { describe, expect, it } from 'vitest';
import { detectImageType } from './image-type.ts';
import { GIF_1X1, JPEG_1X1, png, WEBP_1X1 } from './test-images.ts';

describe('detectImageType', () => {
  it('recognises JPEG, PNG and WebP by their bytes', () => {
    expect(detectImageType(JPEG_1X1)).toEqual({ ok: true, mime: 'image/jpeg' });
    expect(detectImageType(png())).toEqual({ ok: true, mime: 'image/png' });
    expect(detectImageType(WEBP_1X1)).toEqual({ ok: true, mime: 'image/webp' });
  });

  it('names formats it refuses when it knows them', () => {
    expect(detectImageType(GIF_1X1)).toEqual({ ok: false, kind: 'a GIF image' });
    expect(detectImageType(Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj'))).toEqual({
      ok: false,
      kind: 'a PDF document',
    });
    const heic = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypheic\0\0\0\0mif1heic')]);
    expect(detectImageType(heic)).toEqual({ ok: false, kind: 'a HEIC/HEIF or AVIF image' });
  });

  it('refuses text, empty input, and files that only start like an image', () => {
    for (const bytes of [
      Buffer.from('Montu Debnath, 9, last seen at Ranaghat station'),
      Buffer.alloc(0),
      png().subarray(0, 16), // signature without a whole IHDR chunk
      Buffer.concat([png().subarray(0, 8), Buffer.from('not a png chunk at all, really')]),
      Buffer.from([0xff, 0xd8]), // SOI alone
      Buffer.concat([Buffer.from('RIFF'), Buffer.from([0xff, 0xff, 0, 0]), Buffer.from('WEBPVP8L....')]),
      Buffer.concat([Buffer.from('RIFF'), Buffer.from([4, 0, 0, 0]), Buffer.from('WAVEfmt ....')]),
    ]) {
      expect(detectImageType(bytes)).toEqual({ ok: false, kind: null });
    }
  });

  it('reads a view into a larger buffer from its own offset', () => {
    const framed = Buffer.concat([Buffer.from('garbage!'), png()]);
    expect(detectImageType(framed.subarray(8))).toEqual({ ok: true, mime: 'image/png' });
  });
});
