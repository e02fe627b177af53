// Identifying marks and how officers write them: the same mole is "mole on left cheek", "left
// cheek mole", "বাঁ গালে তিল" or "बाएं गाल पर तिल" depending on who writes the report. A mark is a
// kind and (for most kinds) a place on the body; each language has its own phrasings of both.
// Written for this benchmark only.
import type { Random } from '../random.ts';

export type MarkLanguage = 'en' | 'bn' | 'as' | 'hi' | 'ne';
type Phrases = Readonly<Record<MarkLanguage, readonly string[]>>;

type Side = 'left' | 'right';
interface BodyPart {
  readonly id: string;
  readonly sided: boolean;
  /** English noun, then the locative ("on the cheek") in each other language, without the side. */
  readonly en: string;
  readonly bn: string;
  readonly as: string;
  readonly hi: string;
  readonly ne: string;
  /** Hindi side adjectives agree with the part's gender. */
  readonly hiFeminine?: boolean;
}

const PARTS: readonly BodyPart[] = [
  { id: 'cheek', sided: true, en: 'cheek', bn: 'গালে', as: 'গালত', hi: 'गाल पर', ne: 'गालामा' },
  { id: 'hand', sided: true, en: 'hand', bn: 'হাতে', as: 'হাতত', hi: 'हाथ पर', ne: 'हातमा' },
  { id: 'arm', sided: true, en: 'arm', bn: 'বাহুতে', as: 'বাহুত', hi: 'बांह पर', ne: 'पाखुरामा', hiFeminine: true },
  { id: 'leg', sided: true, en: 'leg', bn: 'পায়ে', as: 'ভৰিত', hi: 'पैर पर', ne: 'खुट्टामा' },
  { id: 'knee', sided: true, en: 'knee', bn: 'হাঁটুতে', as: 'আঁঠুত', hi: 'घुटने पर', ne: 'घुँडामा' },
  {
    id: 'eye',
    sided: true,
    en: 'eyebrow',
    bn: 'ভুরুর ওপরে',
    as: 'ভ্ৰুৰ ওপৰত',
    hi: 'भौंह के ऊपर',
    ne: 'आँखीभौं माथि',
    hiFeminine: true,
  },
  { id: 'forehead', sided: false, en: 'forehead', bn: 'কপালে', as: 'কপালত', hi: 'माथे पर', ne: 'निधारमा' },
  { id: 'chin', sided: false, en: 'chin', bn: 'থুতনিতে', as: 'থুতৰিত', hi: 'ठुड्डी पर', ne: 'चिउँडोमा' },
  { id: 'neck', sided: false, en: 'neck', bn: 'গলায়', as: 'ডিঙিত', hi: 'गर्दन पर', ne: 'घाँटीमा' },
  { id: 'back', sided: false, en: 'back', bn: 'পিঠে', as: 'পিঠিত', hi: 'पीठ पर', ne: 'ढाडमा' },
  { id: 'nose', sided: false, en: 'nose', bn: 'নাকে', as: 'নাকত', hi: 'नाक पर', ne: 'नाकमा' },
  { id: 'stomach', sided: false, en: 'stomach', bn: 'পেটে', as: 'পেটত', hi: 'पेट पर', ne: 'पेटमा' },
];

const SIDES: Readonly<Record<Side, Phrases & { hiFeminine: readonly string[] }>> = {
  left: {
    en: ['left'],
    bn: ['বাঁ', 'বাম'],
    as: ['বাওঁ'],
    hi: ['बाएं', 'बायें', 'बाएँ'],
    hiFeminine: ['बाईं', 'बायीं'],
    ne: ['देब्रे'],
  },
  right: {
    en: ['right'],
    bn: ['ডান'],
    as: ['সোঁ'],
    hi: ['दाएं', 'दाहिने', 'दायें'],
    hiFeminine: ['दाईं', 'दाहिनी'],
    ne: ['दाहिने'],
  },
};

interface MarkKind {
  readonly id: string;
  /** Body parts this kind of mark is found on; none for marks without a place (a missing tooth). */
  readonly parts: readonly string[];
  readonly phrases: Phrases;
}

