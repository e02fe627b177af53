// Where the child was last seen against where they were found, as one hierarchical comparison:
// same district > same state > within 100 km (district centres, where known) > a known route
// between the two places > same country > different. Place names arrive as written (state codes
// such as "WB", old spellings, Bengali or Devanagari script), so both sides are reduced to a key
// first: latin letters and digits, known aliases resolved, a phonetic key as a last resort.
import type { MatchPlace } from '../profile.ts';
import { phoneticKey, toLatin } from '../text/index.ts';
import bundledCorridors from './data/corridors.json' with { type: 'json' };
import bundledCentroids from './data/district-centroids.json' with { type: 'json' };
import placeAliases from './data/place-aliases.json' with { type: 'json' };
import { type Detail, type FieldComparison, levelOnly } from './fields.ts';

/** A place a corridor starts or ends at; without a district it covers the whole state or country. */
export type CorridorEnd = { country: string; state?: string; district?: string };
/** A route children are known to be moved along, in either direction. */
export type Corridor = { between: readonly [CorridorEnd, CorridorEnd]; route: string };
/** Latitude, longitude (degrees) of district centres: country → state → district. */
export type DistrictCoordinates = Record<string, Record<string, Record<string, readonly number[]>>>;

export type PlaceOptions = {
  corridors?: readonly Corridor[] | undefined;
  districtCoordinates?: DistrictCoordinates | undefined;
};

export const BUNDLED_CORRIDORS = bundledCorridors.corridors as unknown as readonly Corridor[];
export const BUNDLED_DISTRICT_COORDINATES = bundledCentroids.districts as DistrictCoordinates;

/** Places at most this far apart (km, centre to centre) count as near. */
const NEAR_KM = 100;

/** A place reduced to comparable keys once, when the profile is prepared. */
export type PreparedPlace = {
  written: MatchPlace;
  country: string;
  state?: PlaceName | undefined;
  district?: PlaceName | undefined;
  /**
   * resolve()'s answer and the index it came from, kept on the place itself: resolving happens
   * twice per compared pair, and a WeakMap lookup each time was a measurable share of a run.
   */
  resolved?: { index: PlaceIndex; place: ResolvedPlace } | undefined;
};
type PlaceName = { key: string; phonetic: string };

/** Words that only say what kind of place it is ("Jashore District", "Khulna Division"). */
const KIND_WORDS = /\b(district|dist|division|province|state|zila|zilla|jila|jilla)\b/g;

const ALIASES: Map<string, string> = (() => {
  const map = new Map<string, string>();
  for (const [country, table] of Object.entries(placeAliases.aliases)) {
    for (const [alias, name] of Object.entries(table))
      map.set(`${country}|${normalise(alias)}`, normalise(name));
  }
  return map;
})();

export function preparePlace(place: MatchPlace): PreparedPlace {
  const country = place.country.trim().toUpperCase();
  return {
    written: place,
    country,
    state: placeName(country, place.state),
    district: placeName(country, place.district),
  };
}

function placeName(country: string, written: string | undefined): PlaceName | undefined {
  if (!written) return undefined;
  const normal = normalise(toLatin(written));
  if (!normal) return undefined;
  const key = ALIASES.get(`${country}|${normal}`) ?? normal;
  return { key, phonetic: phoneticKey(key) };
}

function normalise(text: string): string {
  return text
    .normalize('NFKD')
    .toLowerCase()
    .replace(KIND_WORDS, ' ')
    .replace(/[^a-z0-9]/g, '');
}

function sameName(a: PlaceName | undefined, b: PlaceName | undefined): boolean {
  return (
    a !== undefined &&
    b !== undefined &&
    (a.key === b.key || (a.phonetic !== '' && a.phonetic === b.phonetic))
  );
}

// --- what the engine knows about places: compiled once per data set ---------------------------

