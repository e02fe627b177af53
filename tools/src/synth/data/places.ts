// Where the benchmark's children live and are found: Indian states, Bangladeshi divisions and
// Nepali provinces with real district names, how many missing children each sends (a relative
// weight, highest in known source districts), which communities live there, and places where
// children are picked up (stations, border posts) for the found reports' notes.
// One district per line:  `Name/Old or other spelling | native-script name | weight | landmarks; … | mix`
// where mix (optional) overrides the region's communities: `bengali-muslim:55,bengali-hindu:45`.
import type { Weighted } from '../random.ts';
import type { TraditionId } from './traditions.ts';

export type CountryCode = 'IN' | 'BD' | 'NP';
/** How a region's officers write names: Latin, Bengali, Assamese, or Devanagari script. */
export type Script = 'latin' | 'bengali' | 'assamese' | 'devanagari';
/** Language a region's officers write marks and notes in besides English. */
export type OfficeLanguage = 'bn' | 'as' | 'hi' | 'ne' | 'en';

export interface District {
  readonly name: string;
  readonly spellings: readonly string[];
  readonly native?: string;
  readonly weight: number;
  readonly landmarks: readonly string[];
  readonly traditions: Weighted<TraditionId>;
}

export interface Region {
  readonly country: CountryCode;
  readonly state: string;
  readonly stateSpellings: readonly string[];
  readonly script: Script;
  readonly officeLanguage: OfficeLanguage;
  /** Share of the benchmark's missing children who come from here (relative). */
  readonly weight: number;
  readonly districts: readonly District[];
}

function mix(text: string): Weighted<TraditionId> {
  return text.split(',').map((part) => {
    const [id, weight] = part.split(':');
    return [id as TraditionId, Number(weight)] as const;
  });
}

function region(
  head: Omit<Region, 'districts' | 'stateSpellings'> & { stateSpellings?: string[] },
  traditions: string,
  table: string,
): Region {
  const districts = table
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line): District => {
      const [names = '', native = '-', weight = '1', landmarks = '', own = ''] = line
        .split('|')
        .map((cell) => cell.trim());
      const spellings = names.split('/').map((name) => name.trim());
      return {
        name: spellings[0] as string,
        spellings,
        ...(native !== '-' && native !== '' ? { native: native.normalize('NFC') } : {}),
        weight: Number(weight),
        landmarks: landmarks === '' ? [] : landmarks.split(';').map((place) => place.trim()),
        traditions: mix(own === '' ? traditions : own),
      };
    });
  return { stateSpellings: [head.state], ...head, districts };
}

