import { describe, expect, it } from 'vitest';
import { toLatin } from './index.ts';

describe('toLatin', () => {
  it.each([
    // Bengali: inherent vowels deleted where speakers drop them, kept after a conjunct.
    ['রাহুল দেবনাথ', 'rahul debnath'],
    ['মোহাম্মদ', 'mohammad'],
    ['লক্ষ্মী', 'lakshmi'],
    ['সুমাইয়া খাতুন', 'sumaiya khatun'],
    ['প্রশান্ত', 'prashanta'],
    ['সরকার', 'sarkar'],
    ['মজুমদার', 'majumdar'],
    ['চট্টোপাধ্যায়', 'chattopadhyay'],
    ['ভট্টাচার্য', 'bhattacharya'],
    ['বিজয়', 'bijay'],
    ['নারায়ণ', 'narayan'],
    // Bengali spelling conventions: য = j, ba-phala = w, ওয় = w, initial ইয় = y, ফ = f, ং = ng.
    ['যমুনা', 'jamuna'],
    ['সত্য', 'satya'],
    ['বিশ্বাস', 'bishwas'],
    ['পাসওয়ান', 'paswan'],
    ['ইয়াসমিন', 'yasmin'],
    ['ফাতেমা', 'fatema'],
    ['বাংলা', 'bangla'],
    ['সৎ', 'sat'],
    // Assamese ৰ ৱ.
    ['ৰাজু', 'raju'],
    ['ৱাহিদ', 'wahid'],
    // Devanagari (Hindi, Nepali).
    ['राहुल', 'rahul'],
    ['श्याम थापा', 'shyam thapa'],
    ['चटर्जी', 'chatarji'],
    ['कृष्ण', 'krishna'],
    ['प्रशांत', 'prashant'],
    ['कमला', 'kamla'],
    ['पासवान', 'paswan'],
    ['सिंह', 'singh'],
    ['गंगा', 'ganga'],
    ['चंपा', 'champa'],
    ['तामाङ', 'tamang'],
    ['पङ्कज', 'pankaj'],
    ['ज़ाकिर', 'zakir'],
    ['बड़ा', 'bara'],
    ['पढ़ाई', 'parhai'],
    ['डॉक्टर', 'doktar'],
    ['ज्ञान', 'gyan'],
    ['कान्छी', 'kanchhi'],
    // Latin: lower case, diacritics and punctuation gone, words kept (honorifics too).
    ['Md. Rafiqul ISLAM', 'md rafiqul islam'],
    ['Rāhul Śarmā', 'rahul sharma'],
    ["D'Souza", 'dsouza'],
    ['S/O Abdul', 's o abdul'],
    // Mixed scripts and danda.
    ['রাহুলDas', 'rahul das'],
    ['राम। श्याम', 'ram shyam'],
  ])('%s → %s', (written, latin) => {
    expect(toLatin(written)).toBe(latin);
  });

  it('gives the same Latin for decomposed and precomposed nukta letters', () => {
    expect(toLatin('\u095b\u093e\u0915\u093f\u0930')).toBe(toLatin('\u091c\u093c\u093e\u0915\u093f\u0930'));
    expect(toLatin('\u09aa\u09be\u09df')).toBe(toLatin('\u09aa\u09be\u09af\u09bc'));
  });

  it('drops scripts it cannot transliterate instead of leaking them', () => {
    expect(toLatin('Rahul محمد')).toBe('rahul');
    expect(toLatin('')).toBe('');
  });
});
