import { describe, expect, it } from 'vitest';
import { isPetName, latinName, parseName, surnameClass, toLatin } from './index.ts';

const latins = (written: string) => parseName(written).map((token) => token.latin);

describe('parseName', () => {
  it('keeps the words of a name in written order with their keys', () => {
    expect(parseName('Rahul Devnath')).toEqual([
      { written: 'Rahul', latin: 'rahul', phonetic: 'rahal', surnameClass: undefined, petName: false },
      { written: 'Devnath', latin: 'devnath', phonetic: 'dibnat', surnameClass: 'debnath', petName: false },
    ]);
    expect(latins('Debnath Rahul')).toEqual(['debnath', 'rahul']);
  });

  it('gives the same keys for a name in Bengali script and in Latin', () => {
    const [given, family] = parseName('রাহুল দেবনাথ');
    expect(given?.written).toBe('রাহুল');
    expect(given?.phonetic).toBe(parseName('Rahul')[0]?.phonetic);
    expect(family?.surnameClass).toBe('debnath');
  });

  it.each([
    ['Md. Rafiqul Islam', ['rafiqul', 'islam']],
    ['MD RAFIQUL ISLAM', ['rafiqul', 'islam']],
    ['Md.Rafiqul Islam', ['rafiqul', 'islam']],
    ['মোঃ রফিকুল ইসলাম', ['rafikul', 'islam']],
    ['মো: রফিকুল ইসলাম', ['rafikul', 'islam']],
    ['Mohammad Rafiqul Islam', ['rafiqul', 'islam']],
    ['Mst. Rina Khatun', ['rina', 'khatun']],
    ['মোছাঃ রিনা খাতুন', ['rina', 'khatun']],
    ['Sri Ram Das', ['ram', 'das']],
    ['Shri Ram Das', ['ram', 'das']],
    ['শ্রী রাম দাস', ['ram', 'das']],
    ['श्री राम दास', ['ram', 'das']],
    ['Smt. Sunita Devi', ['sunita', 'devi']],
    ['श्रीमती सुनीता देवी', ['sunita', 'devi']],
    ['Late Ramesh Yadav', ['ramesh', 'yadav']],
    ['स्व. रमेश यादव', ['ramesh', 'yadav']],
    ['Master Rahul Das', ['rahul', 'das']],
    ['Baby Priya', ['priya']],
    ['Priya Kumari', ['priya']],
    ['कुमारी प्रिया', ['priya']],
    ['Rahul Kumar Das', ['rahul', 'das']],
    ['Ram Bahadur Thapa', ['ram', 'thapa']],
    ['Dr. A. K. Sen', ['a', 'k', 'sen']],
  ])('drops titles: %s', (written, expected) => {
    expect(latins(written)).toEqual(expected);
  });

  it.each([
    ['S/O Abdul', []],
    ['Karim S/O Abdul', ['karim']],
    ['Karim s/o. Abdul Malek', ['karim']],
    ['Rina D / O Ramesh', ['rina']],
    ['Rina W.O Ramesh', ['rina']],
    ['Rahul son of Ramesh Das', ['rahul']],
    ['Rahul, father: Ramesh', ['rahul']],
    ["Rahul, father's name Ramesh", ['rahul']],
    ['রহিম, পিতা: করিম', ['rahim']],
    ['রহিম পিং- করিম', ['rahim']],
    ['रमेश पुत्र श्री सुरेश', ['ramesh']],
    ['सीता पिता का नाम राम', ['sita']],
  ])('drops the relative a relational phrase names: %s', (written, expected) => {
    expect(latins(written)).toEqual(expected);
  });

  it('keeps both names around an alias marker', () => {
    expect(latins('Ramesh urf Guddu')).toEqual(['ramesh', 'guddu']);
    expect(latins('रमेश उर्फ गुड्डू')).toEqual(['ramesh', 'guddu']);
    expect(latins('রাহুল ওরফে বাপ্পা')).toEqual(['rahul', 'bappa']);
    expect(latins('Rahul (Bappa)')).toEqual(['rahul', 'bappa']);
  });

  it('keeps a weak title when it is the whole name', () => {
    expect(latins('Babu')).toEqual(['babu']);
    expect(latins('Md.')).toEqual(['md']);
    expect(latins('Baby Kumari')).toEqual(['baby', 'kumari']);
    expect(parseName('Mohammad')[0]?.phonetic).toBe(parseName('Md')[0]?.phonetic);
  });

  it('joins Arabic article particles to the next word', () => {
    expect(latins('Nasir Ud-Din')).toEqual(['nasir', 'uddin']);
    expect(latins('Nasir Ud Din')).toEqual(['nasir', 'uddin']);
  });

  it('returns nothing for empty or title-only text', () => {
    expect(parseName('')).toEqual([]);
    expect(parseName('  Mr. ')).toEqual([]);
    expect(parseName('123')).toEqual([]);
  });

  it('marks pet names', () => {
    expect(parseName('Bappa').map((token) => token.petName)).toEqual([true]);
    expect(parseName('Rahul (Bappa)').map((token) => token.petName)).toEqual([false, true]);
  });
});

