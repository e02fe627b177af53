import { describe, expect, it } from 'vitest';
import { markConcepts } from './index.ts';

describe('markConcepts', () => {
  it.each([
    ['mole on left cheek'],
    ['left cheek mole'],
    ['Mole on the LEFT cheek.'],
    ['til on left gal'],
    ['বাঁ গালে তিল'],
    ['বাম গালে একটি তিল'],
    ['বাঁদিকের গালে তিল'],
    ['बाएं गाल पर तिल'],
    ['बाएँ गाल पर तिल'],
    ['बायां गाल पर तिल है'],
    ['देब्रे गालामा कोठी'],
  ])('%s → mole@cheek@left', (text) => {
    expect(markConcepts([text])).toEqual(['mole', 'mole@cheek', 'mole@cheek@left']);
  });

  it.each([
    ['scar on forehead', ['scar', 'scar@forehead']],
    ['কপালে কাটা দাগ', ['scar', 'scar@forehead']],
    ['माथे पर चोट का निशान', ['scar', 'scar@forehead']],
    ['निधारमा खत', ['scar', 'scar@forehead']],
    ['burn mark on right hand', ['burn', 'burn@hand', 'burn@hand@right']],
    ['ডান হাতে পোড়া দাগ', ['burn', 'burn@hand', 'burn@hand@right']],
    ['दाहिने हाथ पर जला हुआ निशान', ['burn', 'burn@hand', 'burn@hand@right']],
    ['tattoo of Om on left arm', ['tattoo', 'tattoo@arm', 'tattoo@arm@left']],
    ['six fingers on right hand', ['six-fingers', 'six-fingers@hand', 'six-fingers@hand@right']],
    ['ডান হাতে ছয়টি আঙুল', ['six-fingers', 'six-fingers@hand', 'six-fingers@hand@right']],
    ['missing front tooth', ['missing-tooth']],
    ['সামনের দাঁত ভাঙা', ['missing-tooth']],
    ['आगे का दांत टूटा है', ['missing-tooth']],
    ['squint in left eye', ['squint', 'squint@eye', 'squint@eye@left']],
    ['বাঁ চোখ টেরা', ['squint', 'squint@eye', 'squint@eye@left']],
    ['walks with a limp', ['limp']],
    ['लंगड़ाकर चलता है', ['limp']],
    ['birthmark on back', ['birthmark', 'birthmark@back']],
    ['পিঠে জন্ম দাগ', ['birthmark', 'birthmark@back']],
    ['पीठ पर लहसुन', ['birthmark', 'birthmark@back']],
    ['wart on nose', ['wart', 'wart@nose']],
    ['something on the right knee', ['mark@knee@right', 'mark', 'mark@knee'].sort()],
  ])('%s', (text, expected) => {
    expect(markConcepts([text]).sort()).toEqual([...expected].sort());
  });

  it('reads several marks in one text and lets a bare body part take its neighbour’s kind', () => {
    expect(markConcepts(['mole on left cheek and scar on forehead']).sort()).toEqual(
      ['mole', 'mole@cheek', 'mole@cheek@left', 'scar', 'scar@forehead'].sort(),
    );
    expect(markConcepts(['scar on forehead and chin']).sort()).toEqual(
      ['scar', 'scar@chin', 'scar@forehead'].sort(),
    );
    expect(markConcepts(['কপালে ও থুতনিতে কাটা দাগ']).sort()).toEqual(
      ['scar', 'scar@chin', 'scar@forehead'].sort(),
    );
  });

  it('merges the concepts of several texts without repeats', () => {
    expect(markConcepts(['mole on left cheek', 'বাঁ গালে তিল', 'scar on chin'])).toEqual([
      'mole',
      'mole@cheek',
      'mole@cheek@left',
      'scar',
      'scar@chin',
    ]);
  });

  it('finds nothing in text without marks', () => {
    expect(markConcepts([])).toEqual([]);
    expect(markConcepts(['no identifying marks', 'fair complexion', ''])).toEqual([]);
    expect(markConcepts(['কোনো দাগ নেই', 'कोई निशान नहीं'])).toEqual([]);
  });
});

describe('markConcepts: Assamese, and more Hindi and Nepali words', () => {
  it.each([
    ['বাওঁ গালত তিল', ['mole', 'mole@cheek', 'mole@cheek@left']],
    ['সোঁ হাতত পোৰা দাগ', ['burn', 'burn@hand', 'burn@hand@right']],
    ['ডিঙিত জন্মদাগ', ['birthmark', 'birthmark@neck']],
    ['বাওঁ ভৰিত কটা দাগ', ['scar', 'scar@leg', 'scar@leg@left']],
    ['दाहिने पाखुरामा जन्मदाग', ['birthmark', 'birthmark@arm', 'birthmark@arm@right']],
    ['बाईं कलाई पर जन्मजात निशान', ['birthmark', 'birthmark@hand', 'birthmark@hand@left']],
    ['scar on the left elbow', ['scar', 'scar@arm', 'scar@arm@left']],
    ['stutters', ['stammer']],
    ['हकलाकर बोलता है, हकलाहट', ['stammer']],
  ])('%s', (text, concepts) => {
    expect(markConcepts([text])).toEqual(concepts);
  });
});