const KINDS: readonly MarkKind[] = [
  {
    id: 'mole',
    parts: ['cheek', 'forehead', 'chin', 'neck', 'nose', 'eye', 'back', 'hand'],
    phrases: {
      en: ['mole', 'black mole', 'small mole'],
      bn: ['তিল', 'কালো তিল'],
      as: ['তিল'],
      hi: ['तिल', 'काला तिल'],
      ne: ['कोठी', 'तिल'],
    },
  },
  {
    id: 'burn',
    parts: ['hand', 'arm', 'leg', 'back', 'stomach', 'neck'],
    phrases: {
      en: ['burn scar', 'burn mark', 'old burn mark'],
      bn: ['পোড়া দাগ', 'পোড়ার দাগ'],
      as: ['পোৰা দাগ'],
      hi: ['जलने का निशान', 'जले का निशान'],
      ne: ['पोलेको दाग', 'पोलेको खत'],
    },
  },
  {
    id: 'cut',
    parts: ['forehead', 'chin', 'hand', 'leg', 'knee', 'eye', 'arm'],
    phrases: {
      en: ['cut mark', 'scar', 'stitch mark'],
      bn: ['কাটা দাগ', 'সেলাইয়ের দাগ'],
      as: ['কটা দাগ'],
      hi: ['कटे का निशान', 'चोट का निशान', 'टांके का निशान'],
      ne: ['काटेको दाग', 'चोटको खत'],
    },
  },
  {
    id: 'birthmark',
    parts: ['neck', 'back', 'arm', 'leg', 'cheek', 'stomach'],
    phrases: {
      en: ['birthmark', 'birth mark', 'dark birthmark'],
      bn: ['জন্মদাগ', 'জন্ম দাগ'],
      as: ['জন্মদাগ'],
      hi: ['जन्म का निशान', 'जन्मजात निशान'],
      ne: ['जन्मचिन्ह', 'जन्मदाग'],
    },
  },
  {
    id: 'tattoo',
    parts: ['hand', 'arm'],
    phrases: {
      en: ['tattoo', 'small tattoo'],
      bn: ['উল্কি', 'ট্যাটু'],
      as: ['টেটু'],
      hi: ['गोदना', 'टैटू'],
      ne: ['ट्याटु'],
    },
  },
  {
    id: 'white-patch',
    parts: ['hand', 'leg', 'neck', 'forehead', 'cheek'],
    phrases: {
      en: ['white patch', 'white spot'],
      bn: ['সাদা দাগ', 'শ্বেতির দাগ'],
      as: ['বগা দাগ'],
      hi: ['सफ़ेद दाग', 'सफेद धब्बा'],
      ne: ['सेतो दाग'],
    },
  },
  {
    id: 'six-fingers',
    parts: ['hand'],
    phrases: {
      en: ['six fingers', 'extra finger'],
      bn: ['ছয় আঙুল'],
      as: ['ছটা আঙুলি'],
      hi: ['छह उंगलियां'],
      ne: ['छ औंला'],
    },
  },
  {
    id: 'front-tooth',
    parts: [],
    phrases: {
      en: ['missing front tooth', 'one front tooth missing', 'broken front tooth'],
      bn: ['সামনের একটা দাঁত নেই', 'সামনের দাঁত ভাঙা'],
      as: ['আগফালৰ এটা দাঁত নাই'],
      hi: ['आगे का एक दांत टूटा है', 'सामने का दांत नहीं है'],
      ne: ['अगाडिको एउटा दाँत छैन', 'अगाडिको दाँत भाँचिएको'],
    },
  },
  {
    id: 'squint',
    parts: [],
    phrases: {
      en: ['squint in one eye', 'cross-eyed', 'squint'],
      bn: ['ট্যারা চোখ', 'চোখ ট্যারা'],
      as: ['টেৰা চকু'],
      hi: ['एक आंख में भेंगापन', 'भेंगी आंख'],
      ne: ['डेढो आँखा'],
    },
  },
  {
    id: 'stammer',
    parts: [],
    phrases: {
      en: ['stammers', 'stutters when speaking'],
      bn: ['তোতলা', 'কথা বলতে আটকে যায়'],
      as: ['কথা ক’লে আটকি যায়'],
      hi: ['बोलने में हकलाहट', 'हकलाकर बोलना'],
      ne: ['बोल्दा अड्किन्छ'],
    },
  },
  {
    id: 'pierced-nose',
    parts: [],
    phrases: {
      en: ['nose pierced', 'pierced nose', 'nose ring hole'],
      bn: ['নাক ফোঁড়ানো'],
      as: ['নাক বিন্ধোৱা'],
      hi: ['नाक छिदी हुई', 'नाक में छेद'],
      ne: ['नाक छेडेको'],
    },
  },
];