export const REGIONS: readonly Region[] = [
  region(
    {
      country: 'IN',
      state: 'West Bengal',
      stateSpellings: ['West Bengal', 'WB', 'পশ্চিমবঙ্গ'],
      script: 'bengali',
      officeLanguage: 'bn',
      weight: 14,
    },
    'bengali-hindu:62,bengali-muslim:28,adivasi:4,nepali:3,hindi-hindu:3',
    `
    Kolkata/Calcutta | কলকাতা | 4 | Sealdah station; Esplanade bus stand; Kalighat
    Howrah | হাওড়া | 3 | Howrah station; Santragachi station
    North 24 Parganas/North 24 Pgs/N. 24 Parganas | উত্তর ২৪ পরগনা | 8 | Bongaon station; Petrapole border; Barasat; Basirhat
    South 24 Parganas/South 24 Pgs/S. 24 Parganas | দক্ষিণ ২৪ পরগনা | 8 | Canning station; Diamond Harbour; Baruipur
    Nadia | নদিয়া | 4 | Ranaghat station; Krishnanagar; Gede border
    Murshidabad | মুর্শিদাবাদ | 5 | Berhampore; Jangipur | bengali-muslim:62,bengali-hindu:36,adivasi:2
    Malda/Maldah | মালদা | 4 | Malda Town station | bengali-muslim:50,bengali-hindu:42,adivasi:5,hindi-hindu:3
    Darjeeling | দার্জিলিং | 3 | Siliguri bus terminus; Panitanki border; Siliguri Junction | nepali:50,bengali-hindu:30,adivasi:10,hindi-hindu:10
    Jalpaiguri | জলপাইগুড়ি | 4 | New Jalpaiguri station; tea garden | bengali-hindu:50,adivasi:25,nepali:12,bengali-muslim:13
    Alipurduar | আলিপুরদুয়ার | 2 | Hasimara; tea garden | bengali-hindu:45,adivasi:35,nepali:12,bengali-muslim:8
    Cooch Behar/Coochbehar/Koch Bihar | কোচবিহার | 3 | Dinhata | bengali-hindu:70,bengali-muslim:30
    Uttar Dinajpur/North Dinajpur | উত্তর দিনাজপুর | 3 | Raiganj; Islampur | bengali-muslim:50,bengali-hindu:42,hindi-hindu:8
    Hooghly/Hugli | হুগলি | 2 | Bandel station
    Purba Medinipur/East Midnapore | পূর্ব মেদিনীপুর | 2 | Haldia
    Paschim Medinipur/West Midnapore | পশ্চিম মেদিনীপুর | 2 | Kharagpur station
    Purulia | পুরুলিয়া | 2 | | bengali-hindu:75,adivasi:20,bengali-muslim:5
    Bankura | বাঁকুড়া | 2 | | bengali-hindu:85,adivasi:12,bengali-muslim:3
    Birbhum | বীরভূম | 2 | Bolpur | bengali-hindu:60,bengali-muslim:35,adivasi:5
    `,
  ),
  region(
    {
      country: 'IN',
      state: 'Assam',
      stateSpellings: ['Assam', 'অসম'],
      script: 'assamese',
      officeLanguage: 'as',
      weight: 6,
    },
    'assamese:58,bengali-muslim:20,adivasi:12,bengali-hindu:6,nepali:2,hindi-hindu:2',
    `
    Kamrup Metropolitan/Kamrup Metro/Guwahati | কামৰূপ মহানগৰ | 3 | Guwahati railway station; Paltan Bazaar; ISBT Guwahati
    Kamrup | কামৰূপ | 2
    Sonitpur | শোণিতপুৰ | 3 | Tezpur | assamese:50,adivasi:30,bengali-muslim:10,nepali:10
    Dibrugarh | ডিব্ৰুগড় | 2 | Dibrugarh station; tea garden | assamese:55,adivasi:40,hindi-hindu:5
    Tinsukia | তিনিচুকীয়া | 2 | tea garden | assamese:50,adivasi:40,hindi-hindu:10
    Jorhat | যোৰহাট | 2
    Nagaon/Nowgong | নগাঁও | 3 | | assamese:50,bengali-muslim:45,bengali-hindu:5
    Barpeta | বৰপেটা | 3 | | bengali-muslim:70,assamese:30
    Dhubri | ধুবুৰী | 3 | Dhubri ghat | bengali-muslim:80,assamese:10,bengali-hindu:10
    Kokrajhar | কোকৰাঝাৰ | 3 | | assamese:55,adivasi:25,bengali-muslim:20
    Cachar | কাছাৰ | 2 | Silchar | bengali-hindu:55,bengali-muslim:40,assamese:5
    Karimganj/Sribhumi | কৰিমগঞ্জ | 2 | | bengali-muslim:55,bengali-hindu:45
    Golaghat | গোলাঘাট | 2 | tea garden | assamese:60,adivasi:40
    Lakhimpur/North Lakhimpur | লখিমপুৰ | 2
    Udalguri | ওদালগুৰি | 2 | tea garden | assamese:50,adivasi:40,nepali:10
    `,
  ),
  region(
    {
      country: 'IN',
      state: 'Bihar',
      stateSpellings: ['Bihar', 'बिहार'],
      script: 'devanagari',
      officeLanguage: 'hi',
      weight: 10,
    },
    'hindi-hindu:80,hindi-muslim:18,adivasi:2',
    `
    Patna | पटना | 3 | Patna Junction; Mithapur bus stand
    Purnia/Purnea | पूर्णिया | 4 | Purnia bus stand | hindi-hindu:60,hindi-muslim:38,adivasi:2
    Katihar | कटिहार | 4 | Katihar Junction | hindi-hindu:55,hindi-muslim:42,adivasi:3
    Kishanganj | किशनगंज | 3 | Galgalia border | hindi-muslim:65,hindi-hindu:33,adivasi:2
    Araria | अररिया | 4 | Jogbani border | hindi-hindu:55,hindi-muslim:43,adivasi:2
    Muzaffarpur | मुज़फ़्फ़रपुर | 3 | Muzaffarpur Junction
    Darbhanga | दरभंगा | 2
    Madhubani | मधुबनी | 2 | Jaynagar border
    Sitamarhi | सीतामढ़ी | 3 | Bhitthamore border
    Gaya | गया | 3 | Gaya Junction
    Bhagalpur | भागलपुर | 2
    East Champaran/Purbi Champaran/Motihari | पूर्वी चंपारण | 3 | Raxaul border
    West Champaran/Pashchim Champaran/Bettiah | पश्चिमी चंपारण | 2
    Saharsa | सहरसा | 2
    Supaul | सुपौल | 2 | Bhimnagar border
    `,
  ),
  region(
    {
      country: 'IN',
      state: 'Jharkhand',
      stateSpellings: ['Jharkhand', 'झारखंड'],
      script: 'devanagari',
      officeLanguage: 'hi',
      weight: 7,
    },
    'adivasi:45,hindi-hindu:45,hindi-muslim:10',
    `
    Ranchi | रांची | 3 | Ranchi railway station; Khadgarha bus stand
    Gumla | गुमला | 4 | | adivasi:70,hindi-hindu:25,hindi-muslim:5
    Simdega | सिमडेगा | 3 | | adivasi:75,hindi-hindu:22,hindi-muslim:3
    Khunti | खूंटी | 3 | | adivasi:75,hindi-hindu:22,hindi-muslim:3
    Lohardaga | लोहरदगा | 2 | | adivasi:60,hindi-hindu:30,hindi-muslim:10
    Dumka | दुमका | 3 | | adivasi:55,hindi-hindu:40,hindi-muslim:5
    Pakur | पाकुड़ | 3 | | adivasi:45,hindi-muslim:35,hindi-hindu:20
    Sahibganj/Sahebganj | साहिबगंज | 3 | Sahibganj station | adivasi:30,hindi-muslim:30,hindi-hindu:40
    West Singhbhum/Chaibasa | पश्चिमी सिंहभूम | 3 | | adivasi:70,hindi-hindu:28,hindi-muslim:2
    East Singhbhum/Jamshedpur | पूर्वी सिंहभूम | 2 | Tatanagar station
    Palamu | पलामू | 2 | | hindi-hindu:70,adivasi:15,hindi-muslim:15
    Giridih | गिरिडीह | 2 | | hindi-hindu:65,hindi-muslim:20,adivasi:15
    Dhanbad | धनबाद | 2 | Dhanbad Junction | hindi-hindu:75,hindi-muslim:15,adivasi:10
    `,
  ),
  region(
    {
      country: 'IN',
      state: 'Odisha',
      stateSpellings: ['Odisha', 'Orissa'],
      script: 'latin',
      officeLanguage: 'en',
      weight: 5,
    },
    'odia:85,adivasi:15',
    `
    Khordha/Khurda | ଖୋର୍ଦ୍ଧା | 2 | Bhubaneswar station; Baramunda bus stand
    Cuttack | କଟକ | 2 | Cuttack station
    Ganjam | ଗଞ୍ଜାମ | 4 | Berhampur station
    Mayurbhanj | ମୟୂରଭଞ୍ଜ | 3 | | odia:50,adivasi:50
    Balasore/Baleswar | ବାଲେଶ୍ୱର | 2 | Balasore station
    Sundargarh | ସୁନ୍ଦରଗଡ଼ | 3 | Rourkela station | odia:50,adivasi:50
    Kendujhar/Keonjhar | କେନ୍ଦୁଝର | 3 | | odia:55,adivasi:45
    Koraput | କୋରାପୁଟ | 3 | | odia:60,adivasi:40
    Rayagada | ରାୟଗଡ଼ା | 2 | | odia:60,adivasi:40
    Kalahandi | କଳାହାଣ୍ଡି | 2
    Nabarangpur/Nowrangpur | ନବରଙ୍ଗପୁର | 2 | | odia:65,adivasi:35
    `,
  ),
  region(
    {
      country: 'IN',
      state: 'Uttar Pradesh',
      stateSpellings: ['Uttar Pradesh', 'UP', 'उत्तर प्रदेश'],
      script: 'devanagari',
      officeLanguage: 'hi',
      weight: 8,
    },
    'hindi-hindu:80,hindi-muslim:20',
    `
    Lucknow | लखनऊ | 2 | Charbagh station; Alambagh bus stand
    Bahraich | बहराइच | 4 | Rupaidiha border | hindi-hindu:65,hindi-muslim:35
    Maharajganj/Mahrajganj | महराजगंज | 4 | Sonauli border
    Shravasti | श्रावस्ती | 2
    Balrampur | बलरामपुर | 2 | | hindi-hindu:62,hindi-muslim:38
    Siddharthnagar | सिद्धार्थनगर | 3 | Barhni border | hindi-hindu:70,hindi-muslim:30
    Gorakhpur | गोरखपुर | 3 | Gorakhpur Junction
    Kushinagar | कुशीनगर | 2
    Lakhimpur Kheri/Kheri | लखीमपुर खीरी | 3 | Gauriphanta border
    Pilibhit | पीलीभीत | 2
    Varanasi | वाराणसी | 2 | Varanasi Junction
    Prayagraj/Allahabad | प्रयागराज | 2 | Prayagraj Junction
    Kanpur Nagar/Kanpur | कानपुर नगर | 2 | Kanpur Central
    Agra | आगरा | 1 | Agra Cantt station
    Ghaziabad | ग़ाज़ियाबाद | 2 | Ghaziabad station; Kaushambi bus stand
    Gautam Buddh Nagar/Noida | गौतम बुद्ध नगर | 2 | Noida Sector 37 bus stand
    `,
  ),
  region(
    {
      country: 'IN',
      state: 'Delhi',
      stateSpellings: ['Delhi', 'NCT of Delhi', 'दिल्ली'],
      script: 'devanagari',
      officeLanguage: 'hi',
      weight: 5,
    },
    'hindi-hindu:74,hindi-muslim:16,bengali-hindu:3,bengali-muslim:3,nepali:4',
    `
    New Delhi | नई दिल्ली | 2 | New Delhi railway station; Paharganj
    Central Delhi | मध्य दिल्ली | 2 | Old Delhi railway station; Kashmere Gate ISBT
    North Delhi | उत्तरी दिल्ली | 2 | Azadpur mandi
    North West Delhi | उत्तर पश्चिमी दिल्ली | 2 | Shakurpur
    North East Delhi | उत्तर पूर्वी दिल्ली | 2 | Seelampur
    South Delhi | दक्षिणी दिल्ली | 2 | Hazrat Nizamuddin station; Sarai Kale Khan ISBT
    East Delhi | पूर्वी दिल्ली | 2 | Anand Vihar ISBT; Anand Vihar Terminal
    West Delhi | पश्चिमी दिल्ली | 2 | Tilak Nagar
    Shahdara | शाहदरा | 2 | Shahdara station
    South West Delhi | दक्षिण पश्चिमी दिल्ली | 1 | Dwarka
    `,
  ),
  region(
    {
      country: 'IN',
      state: 'Maharashtra',
      stateSpellings: ['Maharashtra', 'महाराष्ट्र'],
      script: 'devanagari',
      officeLanguage: 'en',
      weight: 4,
    },
    'marathi:70,hindi-hindu:18,hindi-muslim:12',
    `
    Mumbai City/Mumbai | मुंबई शहर | 3 | CSMT station; Kamathipura; Mumbai Central
    Mumbai Suburban/Mumbai | मुंबई उपनगर | 3 | Lokmanya Tilak Terminus; Dadar station; Bandra Terminus
    Thane | ठाणे | 3 | Kalyan station; Bhiwandi
    Pune | पुणे | 2 | Pune station; Budhwar Peth
    Nagpur | नागपूर | 2 | Nagpur station
    Palghar | पालघर | 2
    Nashik/Nasik | नाशिक | 1 | Nashik Road station
    Raigad | रायगड | 1 | Panvel station
    `,
  ),
  region(
    {
      country: 'BD',
      state: 'Khulna',
      stateSpellings: ['Khulna', 'Khulna Division', 'খুলনা'],
      script: 'bengali',
      officeLanguage: 'bn',
      weight: 9,
    },
    'bengali-muslim:88,bengali-hindu:12',
    `
    Khulna | খুলনা | 3 | Khulna railway station; Sonadanga bus terminal
    Jashore/Jessore | যশোর | 5 | Benapole border; Jashore bus stand
    Satkhira | সাতক্ষীরা | 6 | Kalaroa; Bhomra border | bengali-muslim:80,bengali-hindu:20
    Bagerhat | বাগেরহাট | 3 | | bengali-muslim:80,bengali-hindu:20
    Narail | নড়াইল | 2
    Jhenaidah/Jhenidah | ঝিনাইদহ | 3 | Maheshpur
    Chuadanga | চুয়াডাঙ্গা | 3 | Darshana border
    Meherpur | মেহেরপুর | 2 | Mujibnagar
    Kushtia | কুষ্টিয়া | 3
    `,
  ),
  region(
    {
      country: 'BD',
      state: 'Dhaka',
      stateSpellings: ['Dhaka', 'Dhaka Division', 'ঢাকা'],
      script: 'bengali',
      officeLanguage: 'bn',
      weight: 5,
    },
    'bengali-muslim:90,bengali-hindu:10',
    `
    Dhaka | ঢাকা | 5 | Kamalapur railway station; Sadarghat launch terminal; Gabtoli bus terminal
    Gazipur | গাজীপুর | 3 | Tongi
    Narayanganj | নারায়ণগঞ্জ | 3
    Tangail | টাঙ্গাইল | 2
    Faridpur | ফরিদপুর | 2
    Narsingdi | নরসিংদী | 2
    Munshiganj | মুন্সীগঞ্জ | 1
    `,
  ),
  region(
    {
      country: 'BD',
      state: 'Rajshahi',
      stateSpellings: ['Rajshahi', 'Rajshahi Division', 'রাজশাহী'],
      script: 'bengali',
      officeLanguage: 'bn',
      weight: 4,
    },
    'bengali-muslim:90,bengali-hindu:7,adivasi:3',
    `
    Rajshahi | রাজশাহী | 3 | Rajshahi railway station
    Chapai Nawabganj/Chapainawabganj/Nawabganj | চাঁপাইনবাবগঞ্জ | 4 | Sonamasjid border
    Naogaon | নওগাঁ | 2 | | bengali-muslim:85,adivasi:8,bengali-hindu:7
    Natore | নাটোর | 2
    Bogura/Bogra | বগুড়া | 2
    Pabna | পাবনা | 2
    Sirajganj | সিরাজগঞ্জ | 2
    Joypurhat | জয়পুরহাট | 2 | Hili border
    `,
  ),
  region(
    {
      country: 'BD',
      state: 'Rangpur',
      stateSpellings: ['Rangpur', 'Rangpur Division', 'রংপুর'],
      script: 'bengali',
      officeLanguage: 'bn',
      weight: 3,
    },
    'bengali-muslim:85,bengali-hindu:13,adivasi:2',
    `
    Rangpur | রংপুর | 2
    Dinajpur | দিনাজপুর | 3 | | bengali-muslim:75,bengali-hindu:18,adivasi:7
    Thakurgaon | ঠাকুরগাঁও | 3 | | bengali-muslim:70,bengali-hindu:24,adivasi:6
    Panchagarh | পঞ্চগড় | 2 | Banglabandha border
    Kurigram | কুড়িগ্রাম | 3
    Lalmonirhat | লালমনিরহাট | 2 | Burimari border
    Nilphamari | নীলফামারী | 2
    `,
  ),
  region(
    {
      country: 'BD',
      state: 'Chattogram',
      stateSpellings: ['Chattogram', 'Chittagong', 'চট্টগ্রাম'],
      script: 'bengali',
      officeLanguage: 'bn',
      weight: 1.5,
    },
    'bengali-muslim:88,bengali-hindu:12',
    `
    Chattogram/Chittagong | চট্টগ্রাম | 3 | Chattogram railway station
    Cox's Bazar | কক্সবাজার | 3
    Cumilla/Comilla | কুমিল্লা | 2
    Feni | ফেনী | 1
    `,
  ),
  region(
    {
      country: 'BD',
      state: 'Sylhet',
      stateSpellings: ['Sylhet', 'Sylhet Division', 'সিলেট'],
      script: 'bengali',
      officeLanguage: 'bn',
      weight: 1.5,
    },
    'bengali-muslim:85,bengali-hindu:15',
    `
    Sylhet | সিলেট | 2 | Tamabil border
    Moulvibazar/Maulvibazar | মৌলভীবাজার | 2 | tea garden | bengali-muslim:70,bengali-hindu:18,adivasi:12
    Sunamganj | সুনামগঞ্জ | 2
    Habiganj | হবিগঞ্জ | 1
    `,
  ),
  region(
    {
      country: 'BD',
      state: 'Barishal',
      stateSpellings: ['Barishal', 'Barisal', 'বরিশাল'],
      script: 'bengali',
      officeLanguage: 'bn',
      weight: 1,
    },
    'bengali-muslim:88,bengali-hindu:12',
    `
    Barishal/Barisal | বরিশাল | 2 | Barishal launch ghat
    Bhola | ভোলা | 2
    Patuakhali | পটুয়াখালী | 1
    `,
  ),
  region(
    {
      country: 'BD',
      state: 'Mymensingh',
      stateSpellings: ['Mymensingh', 'ময়মনসিংহ'],
      script: 'bengali',
      officeLanguage: 'bn',
      weight: 1,
    },
    'bengali-muslim:92,bengali-hindu:8',
    `
    Mymensingh | ময়মনসিংহ | 2
    Jamalpur | জামালপুর | 2
    Netrokona | নেত্রকোনা | 1
    `,
  ),
  region(
    {
      country: 'NP',
      state: 'Koshi',
      stateSpellings: ['Koshi', 'Koshi Province', 'Province No. 1', 'कोशी'],
      script: 'devanagari',
      officeLanguage: 'ne',
      weight: 4.5,
    },
    'nepali:75,hindi-hindu:20,hindi-muslim:5',
    `
    Jhapa | झापा | 5 | Kakarbhitta border; Birtamod
    Morang | मोरङ | 5 | Biratnagar; Rani border | nepali:55,hindi-hindu:37,hindi-muslim:8
    Sunsari | सुनसरी | 4 | Itahari; Inaruwa | nepali:55,hindi-hindu:37,hindi-muslim:8
    Ilam | इलाम | 2 | | nepali:100
    Udayapur | उदयपुर | 2 | | nepali:85,hindi-hindu:15
    Dhankuta | धनकुटा | 1 | | nepali:100
    `,
  ),
  region(
    {
      country: 'NP',
      state: 'Madhesh',
      stateSpellings: ['Madhesh', 'Madhesh Province', 'Province No. 2', 'मधेश'],
      script: 'devanagari',
      officeLanguage: 'ne',
      weight: 3,
    },
    'hindi-hindu:70,hindi-muslim:12,nepali:18',
    `
    Saptari | सप्तरी | 2 | Rajbiraj
    Siraha | सिरहा | 2 | Lahan
    Dhanusha | धनुषा | 3 | Janakpur
    Mahottari | महोत्तरी | 2 | Jaleshwar
    Sarlahi | सर्लाही | 2 | Malangwa
    Parsa | पर्सा | 3 | Birgunj; Birgunj border
    Bara | बारा | 2 | Kalaiya
    Rautahat | रौतहट | 2 | Gaur
    `,
  ),
  region(
    {
      country: 'NP',
      state: 'Bagmati',
      stateSpellings: ['Bagmati', 'Bagmati Province', 'बागमती'],
      script: 'devanagari',
      officeLanguage: 'ne',
      weight: 4,
    },
    'nepali:97,hindi-hindu:3',
    `
    Kathmandu | काठमाडौं | 4 | Gongabu bus park; Ratnapark; Kalanki
    Lalitpur | ललितपुर | 2
    Bhaktapur | भक्तपुर | 1
    Makwanpur | मकवानपुर | 3 | Hetauda
    Sindhupalchok | सिन्धुपाल्चोक | 4
    Nuwakot | नुवाकोट | 3
    Chitwan | चितवन | 2 | Narayangarh | nepali:85,hindi-hindu:15
    Kavrepalanchok/Kavre | काभ्रेपलान्चोक | 2 | Banepa
    `,
  ),
  region(
    {
      country: 'NP',
      state: 'Gandaki',
      stateSpellings: ['Gandaki', 'Gandaki Province', 'गण्डकी'],
      script: 'devanagari',
      officeLanguage: 'ne',
      weight: 0.5,
    },
    'nepali:100',
    `
    Kaski | कास्की | 1 | Pokhara bus park
    Tanahun | तनहुँ | 1
    Syangja | स्याङ्जा | 1
    `,
  ),
  region(
    {
      country: 'NP',
      state: 'Lumbini',
      stateSpellings: ['Lumbini', 'Lumbini Province', 'Province No. 5', 'लुम्बिनी'],
      script: 'devanagari',
      officeLanguage: 'ne',
      weight: 3.5,
    },
    'nepali:55,hindi-hindu:33,hindi-muslim:12',
    `
    Rupandehi | रुपन्देही | 4 | Bhairahawa; Belahiya border
    Banke | बाँके | 4 | Nepalgunj; Jamunaha border
    Bardiya | बर्दिया | 2 | Gulariya
    Dang | दाङ | 2 | Ghorahi | nepali:85,hindi-hindu:15
    Kapilvastu/Kapilbastu | कपिलवस्तु | 3 | Krishnanagar border | hindi-hindu:55,hindi-muslim:25,nepali:20
    Nawalparasi West/Parasi | नवलपरासी पश्चिम | 2
    `,
  ),
  region(
    {
      country: 'NP',
      state: 'Karnali',
      stateSpellings: ['Karnali', 'Karnali Province', 'कर्णाली'],
      script: 'devanagari',
      officeLanguage: 'ne',
      weight: 0.5,
    },
    'nepali:100',
    `
    Surkhet | सुर्खेत | 1 | Birendranagar
    `,
  ),
  region(
    {
      country: 'NP',
      state: 'Sudurpashchim',
      stateSpellings: ['Sudurpashchim', 'Far-Western Province', 'सुदूरपश्चिम'],
      script: 'devanagari',
      officeLanguage: 'ne',
      weight: 1.5,
    },
    'nepali:80,hindi-hindu:20',
    `
    Kailali | कैलाली | 3 | Dhangadhi; Gauriphanta border
    Kanchanpur | कञ्चनपुर | 2 | Mahendranagar; Gaddachauki border
    `,
  ),
];

export interface Place {
  readonly region: Region;
  readonly district: District;
}

const byName = new Map<string, Place>();
for (const region of REGIONS) {
  for (const district of region.districts) {
    const key = `${region.country}/${district.name}`;
    if (byName.has(key)) throw new Error(`district ${key} listed twice`);
    byName.set(key, { region, district });
  }
}

/** A district by its canonical name (`IN/North 24 Parganas`); throws on a typo in a list. */
export function place(country: CountryCode, district: string): Place {
  const found = byName.get(`${country}/${district}`);
  if (!found) throw new Error(`no district ${country}/${district} in the place lists`);
  return found;
}

export function regionNamed(country: CountryCode, state: string): Region {
  const found = REGIONS.find((region) => region.country === country && region.state === state);
  if (!found) throw new Error(`no region ${country}/${state} in the place lists`);
  return found;
}

export const TIME_ZONES: Record<CountryCode, string> = { IN: '+05:30', BD: '+06:00', NP: '+05:45' };