type KnownDistrict = { state: PlaceName; district: PlaceName; lat: number; lon: number };
type CompiledEnd = { country: string; state?: PlaceName | undefined; district?: PlaceName | undefined };
type CompiledCorridor = { ends: [CompiledEnd, CompiledEnd]; route: string };

type PlaceIndex = {
  /** `country|districtKey` and `country|~phonetic` → the districts of that name. */
  districts: Map<string, KnownDistrict[]>;
  /** `country|stateKey` and `country|~phonetic` → the state's canonical name. */
  states: Map<string, PlaceName>;
  /** Corridors by the countries they join, `A|B` and `B|A`. */
  corridors: Map<string, CompiledCorridor[]>;
};

/** A place with its state filled in from the district when unambiguous, and its centre. */
type ResolvedPlace = {
  country: string;
  state?: PlaceName | undefined;
  district?: PlaceName | undefined;
  centre?: { lat: number; lon: number } | undefined;
};

// Compiled once per (corridors, coordinates) pair of objects: callers pass the same objects.
const indexes = new WeakMap<object, WeakMap<object, PlaceIndex>>();

function placeIndex(options: PlaceOptions | undefined): PlaceIndex {
  const corridors = options?.corridors ?? BUNDLED_CORRIDORS;
  const coordinates = options?.districtCoordinates ?? BUNDLED_DISTRICT_COORDINATES;
  let byCoordinates = indexes.get(corridors);
  if (!byCoordinates) {
    byCoordinates = new WeakMap();
    indexes.set(corridors, byCoordinates);
  }
  let index = byCoordinates.get(coordinates);
  if (!index) {
    index = compileIndex(corridors, coordinates);
    byCoordinates.set(coordinates, index);
  }
  return index;
}

function compileIndex(corridors: readonly Corridor[], coordinates: DistrictCoordinates): PlaceIndex {
  const districts = new Map<string, KnownDistrict[]>();
  const states = new Map<string, PlaceName>();
  const push = (key: string, district: KnownDistrict) => {
    const list = districts.get(key) ?? [];
    if (!list.includes(district)) list.push(district);
    districts.set(key, list);
  };
  for (const [rawCountry, stateTable] of Object.entries(coordinates)) {
    const country = rawCountry.toUpperCase();
    for (const [stateWritten, districtTable] of Object.entries(stateTable)) {
      const state = placeName(country, stateWritten);
      if (!state) continue;
      states.set(`${country}|${state.key}`, state);
      states.set(`${country}|~${state.phonetic}`, state);
      for (const [districtWritten, position] of Object.entries(districtTable)) {
        const district = placeName(country, districtWritten);
        const [lat, lon] = position;
        if (!district || lat === undefined || lon === undefined) continue;
        const known = { state, district, lat, lon };
        push(`${country}|${district.key}`, known);
        push(`${country}|~${district.phonetic}`, known);
      }
    }
  }
  const compiled = new Map<string, CompiledCorridor[]>();
  for (const corridor of corridors) {
    const [a, b] = corridor.between.map(compileEnd) as [CompiledEnd, CompiledEnd];
    const entry = { ends: [a, b] as [CompiledEnd, CompiledEnd], route: corridor.route };
    for (const key of new Set([`${a.country}|${b.country}`, `${b.country}|${a.country}`])) {
      compiled.set(key, [...(compiled.get(key) ?? []), entry]);
    }
  }
  return { districts, states, corridors: compiled };
}

function compileEnd(end: CorridorEnd): CompiledEnd {
  const country = end.country.toUpperCase();
  return { country, state: placeName(country, end.state), district: placeName(country, end.district) };
}

