// Where a missing child is found when not found at home: the cross-border trafficking and
// migration corridors documented for the region (Bangladesh's south-west into North 24 Parganas
// and Kolkata, eastern Nepal into Darjeeling, Jalpaiguri and Purnia, Banke into Bahraich,
// Rupandehi into Maharajganj, Bagmati to Delhi and Mumbai) and the in-country routes to the big
// cities (Assam and Jharkhand to Delhi and Mumbai, Bihar to Kolkata). A destination `*` is any
// district of that state, by the state's own weights.
import type { Weighted } from '../random.ts';
import { type CountryCode, type Place, place, regionNamed } from './places.ts';

interface RouteRule {
  readonly country: CountryCode;
  /** The rule applies to these states, or to these districts when given. */
  readonly states?: readonly string[];
  readonly districts?: readonly string[];
  /** `Country/State/District`; District may be `*`. */
  readonly to: readonly (readonly [string, number])[];
}

const DELHI = 'IN/Delhi/*';
const MUMBAI = 'IN/Maharashtra/Mumbai Suburban';
const MUMBAI_CITY = 'IN/Maharashtra/Mumbai City';

const RULES: readonly RouteRule[] = [
  {
    country: 'BD',
    districts: [
      'Satkhira',
      'Jashore',
      'Khulna',
      'Narail',
      'Bagerhat',
      'Jhenaidah',
      'Chuadanga',
      'Meherpur',
      'Kushtia',
    ],
    to: [
      ['IN/West Bengal/North 24 Parganas', 7],
      ['IN/West Bengal/Kolkata', 3],
      ['IN/West Bengal/Nadia', 3],
      ['IN/West Bengal/Howrah', 2],
      ['IN/West Bengal/South 24 Parganas', 1],
      [MUMBAI, 1],
      ['IN/Maharashtra/Thane', 0.5],
      ['IN/Maharashtra/Pune', 0.5],
      [DELHI, 0.5],
      ['BD/Dhaka/Dhaka', 1],
    ],
  },
  {
    country: 'BD',
    states: ['Rajshahi'],
    to: [
      ['IN/West Bengal/Murshidabad', 4],
      ['IN/West Bengal/Malda', 3],
      ['IN/West Bengal/Kolkata', 1],
      [MUMBAI_CITY, 0.5],
      ['BD/Dhaka/Dhaka', 1.5],
    ],
  },
  {
    country: 'BD',
    states: ['Rangpur'],
    to: [
      ['IN/West Bengal/Cooch Behar', 3],
      ['IN/West Bengal/Uttar Dinajpur', 2],
      ['IN/West Bengal/Jalpaiguri', 2],
      ['IN/Assam/Dhubri', 1],
      ['IN/West Bengal/Kolkata', 0.5],
      ['BD/Dhaka/Dhaka', 1.5],
    ],
  },
  {
    country: 'BD',
    states: ['Sylhet'],
    to: [
      ['IN/Assam/Karimganj', 3],
      ['IN/Assam/Cachar', 2],
      ['BD/Dhaka/Dhaka', 1],
    ],
  },
  {
    country: 'BD',
    states: ['Dhaka', 'Chattogram', 'Barishal', 'Mymensingh'],
    to: [
      ['BD/Dhaka/Dhaka', 4],
      ['BD/Chattogram/Chattogram', 1],
      ['BD/Dhaka/Narayanganj', 1],
      ['IN/West Bengal/North 24 Parganas', 1],
      ['IN/West Bengal/Kolkata', 1],
      [MUMBAI, 0.5],
    ],
  },
  {
    country: 'NP',
    districts: ['Jhapa', 'Ilam'],
    to: [
      ['IN/West Bengal/Darjeeling', 4],
      ['IN/West Bengal/Jalpaiguri', 3],
      ['IN/Bihar/Kishanganj', 1],
      ['NP/Bagmati/Kathmandu', 1],
      [DELHI, 1],
    ],
  },
  {
    country: 'NP',
    districts: ['Morang', 'Sunsari', 'Udayapur', 'Dhankuta'],
    to: [
      ['IN/Bihar/Araria', 3],
      ['IN/Bihar/Purnia', 2],
      ['IN/Bihar/Kishanganj', 1],
      ['IN/Bihar/Katihar', 1],
      ['IN/West Bengal/Kolkata', 1],
      [DELHI, 1],
      ['NP/Bagmati/Kathmandu', 1],
    ],
  },
  {
    country: 'NP',
    districts: ['Parsa', 'Bara', 'Rautahat'],
    to: [
      ['IN/Bihar/East Champaran', 4],
      ['IN/Bihar/Sitamarhi', 1],
      [DELHI, 1],
      ['NP/Bagmati/Kathmandu', 1],
    ],
  },
  {
    country: 'NP',
    districts: ['Dhanusha', 'Mahottari', 'Siraha', 'Saptari', 'Sarlahi'],
    to: [
      ['IN/Bihar/Madhubani', 3],
      ['IN/Bihar/Sitamarhi', 3],
      ['IN/Bihar/Darbhanga', 1],
      ['IN/Bihar/Supaul', 1],
      [DELHI, 1],
      ['NP/Bagmati/Kathmandu', 1],
    ],
  },
  {
    country: 'NP',
    states: ['Bagmati', 'Gandaki', 'Karnali'],
    to: [
      ['NP/Bagmati/Kathmandu', 3],
      [DELHI, 2],
      [MUMBAI_CITY, 2],
      [MUMBAI, 1],
      ['IN/Maharashtra/Pune', 1],
      ['NP/Madhesh/Parsa', 1],
    ],
  },
  {
    country: 'NP',
    districts: ['Banke', 'Bardiya', 'Dang'],
    to: [
      ['IN/Uttar Pradesh/Bahraich', 4],
      ['IN/Uttar Pradesh/Shravasti', 1],
      ['IN/Uttar Pradesh/Lucknow', 1],
      [DELHI, 1],
      [MUMBAI, 1],
      ['NP/Bagmati/Kathmandu', 0.5],
    ],
  },
  {
    country: 'NP',
    districts: ['Rupandehi', 'Kapilvastu', 'Nawalparasi West'],
    to: [
      ['IN/Uttar Pradesh/Maharajganj', 4],
      ['IN/Uttar Pradesh/Siddharthnagar', 2],
      ['IN/Uttar Pradesh/Gorakhpur', 2],
      [DELHI, 1],
      [MUMBAI, 0.5],
    ],
  },
  {
    country: 'NP',
    states: ['Sudurpashchim'],
    to: [
      ['IN/Uttar Pradesh/Lakhimpur Kheri', 3],
      ['IN/Uttar Pradesh/Pilibhit', 2],
      [DELHI, 2],
    ],
  },
  {
    country: 'IN',
    states: ['Assam'],
    to: [
      [DELHI, 4],
      ['IN/Assam/Kamrup Metropolitan', 3],
      [MUMBAI, 2],
      ['IN/Uttar Pradesh/Gautam Buddh Nagar', 1],
      ['IN/Uttar Pradesh/Ghaziabad', 0.5],
      ['IN/West Bengal/Kolkata', 1],
    ],
  },
  {
    country: 'IN',
    states: ['Jharkhand'],
    to: [
      [DELHI, 5],
      ['IN/Jharkhand/Ranchi', 2],
      ['IN/Uttar Pradesh/Gautam Buddh Nagar', 1],
      ['IN/Uttar Pradesh/Ghaziabad', 1],
      [MUMBAI, 1],
      ['IN/West Bengal/Kolkata', 1],
      ['IN/West Bengal/Howrah', 0.5],
    ],
  },
  {
    country: 'IN',
    districts: ['Kishanganj', 'Purnia', 'Araria', 'Katihar'],
    to: [
      ['IN/West Bengal/Darjeeling', 1],
      ['IN/West Bengal/Kolkata', 2],
      ['IN/West Bengal/Howrah', 2],
      [DELHI, 3],
      [MUMBAI, 1],
      ['IN/Bihar/Patna', 1],
    ],
  },
  {
    country: 'IN',
    states: ['Bihar'],
    to: [
      ['IN/West Bengal/Kolkata', 2],
      ['IN/West Bengal/Howrah', 2],
      [DELHI, 3],
      [MUMBAI, 1.5],
      ['IN/Bihar/Patna', 2],
      ['IN/Uttar Pradesh/Gautam Buddh Nagar', 0.5],
    ],
  },
  {
    country: 'IN',
    states: ['Odisha'],
    to: [
      [DELHI, 2],
      ['IN/Odisha/Khordha', 2],
      [MUMBAI, 1],
      ['IN/Maharashtra/Thane', 0.5],
      ['IN/Maharashtra/Pune', 0.5],
      ['IN/West Bengal/Kolkata', 0.5],
    ],
  },
  {
    country: 'IN',
    districts: ['Jalpaiguri', 'Alipurduar', 'Darjeeling', 'Cooch Behar'],
    to: [
      [DELHI, 3],
      ['IN/West Bengal/Darjeeling', 2],
      ['IN/West Bengal/Kolkata', 1],
      [MUMBAI, 1],
      ['IN/Assam/Kamrup Metropolitan', 0.5],
    ],
  },
  {
    country: 'IN',
    states: ['West Bengal'],
    to: [
      ['IN/West Bengal/Kolkata', 3],
      ['IN/West Bengal/Howrah', 1],
      [DELHI, 2],
      [MUMBAI, 2],
      ['IN/Maharashtra/Pune', 1],
      ['IN/Maharashtra/Thane', 1],
    ],
  },
  {
    country: 'IN',
    states: ['Uttar Pradesh'],
    to: [
      [DELHI, 4],
      ['IN/Uttar Pradesh/Ghaziabad', 1],
      ['IN/Uttar Pradesh/Gautam Buddh Nagar', 1],
      [MUMBAI, 2],
      ['IN/Uttar Pradesh/Lucknow', 1],
    ],
  },
  {
    country: 'IN',
    states: ['Delhi'],
    to: [
      [DELHI, 4],
      ['IN/Uttar Pradesh/Ghaziabad', 1],
      ['IN/Uttar Pradesh/Gautam Buddh Nagar', 1],
      [MUMBAI, 1],
    ],
  },
  {
    country: 'IN',
    states: ['Maharashtra'],
    to: [
      [MUMBAI_CITY, 2],
      [MUMBAI, 2],
      ['IN/Maharashtra/Thane', 2],
      ['IN/Maharashtra/Pune', 2],
      [DELHI, 0.5],
    ],
  },
];

