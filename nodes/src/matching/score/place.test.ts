import { describe, expect, it } from 'vitest';
import type { MatchPlace } from '../profile.ts';
import { FIELD_LEVELS } from './fields.ts';
import type { CompareOptions } from './index.ts';
import { BUNDLED_CORRIDORS, BUNDLED_DISTRICT_COORDINATES, distanceKm } from './place.ts';
import { compareField } from './test-fixtures.ts';

const place = (missing: MatchPlace, found: MatchPlace, options?: CompareOptions) =>
  compareField('place', { place: missing }, { place: found }, options);

describe('place', () => {
  it('same_district, across spellings, codes and scripts', () => {
    expect(
      place(
        { country: 'BD', state: 'Khulna', district: 'Jashore' },
        { country: 'BD', district: 'Jessore District' },
      ).level,
    ).toBe('same_district');
    expect(
      place(
        { country: 'IN', state: 'West Bengal', district: 'হাওড়া' },
        { country: 'IN', state: 'WB', district: 'Howrah' },
      ).level,
    ).toBe('same_district');
    expect(
      place({ country: 'IN', state: 'WB', district: 'Kolkata' }, { country: 'IN', district: 'Calcutta' })
        .detail,
    ).toBe('same district: Kolkata, WB, IN');
  });

  it('same_state, with the state found from the district when a report has none', () => {
    expect(
      place(
        { country: 'IN', state: 'West Bengal', district: 'Kolkata' },
        { country: 'IN', state: 'WB', district: 'Malda' },
      ).level,
    ).toBe('same_state');
    expect(
      place(
        { country: 'IN', state: 'West Bengal', district: 'Kolkata' },
        { country: 'IN', district: 'Malda' },
      ).level,
    ).toBe('same_state');
  });

  it('near_100km across a border', () => {
    const result = place(
      { country: 'NP', state: 'Koshi', district: 'Jhapa' },
      { country: 'IN', state: 'West Bengal', district: 'Darjeeling' },
    );
    expect(result.level).toBe('near_100km');
    expect(result.detail).toMatch(/about \d+ km apart/);
  });

  it('corridor: a known route, in either direction', () => {
    const result = place(
      { country: 'BD', state: 'Khulna', district: 'Jashore' },
      { country: 'IN', state: 'Maharashtra', district: 'Pune' },
    );
    expect(result.level).toBe('corridor');
    expect(result.detail).toContain('known route (Bangladesh – Kolkata – Mumbai/Pune trafficking route)');
    expect(
      place({ country: 'IN', state: 'Delhi' }, { country: 'IN', state: 'Assam', district: 'Dhubri' }).level,
    ).toBe('corridor');
    // Border districts without coordinates still meet through their corridor.
    expect(
      place(
        { country: 'NP', district: 'Banke' },
        { country: 'IN', state: 'UP', district: 'Bahraich' },
        {
          districtCoordinates: {},
        },
      ).level,
    ).toBe('corridor');
  });

  it('same_country, different and unknown', () => {
    expect(place({ country: 'IN', state: 'West Bengal' }, { country: 'IN', state: 'Karnataka' }).level).toBe(
      'same_country',
    );
    expect(place({ country: 'BD', district: 'Dhaka' }, { country: 'NP', district: 'Kathmandu' }).level).toBe(
      'different',
    );
    expect(place({ country: '' }, { country: 'NP' }).level).toBe('unknown');
  });

  it('does not take one district name in two states for the same district', () => {
    const districtCoordinates = {
      IN: { Bihar: { Aurangabad: [24.75, 84.37] }, Maharashtra: { Aurangabad: [19.88, 75.34] } },
    };
    expect(
      place(
        { country: 'IN', state: 'Bihar', district: 'Aurangabad' },
        { country: 'IN', state: 'Maharashtra', district: 'Aurangabad' },
        {
          districtCoordinates,
          corridors: [], // Bihar – Maharashtra is a known route
        },
      ).level,
    ).toBe('same_country');
  });

  it('takes corridors and coordinates from the caller', () => {
    const corridors = [
      {
        between: [
          { country: 'IN', state: 'Kerala' },
          { country: 'IN', state: 'Goa' },
        ] as const,
        route: 'test route',
      },
    ];
    expect(
      place({ country: 'IN', state: 'Kerala' }, { country: 'IN', state: 'Goa' }, { corridors }).level,
    ).toBe('corridor');
    expect(place({ country: 'IN', state: 'Kerala' }, { country: 'IN', state: 'Goa' }).level).toBe(
      'same_country',
    );
  });

  it('reaches every level', () => {
    const levels = new Set([
      place({ country: 'BD', district: 'Jashore' }, { country: 'BD', district: 'Jashore' }).level,
      place({ country: 'IN', state: 'WB' }, { country: 'IN', state: 'West Bengal' }).level,
      place({ country: 'NP', district: 'Jhapa' }, { country: 'IN', district: 'Darjeeling' }).level,
      place({ country: 'NP' }, { country: 'IN', state: 'Delhi' }).level,
      place({ country: 'IN', state: 'Goa' }, { country: 'IN', state: 'Kerala' }).level,
      place({ country: 'NP' }, { country: 'BD' }).level,
      place({ country: '' }, { country: 'BD' }).level,
    ]);
    expect([...levels].sort()).toEqual([...FIELD_LEVELS.place].sort());
  });
});

describe('place data', () => {
  it('has district centres inside South Asia, and corridors between known countries', () => {
    for (const states of Object.values(BUNDLED_DISTRICT_COORDINATES)) {
      for (const districts of Object.values(states)) {
        for (const [lat, lon] of Object.values(districts)) {
          expect(lat).toBeGreaterThan(8);
          expect(lat).toBeLessThan(31);
          expect(lon).toBeGreaterThan(72);
          expect(lon).toBeLessThan(93);
        }
      }
    }
    expect(BUNDLED_CORRIDORS.length).toBeGreaterThan(50);
    for (const corridor of BUNDLED_CORRIDORS) {
      for (const end of corridor.between) expect(['IN', 'BD', 'NP']).toContain(end.country);
    }
  });

  it('measures great-circle distance', () => {
    // Kolkata to Delhi is about 1,300 km.
    expect(distanceKm({ lat: 22.57, lon: 88.36 }, { lat: 28.61, lon: 77.21 })).toBeGreaterThan(1250);
    expect(distanceKm({ lat: 22.57, lon: 88.36 }, { lat: 28.61, lon: 77.21 })).toBeLessThan(1350);
  });
});
