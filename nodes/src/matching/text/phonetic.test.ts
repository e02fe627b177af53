import { describe, expect, it } from 'vitest';
import { phoneticKey, toLatin } from './index.ts';

/** Phonetic key of a written word in any script. */
const key = (written: string) => phoneticKey(toLatin(written));

describe('phoneticKey', () => {
  it.each([
    ['রাহুল', 'Rahul'],
    ['দেবনাথ', 'Devnath'],
    ['Debnath', 'Devnath'],
    ['মোহাম্মদ', 'Mohammed'],
    ['Mohammad', 'Muhammad'],
    ['Md', 'Mohammad'],
    ['লক্ষ্মী', 'Lakshmi'],
    ['Lakshmi', 'Laxmi'],
    ['चटर्जी', 'Chatterjee'],
    ['সুমাইয়া', 'Sumaiya'],
    ['Sumaiya', 'Sumaya'],
    ['খাতুন', 'Khatoon'],
    ['श्याम', 'Shyam'],
    ['थापा', 'Thapa'],
    ['ৰাজু', 'Raju'],
    ['বিজয়', 'Vijay'],
    ['Bijoy', 'Bijay'],
    ['বিশ্বাস', 'Biswas'],
    ['Chowdhury', 'Chaudhary'],
    ['Reena', 'Rina'],
    ['Hossain', 'Hussain'],
    ['Ahmed', 'Ahmad'],
    ['Sheikh', 'Shaikh'],
    ['Sk', 'Sheikh'],
    ['Pinky', 'Pinki'],
    ['মন্টু', 'Montu'],
    ['Guddu', 'Gudu'],
    ['गुड्डू', 'Guddu'],
    ['Bappa', 'বাপ্পা'],
    ['सिंह', 'Singh'],
    ['সুব্রত', 'Subrata'],
    ['Rajeev', 'Rajib'],
    ['कान्छी', 'Kanchhi'],
    // A y between vowels is a glide one scheme writes and another leaves out.
    ['Ayesha', 'Aisha'],
    ['Nayak', 'Naik'],
    ['গায়েন', 'Gain'],
    ['Priyanka', 'Prianka'],
    ['नाजिया', 'Nazia'],
    ['মরিয়ম', 'Moriom'],
    ['Nayeem', 'नाईम'],
  ])('%s and %s agree', (a, b) => {
    expect(key(a)).not.toBe('');
    expect(key(a)).toBe(key(b));
  });

  it.each([
    ['Rahul', 'Rohit'],
    ['Das', 'Dey'],
    ['Lakshmi', 'Laila'],
    ['Mohammad', 'Mahmud'],
    ['Sen', 'Singh'],
    ['Hossain', 'Hasan'],
    ['Rina', 'Rani'],
    ['Babu', 'Baba'],
    ['Mina', 'Mini'],
  ])('%s and %s differ', (a, b) => {
    expect(key(a)).not.toBe(key(b));
  });

  it('gives known keys', () => {
    expect(phoneticKey('mohammad')).toBe('mahamad');
    expect(phoneticKey('chatterjee')).toBe('catarji');
    expect(phoneticKey('lakshmi')).toBe('laksmi');
    expect(phoneticKey('roy')).toBe('ri');
  });

  it('is empty for empty input and keys each word of a phrase', () => {
    expect(phoneticKey('')).toBe('');
    expect(phoneticKey('north dinajpur')).toBe(`${phoneticKey('north')} ${phoneticKey('dinajpur')}`);
  });
});

describe('phonetic key: spellings across scripts', () => {
  it('reads a final "oo" as u and a word-initial y as the Bengali/Assamese য (j)', () => {
    expect(phoneticKey('sahoo')).toBe(phoneticKey('sahu'));
    expect(phoneticKey('yadav')).toBe(phoneticKey('jadab'));
    expect(phoneticKey('yasmin')).toBe(phoneticKey('jasmin'));
    // Not a y inside a word: Sumaiya keeps its y.
    expect(phoneticKey('sumaiya')).not.toBe(phoneticKey('sumaija'));
  });
});