/** A destination: one district, or `*` for a district of the state drawn by the state's weights. */
export type Destination = { readonly place: Place } | { readonly anyDistrictOf: Place['region'] };

function destination(target: string): Destination {
  const [country, state, district] = target.split('/') as [CountryCode, string, string];
  if (district === '*') return { anyDistrictOf: regionNamed(country, state) };
  const found = place(country, district);
  if (found.region.state !== state)
    throw new Error(`route target ${target}: ${district} is in ${found.region.state}`);
  return { place: found };
}

const RESOLVED = RULES.map((rule) => ({
  rule,
  to: rule.to.map(([target, weight]) => [destination(target), weight] as const) as Weighted<Destination>,
}));
// Every named origin must exist, so a typo cannot silently disable a route.
for (const { rule } of RESOLVED) {
  for (const district of rule.districts ?? []) place(rule.country, district);
  for (const state of rule.states ?? []) regionNamed(rule.country, state);
}

/** The corridors out of `home`: a district rule first, else its state's, else none. */
export function routesFrom(home: Place): Weighted<Destination> | undefined {
  const { country } = home.region;
  const byDistrict = RESOLVED.find(
    ({ rule }) => rule.country === country && rule.districts?.includes(home.district.name),
  );
  if (byDistrict) return byDistrict.to;
  return RESOLVED.find(({ rule }) => rule.country === country && rule.states?.includes(home.region.state))
    ?.to;
}
