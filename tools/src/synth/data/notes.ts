// Free-text notes officers add to reports: how a child went missing, how and where a child was
// found. Mostly English, some in the office language. Written for this benchmark only.
import type { MarkLanguage } from './marks.ts';

/** `{place}` is a landmark or the district; `{city}` a big city; `{home}` the child's home district. */
export const MISSING_NOTES: Readonly<Record<MarkLanguage, readonly string[]>> = {
  en: [
    'Last seen near {place} on the way to school.',
    'Left home with a neighbour who promised work in {city}.',
    'Went to the market and did not return.',
    'Left for tuition in the evening and did not come back.',
    'Family says the child may have gone with a relative to {city}.',
    'Was wearing {clothes} when last seen.',
    'Last seen at {place}.',
    'Left home after a quarrel with the father.',
  ],
  bn: [
    'স্কুলে যাওয়ার পথে নিখোঁজ।',
    'বাজারে গিয়ে আর ফেরেনি।',
    'প্রতিবেশীর সঙ্গে কাজের খোঁজে {city} গিয়েছে বলে সন্দেহ।',
    'শেষ দেখা গেছে {place}।',
  ],
  as: ['বিদ্যালয়লৈ যাওঁতে হেৰাই গ’ল।', 'বজাৰলৈ গৈ উভতি নাহিল।', 'শেষবাৰ {place}ত দেখা গৈছিল।'],
  hi: [
    'स्कूल जाते समय लापता।',
    'बाज़ार गया/गई था, वापस नहीं लौटा।',
    'पड़ोसी के साथ काम के लिए {city} जाने का शक।',
    'आख़िरी बार {place} के पास देखा गया।',
  ],
  ne: ['विद्यालय जाँदा हराएको।', 'काम दिलाउने भन्दै एक जनासँग {city} गएको आशंका।', 'अन्तिम पटक {place} मा देखिएको।'],
};

export const FOUND_NOTES: Readonly<Record<MarkLanguage, readonly string[]>> = {
  en: [
    'Found alone at {place}.',
    'Rescued by RPF at {place}.',
    'Rescued from a {workplace} by AHTU.',
    'Intercepted near {place}; travelling with an adult who could not explain the relationship.',
    'Brought to the police station by a shopkeeper near {place}.',
    'Handed over by Childline, found near {place}.',
    'Child was crying near {place}; could not say the address.',
  ],
  bn: ['{place} থেকে একা উদ্ধার।', '{place}-এ কাঁদতে দেখে পুলিশের হাতে তুলে দেওয়া হয়।'],
  as: ['{place}ত অকলে পোৱা গ’ল।'],
  hi: ['{place} पर अकेला/अकेली मिला/मिली।', '{place} से RPF ने छुड़ाया।', 'एक {workplace} से मुक्त कराया गया।'],
  ne: ['{place} मा एक्लै फेला परेको।', '{place} नजिक उद्धार गरिएको।'],
};

/** What a rescued child said of home: a hint an engine may or may not use. */
export const HOME_HINTS: Readonly<Record<MarkLanguage, readonly string[]>> = {
  en: [
    'Child says home is near {home}.',
    'Says the village is in {home}.',
    'Mentions {home} when asked about home.',
  ],
  bn: ['বলছে বাড়ি {home}-এ।'],
  as: ['ঘৰ {home}ত বুলি কয়।'],
  hi: ['बच्चा बताता है कि घर {home} में है।'],
  ne: ['घर {home} मा भएको बताउँछ।'],
};

export const WORKPLACES = [
  'brick kiln',
  'roadside dhaba',
  'garment unit',
  'zari workshop',
  'bangle factory',
  'household (domestic work)',
  'tea stall',
  'hotel',
];

export const CLOTHES = [
  'a red frock',
  'blue school uniform',
  'a green T-shirt and black shorts',
  'a yellow salwar kameez',
  'a checked lungi',
  'a white shirt and grey trousers',
  'a pink kurta',
  'a black jacket',
];

export const CITIES = [
  'Kolkata',
  'Delhi',
  'Mumbai',
  'Dhaka',
  'Kathmandu',
  'Pune',
  'Bangalore',
  'Chennai',
  'Surat',
];

export const LANGUAGE_NAMES: Readonly<Record<string, string>> = {
  bn: 'Bengali',
  hi: 'Hindi',
  ne: 'Nepali',
  as: 'Assamese',
  or: 'Odia',
  mr: 'Marathi',
  ur: 'Urdu',
  sat: 'Santali',
  kru: 'Kurukh',
  unr: 'Mundari',
  bho: 'Bhojpuri',
  mai: 'Maithili',
  en: 'English',
};