describe('surnameClass', () => {
  it.each([
    ['chattopadhyay', 'chatterjee'],
    ['chatterji', 'chatterjee'],
    ['bandyopadhyay', 'banerjee'],
    ['mukhopadhyay', 'mukherjee'],
    ['gangopadhyay', 'ganguly'],
    ['devnath', 'debnath'],
    ['sk', 'sheikh'],
    ['shaikh', 'sheikh'],
    ['khatoon', 'khatun'],
    ['ghose', 'ghosh'],
    ['basu', 'bose'],
    ['ray', 'roy'],
    ['rai', 'roy'],
    ['sircar', 'sarkar'],
    ['mandal', 'mondal'],
    ['chaudhuri', 'choudhury'],
    ['mazumdar', 'majumdar'],
    ['paul', 'pal'],
    ['shaha', 'saha'],
    ['bhattacharjee', 'bhattacharya'],
    ['Thapa', 'thapa'],
  ])('%s → %s', (spelling, id) => {
    expect(surnameClass(spelling)).toBe(id);
  });

  it.each([
    ['চটর্জী', 'chatterjee'],
    ['चटर्जी', 'chatterjee'],
    ['চট্টোপাধ্যায়', 'chatterjee'],
    ['ব্যানার্জী', 'banerjee'],
    ['বন্দ্যোপাধ্যায়', 'banerjee'],
    ['মুখার্জী', 'mukherjee'],
    ['খাতুন', 'khatun'],
    ['থাপা', 'thapa'],
    ['थापा', 'thapa'],
    ['চৌধুরী', 'choudhury'],
    ['মণ্ডল', 'mondal'],
    ['রায়', 'roy'],
    ['बिस्वास', 'biswas'],
    ['বিশ্বাস', 'biswas'],
  ])('script spelling %s → %s', (written, id) => {
    expect(surnameClass(toLatin(written))).toBe(id);
  });

  it('keeps different families apart', () => {
    expect(surnameClass('das')).not.toBe(surnameClass('dey'));
    expect(surnameClass('saha')).not.toBe(surnameClass('shah'));
    expect(surnameClass('sen')).not.toBe(surnameClass('singh'));
    expect(surnameClass('rahul')).toBeUndefined();
    expect(surnameClass('ria')).toBeUndefined();
    expect(surnameClass('hasan')).toBeUndefined();
  });
});

describe('isPetName', () => {
  it.each(['bappa', 'montu', 'kanchhi', 'kancha', 'guddu', 'pinky', 'chhotu', 'munna', 'tuktuk', 'khokon'])(
    '%s is a pet name',
    (name) => {
      expect(isPetName(name)).toBe(true);
    },
  );

  it('knows other spellings and script forms of pet names', () => {
    expect(isPetName('pinkey')).toBe(true);
    expect(isPetName('guddoo')).toBe(true);
    expect(isPetName(toLatin('মন্টু'))).toBe(true);
    expect(isPetName(toLatin('छोटू'))).toBe(true);
    expect(isPetName(toLatin('কান্ছি'))).toBe(true);
  });

  it.each(['rahul', 'sumaiya', 'lakshmi', 'mohammad', 'debnath'])('%s is not a pet name', (name) => {
    expect(isPetName(name)).toBe(false);
  });
});

describe('latinName', () => {
  it('joins the kept tokens in written order', () => {
    expect(latinName('Md. Rafiqul Islam S/O Abdul')).toBe('rafiqul islam');
    expect(latinName('রাহুল দেবনাথ')).toBe('rahul debnath');
    expect(latinName('')).toBe('');
  });
});
