// Scoring must stay cheap: the DB side scores about 1,000 blocked candidates per query within a
// 50 ms budget. On a quiet machine 1,000 pairs take about 5–9 ms once warm; the limit asserted
// here is twice the budget, because test machines are shared and loaded — it catches a
// regression of an order of magnitude, not noise. The measured time is printed for the record.
import { describe, expect, it } from 'vitest';
import type { MatchProfile } from '../profile.ts';
import { DEFAULT_PARAMETERS, type PreparedProfile, prepareProfile, scorePair } from './index.ts';
import { foundProfile, missingProfile } from './test-fixtures.ts';

const GIVEN = [
  'Rahul',
  'Rakesh',
  'Sumaiya',
  'Anwar',
  'Priyanka',
  'Mitali',
  'Tanvir',
  'Shahidul',
  'Nasrin',
  'Joynal',
  'Rubel',
  'Sanjida',
  'Ritwik',
  'Arjun',
  'Pooja',
  'Sunita',
  'Rina',
  'Bijoy',
  'Subrata',
  'Moumita',
  'Farhana',
  'Rafiq',
  'Karim',
  'Salma',
  'Ayesha',
  'Ramesh',
  'Sita',
  'Gita',
  'Laxmi',
  'Kabir',
];
const SURNAMES = [
  'Das',
  'Debnath',
  'Roy',
  'Sarkar',
  'Mondal',
  'Akter',
  'Khatun',
  'Islam',
  'Hossain',
  'Sharma',
  'Yadav',
  'Thapa',
  'Gurung',
  'Tamang',
  'Shrestha',
  'Biswas',
  'Ghosh',
  'Begum',
  'Chowdhury',
];
const PET = ['Munni', 'Bablu', 'Pinky', 'Sonu', 'Guddu'];
const PLACES: MatchProfile['place'][] = [
  { country: 'IN', state: 'West Bengal', district: 'Kolkata' },
  { country: 'IN', state: 'WB', district: 'North 24 Parganas' },
  { country: 'BD', state: 'Khulna', district: 'Satkhira' },
  { country: 'NP', state: 'Koshi', district: 'Jhapa' },
  { country: 'IN', state: 'Delhi', district: 'New Delhi' },
  { country: 'IN', state: 'Maharashtra', district: 'Pune' },
];
const MARKS = ['mole on left cheek', 'burn scar on right hand', 'তিল বাম গালে', 'cut mark on forehead'];

function pick<T>(list: readonly T[], i: number): T {
  return list[i % list.length] as T;
}

function candidate(i: number): PreparedProfile {
  const given = pick(GIVEN, i * 7);
  return prepareProfile(
    foundProfile({
      id: `case_found_${i}`,
      names: i % 5 === 0 ? [pick(PET, i)] : i % 3 === 0 ? [given] : [`${given} ${pick(SURNAMES, i * 3)}`],
      guardianNames: i % 4 === 0 ? [`${pick(GIVEN, i + 11)} ${pick(SURNAMES, i)}`] : [],
      sex: i % 2 === 0 ? 'female' : 'male',
      age: { min: 6 + (i % 8), max: 8 + (i % 8), estimated: true },
      eventDate: `2024-0${1 + (i % 9)}-1${i % 10}`,
      place: pick(PLACES, i),
      languages: i % 3 === 0 ? ['bn'] : ['hi'],
      marks: i % 6 === 0 ? [pick(MARKS, i)] : [],
      heightCm: i % 7 === 0 ? 120 + (i % 30) : undefined,
    }),
  );
}

describe('scorePair speed', () => {
  it('scores 1,000 prepared candidates in a few milliseconds', () => {
    const missing = prepareProfile(
      missingProfile({
        names: ['Rahul Debnath', 'Bablu'],
        guardianNames: ['Ramesh Debnath', 'Sita Debnath'],
        sex: 'male',
        age: { min: 10, max: 10, estimated: false },
        eventDate: '2024-01-10',
        place: { country: 'BD', state: 'Khulna', district: 'Satkhira' },
        languages: ['bn'],
        marks: ['mole on left cheek'],
        heightCm: 130,
      }),
    );
    const candidates = Array.from({ length: 1_000 }, (_, i) => candidate(i));
    const shares = new Map([['rahal', 0.03]]);
    const frequencies = (key: string) => shares.get(key);
    const run = () => {
      const start = performance.now();
      let best = 0;
      for (const found of candidates) {
        best = Math.max(best, scorePair(missing, found, DEFAULT_PARAMETERS, frequencies).probability);
      }
      return { ms: performance.now() - start, best };
    };
    const cold = run();
    // A node scores all day: what counts is the time once the JIT has compiled the hot paths.
    for (let i = 0; i < 20; i++) run();
    const warm = Array.from({ length: 9 }, () => run().ms).sort((a, b) => a - b);
    const median = warm[4] as number;
    console.info(
      `scorePair: first 1,000 pairs ${cold.ms.toFixed(1)} ms, once warm median ${median.toFixed(1)} ms ` +
        `(${((median / 1_000) * 1_000).toFixed(1)} µs per pair)`,
    );
    expect(cold.best).toBeGreaterThan(0);
    expect(median).toBeLessThan(100);
  });
});
