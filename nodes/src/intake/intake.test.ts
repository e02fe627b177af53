// The plain functions of intake: photo inspection, notice fields, reference numbers and dates.
import { describe, expect, it } from 'vitest';
import { GIF_1X1, JPEG_1X1, png, WEBP_1X1 } from '../photos/test-images.ts';
import { isPlausibleEventDate } from './citizen-report.ts';
import { ageOf, firstNameOf } from './notice.ts';
import { decodedLength, inspectPhoto } from './photo.ts';
import { newReference, REFERENCE_PATTERN } from './reference.ts';

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

describe('sighting photos', () => {
  it('knows the decoded size of base64 without decoding it', () => {
    for (const size of [1, 2, 3, 4, 100, 2 ** 21]) {
      const base64 = Buffer.alloc(size).toString('base64');
      expect(decodedLength(base64)).toBe(size);
      expect(decodedLength(base64.replace(/=+$/, ''))).toBe(size);
    }
  });

  it('types by content: JPEG, PNG, WebP accepted; GIF, text and a bare signature refused', () => {
    expect(inspectPhoto(b64(JPEG_1X1), 1000)).toMatchObject({ ok: true, photo: { mime: 'image/jpeg' } });
    expect(inspectPhoto(b64(png()), 1000)).toMatchObject({ ok: true, photo: { mime: 'image/png' } });
    expect(inspectPhoto(b64(WEBP_1X1), 1000)).toMatchObject({ ok: true, photo: { mime: 'image/webp' } });
    expect(inspectPhoto(b64(GIF_1X1), 1000)).toMatchObject({
      ok: false,
      code: 'VALIDATION_FAILED',
      message: expect.stringContaining('GIF'),
    });
    expect(inspectPhoto(b64(Buffer.from('#!/bin/sh\nrm -rf /')), 1000)).toMatchObject({
      ok: false,
      code: 'VALIDATION_FAILED',
    });
    expect(inspectPhoto(b64(Buffer.from([0x89, 0x50, 0x4e, 0x47])), 1000).ok).toBe(false);
    expect(inspectPhoto('AAAAA', 1000)).toMatchObject({ ok: false, message: 'photo.data: not valid base64' });
  });

  it('refuses a photo over the limit as too large before decoding it', () => {
    const image = png([1, 1, 1], 500);
    expect(inspectPhoto(b64(image), image.length).ok).toBe(true);
    expect(inspectPhoto(b64(image), image.length - 1)).toMatchObject({
      ok: false,
      code: 'PAYLOAD_TOO_LARGE',
    });
  });
});

describe('notice fields', () => {
  it('shows the first word of the name only', () => {
    expect(firstNameOf('  Montu   Debnath ')).toBe('Montu');
    expect(firstNameOf('মন্টু দেবনাথ')).toBe('মন্টু');
    expect(firstNameOf(undefined)).toBeNull();
    expect(firstNameOf('   ')).toBeNull();
  });

  it('shows whole years, or an estimate as "about"', () => {
    expect(ageOf({ years: 9 })).toBe(9);
    expect(ageOf({ estimateMin: 10, estimateMax: 13 })).toBe('about 10–13');
    expect(ageOf({ estimateMin: 7, estimateMax: 7 })).toBe(7);
  });
});

describe('references and dates', () => {
  it('makes references one can read out, with the node id', () => {
    const references = new Set(Array.from({ length: 200 }, () => newReference('IN-WB')));
    expect(references.size).toBe(200);
    for (const reference of references) expect(reference).toMatch(REFERENCE_PATTERN);
    expect(newReference('NP')).toMatch(/^NP-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
  });

  it('refuses dates after tomorrow', () => {
    const now = new Date('2026-03-10T20:00:00Z');
    expect(isPlausibleEventDate('2026-03-11', now)).toBe(true);
    expect(isPlausibleEventDate('2026-03-12', now)).toBe(false);
  });
});