/** A mark on a child: what it is and where. Stable across reports; only the wording differs. */
export interface Mark {
  readonly kind: string;
  readonly part?: string;
  readonly side?: Side;
}

const kindById = new Map(KINDS.map((kind) => [kind.id, kind]));
const partById = new Map(PARTS.map((part) => [part.id, part]));

/** Draws a mark; moles, scars and burns are the commonest, as in real registers. */
export function drawMark(random: Random, sex: 'female' | 'male'): Mark {
  const kind = random.weighted<MarkKind>([
    [KINDS[0] as MarkKind, 10],
    [KINDS[1] as MarkKind, 5],
    [KINDS[2] as MarkKind, 7],
    [KINDS[3] as MarkKind, 4],
    [KINDS[4] as MarkKind, 1],
    [KINDS[5] as MarkKind, 1.5],
    [KINDS[6] as MarkKind, 0.3],
    [KINDS[7] as MarkKind, 2],
    [KINDS[8] as MarkKind, 1],
    [KINDS[9] as MarkKind, 1],
    [KINDS[10] as MarkKind, sex === 'female' ? 3 : 0.1],
  ]);
  if (kind.parts.length === 0) return { kind: kind.id };
  const part = partById.get(random.pick(kind.parts)) as BodyPart;
  return part.sided
    ? { kind: kind.id, part: part.id, side: random.chance(0.5) ? 'left' : 'right' }
    : { kind: kind.id, part: part.id };
}

export function sameMark(a: Mark, b: Mark): boolean {
  return a.kind === b.kind && a.part === b.part && a.side === b.side;
}

/** The mark as one officer would write it in `language`; `random` picks among the phrasings. */
export function describeMark(mark: Mark, language: MarkLanguage, random: Random): string {
  const kind = kindById.get(mark.kind);
  if (!kind) throw new Error(`unknown mark kind ${mark.kind}`);
  const what = random.pick(kind.phrases[language]);
  const part = mark.part === undefined ? undefined : partById.get(mark.part);
  if (!part) return capitaliseFirst(what, language, random);
  if (language === 'en') {
    const where = mark.side ? `${mark.side} ${part.en}` : part.en;
    const phrasing = random.int(0, 4);
    if (phrasing === 0) return `${what} on ${where}`;
    if (phrasing === 1) return `${what} on the ${where}`;
    if (phrasing === 2) return `${where} ${what}`;
    if (phrasing === 3) return `${capitalise(what)}, ${where}`;
    return `${what} (${where})`;
  }
  const side = mark.side
    ? random.pick(
        language === 'hi' && part.hiFeminine ? SIDES[mark.side].hiFeminine : SIDES[mark.side][language],
      )
    : undefined;
  const where = side ? `${side} ${part[language]}` : part[language];
  return `${where} ${what}`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function capitaliseFirst(text: string, language: MarkLanguage, random: Random): string {
  return language === 'en' && random.chance(0.5) ? capitalise(text) : text;
}

/** A mark as a careless or hurried officer gets it: left and right swapped. */
export function mirrored(mark: Mark): Mark {
  if (!mark.side) return mark;
  return { ...mark, side: mark.side === 'left' ? 'right' : 'left' };
}