function resolve(index: PlaceIndex, place: PreparedPlace): ResolvedPlace {
  if (place.resolved?.index === index) return place.resolved.place;
  const { country } = place;
  let state = place.state;
  if (state) {
    state =
      index.states.get(`${country}|${state.key}`) ??
      index.states.get(`${country}|~${state.phonetic}`) ??
      state;
  }
  let district = place.district;
  let centre: ResolvedPlace['centre'];
  if (district) {
    const named =
      index.districts.get(`${country}|${district.key}`) ??
      index.districts.get(`${country}|~${district.phonetic}`);
    // A district name can repeat across states (Aurangabad, Bilaspur): the state decides, and
    // without one only a name that is unique in the country is trusted.
    const candidates = named?.filter((known) => !state || sameName(known.state, state)) ?? [];
    const known = candidates.length === 1 ? candidates[0] : undefined;
    if (known) {
      state = known.state;
      district = known.district;
      centre = { lat: known.lat, lon: known.lon };
    }
  }
  const resolved = { country, state, district, centre };
  place.resolved = { index, place: resolved };
  return resolved;
}

// --- the comparison ----------------------------------------------------------------------------

export function comparePlaces(
  missing: PreparedPlace,
  found: PreparedPlace,
  options?: PlaceOptions,
  detail: Detail = 'describe',
): FieldComparison {
  const field = 'place';
  if (!missing.country || !found.country) {
    return { field, level: 'unknown', detail: 'place not known on one side' };
  }
  const index = placeIndex(options);
  const a = resolve(index, missing);
  const b = resolve(index, found);
  const statesConflict = a.state !== undefined && b.state !== undefined && !sameName(a.state, b.state);
  const level = placeLevel(index, a, b, statesConflict);
  if (detail === 'level-only') return levelOnly(field, level);
  switch (level) {
    case 'same_district':
      return { field, level, detail: `same district: ${describe(missing)}` };
    case 'same_state':
      return { field, level, detail: `same state: ${describe(missing)} / ${describe(found)}` };
    case 'near_100km': {
      const km = a.centre && b.centre ? distanceKm(a.centre, b.centre) : Number.NaN;
      return {
        field,
        level,
        detail: `${describe(missing)} and ${describe(found)} are about ${Math.round(km)} km apart`,
      };
    }
    case 'corridor':
      return {
        field,
        level,
        detail: `${describe(missing)} → ${describe(found)}: known route (${findCorridor(index, a, b)?.route})`,
      };
    case 'same_country':
      return { field, level, detail: `same country: ${describe(missing)} / ${describe(found)}` };
    default:
      return {
        field,
        level,
        detail: `${describe(missing)} / ${describe(found)}: different countries, no known route`,
      };
  }
}

/** The strongest level the two places reach, from the same district down to different countries. */
function placeLevel(index: PlaceIndex, a: ResolvedPlace, b: ResolvedPlace, statesConflict: boolean): string {
  const sameCountry = a.country === b.country;
  if (sameCountry && sameName(a.district, b.district) && !statesConflict) return 'same_district';
  if (sameCountry && a.state && b.state && !statesConflict) return 'same_state';
  if (a.centre && b.centre && distanceKm(a.centre, b.centre) <= NEAR_KM) return 'near_100km';
  if (findCorridor(index, a, b)) return 'corridor';
  return sameCountry ? 'same_country' : 'different';
}

function findCorridor(index: PlaceIndex, a: ResolvedPlace, b: ResolvedPlace): CompiledCorridor | undefined {
  const candidates = index.corridors.get(`${a.country}|${b.country}`);
  if (!candidates) return undefined;
  return candidates.find(
    ({ ends: [x, y] }) => (covers(x, a) && covers(y, b)) || (covers(y, a) && covers(x, b)),
  );
}

function covers(end: CompiledEnd, place: ResolvedPlace): boolean {
  if (end.country !== place.country) return false;
  if (end.state && !sameName(end.state, place.state)) return false;
  if (end.district && !sameName(end.district, place.district)) return false;
  return true;
}

const EARTH_RADIUS_KM = 6371;

/** Great-circle distance (haversine), km. */
export function distanceKm(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

function describe(place: PreparedPlace): string {
  const { district, state, country } = place.written;
  return [district, state, country].filter(Boolean).join(', ');
}
