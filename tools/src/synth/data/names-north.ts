// Names of the Hindi belt (Bihar, Uttar Pradesh, Jharkhand, Delhi, and the Madhesh of Nepal),
// Hindi-belt Muslim names, and Marathi names. Written for this benchmark only.
import { nameTable } from './name-table.ts';

export const HINDI_BOYS = nameTable(`
Rahul | রাহুল | राहुल | 6
Amit | অমিত | अमित | 2
Ravi | রবি | रवि | 3
Sunil | সুনীল | सुनील | 2
Ajay | অজয় | अजय | 2
Vikas/Vikash/Bikash | বিকাশ | विकास/विकाश | 3
Ankit | অঙ্কিত | अंकित | 2
Suraj/Sooraj | সুরজ | सूरज | 3
Deepak/Dipak | দীপক | दीपक | 2
Rohit | রোহিত | रोहित | 2
Manish | মনীশ | मनीष | 2
Pankaj | পঙ্কজ | पंकज | 1
Raju | রাজু | राजू | 3
Aman | অমন | अमन | 2
Abhishek/Abhisek | অভিষেক | अभिषेक | 2
Rakesh | রাকেশ | राकेश | 1
Ramesh | রমেশ | रमेश | 1
Santosh | সন্তোষ | संतोष | 1
Gaurav | গৌরব | गौरव | 1
Nitish | নীতিশ | नीतीश | 1
Chandan | চন্দন | चंदन | 1
Mukesh | মুকেশ | मुकेश | 1
Sachin | শচীন | सचिन | 2
Vishal/Bishal | বিশাল | विशाल | 2
Akash/Aakash | আকাশ | आकाश | 2
Shivam | শিবম | शिवम | 2
Ritik/Hrithik | ঋতিক | रितिक/ऋतिक | 1
Prince | প্রিন্স | प्रिंस | 1
Dilkhush | দিলখুশ | दिलखुश | 1
Ramu | রামু | रामू | 1
Birju | বিরজু | बिरजू | 1
Sanjay | সঞ্জয় | संजय | 1
`);

export const HINDI_GIRLS = nameTable(`
Puja/Pooja | পূজা | पूजा | 6
Priya | প্রিয়া | प्रिया | 3
Neha | নেহা | नेहा | 2
Khushi | খুশি | ख़ुशी/खुशी | 3
Khushboo/Khushbu | খুশবু | ख़ुशबू/खुशबू | 2
Anjali | অঞ্জলি | अंजलि/अंजली | 3
Kajal | কাজল | काजल | 3
Rani | রানী | रानी | 2
Sonam | সোনম | सोनम | 2
Radha | রাধা | राधा | 2
Rinki | রিঙ্কি | रिंकी | 1
Pinki/Pinky | পিঙ্কি | पिंकी | 2
Sapna | সপনা | सपना | 1
Nisha | নিশা | निशा | 2
Shivani | শিবানী | शिवानी | 1
Sangeeta/Sangita | সঙ্গীতা | संगीता | 1
Sunita | সুনীতা | सुनीता | 2
Kumkum | কুমকুম | कुमकुम | 1
Laxmi/Lakshmi | লক্ষ্মী | लक्ष्मी | 2
Rekha | রেখা | रेखा | 1
Guddi | গুড্ডি | गुड्डी | 1
Manisha | মনীষা | मनीषा | 1
Preeti/Priti | প্রীতি | प्रीति | 2
Jyoti | জ্যোতি | ज्योति | 2
Chandni/Chandani | চাঁদনি | चांदनी | 1
Soni | সোনি | सोनी | 1
Rina/Reena | রিনা | रीना | 2
`);

/** The middle "Kumar" / "Kumari" many Hindi-belt children carry; often the whole surname. */
export const HINDI_MIDDLE_BOY = nameTable('Kumar | কুমার | कुमार');
export const HINDI_MIDDLE_GIRL = nameTable('Kumari | কুমারী | कुमारी');
/** What a Hindi-belt mother is called after her given name. */
export const HINDI_MOTHER_SURNAME = nameTable('Devi | দেবী | देवी');

export const HINDI_SURNAMES = nameTable(`
Yadav | যাদব | यादव | 4
Singh | সিং | सिंह | 3
Prasad | প্রসাদ | प्रसाद | 2
Paswan | পাসওয়ান | पासवान | 2
Mahto/Mahato | মাহাতো | महतो | 2
Ram | রাম | राम | 2
Gupta | গুপ্তা | गुप्ता | 1
Sharma | শর্মা | शर्मा | 1
Mishra | মিশ্র | मिश्रा | 1
Manjhi/Majhi | মাঝি | मांझी | 2
Chaudhary/Choudhary/Chaudhari | চৌধুরী | चौधरी | 1
Sah/Shah | সাহ | साह | 1
Mandal | মণ্ডল | मंडल | 1
Rajak | রজক | रजक | 1
Kushwaha | কুশওয়াহা | कुशवाहा | 1
Verma/Varma | ভার্মা | वर्मा | 1
Nishad | নিষাদ | निषाद | 1
Rajbhar | রাজভর | राजभर | 1
Pandey/Pande | পান্ডে | पांडेय/पाण्डेय | 1
Tiwari/Tiwary | তিওয়ারি | तिवारी | 1
Sahni/Sahani | সাহনি | सहनी | 1
`);

export const HINDI_MUSLIM_BOYS = nameTable(`
Salman | সালমান | सलमान | 2
Aftab | আফতাব | आफ़ताब/आफताब | 1
Shahnawaz | শাহনাওয়াজ | शाहनवाज़ | 1
Arif | আরিফ | आरिफ़/आरिफ | 2
Sameer/Samir | সমীর | समीर | 2
Imran | ইমরান | इमरान | 2
Irfan | ইরফান | इरफ़ान/इरफान | 2
Faizan | ফয়জান | फ़ैज़ान | 1
Sahil | সাহিল | साहिल | 2
Arman | আরমান | अरमान | 2
Rizwan | রিজওয়ান | रिज़वान | 1
Shahid | শাহিদ | शाहिद | 1
Danish | দানিশ | दानिश | 1
Asif | আসিফ | आसिफ़/आसिफ | 2
Wasim/Waseem | ওয়াসিম | वसीम | 1
Ayan | অয়ন | अयान | 1
Nadeem/Nadim | নাদিম | नदीम | 1
Sarfaraz | সরফরাজ | सरफ़राज़ | 1
`);

export const HINDI_MUSLIM_GIRLS = nameTable(`
Nazia/Naziya | নাজিয়া | नाज़िया/नाजिया | 2
Shabnam | শবনম | शबनम | 2
Rukhsar | রুখসার | रुख़सार/रुखसार | 1
Sana | সানা | सना | 2
Muskan | মুসকান | मुस्कान | 3
Tabassum | তাবাসসুম | तबस्सुम | 1
Sabina | সাবিনা | सबीना | 1
Afsana | আফসানা | अफ़साना/अफसाना | 1
Gulnaz | গুলনাজ | गुलनाज़ | 1
Sumaiya | সুমাইয়া | सुमैया | 2
Zainab/Jainab | জয়নাব | ज़ैनब | 1
Ayesha/Aisha | আয়েশা | आयशा | 2
Farheen | ফারহিন | फ़रहीन | 1
Reshma | রেশমা | रेशमा | 2
Shaheen/Shahin | শাহীন | शाहीन | 1
Nargis | নার্গিস | नरगिस | 1
Rubina | রুবিনা | रुबीना | 1
`);

export const HINDI_MUSLIM_SURNAMES_BOYS = nameTable(`
Ansari | আনসারী | अंसारी | 4
Khan | খান | ख़ान/खान | 3
Alam | আলম | आलम | 2
Sheikh/Shaikh | শেখ | शेख़/शेख | 2
Qureshi/Kureshi | কুরেশি | क़ुरैशी/कुरैशी | 1
Siddiqui/Siddiqi | সিদ্দিকী | सिद्दीक़ी | 1
Raeen/Rain | রাইন | राईन | 1
Malik | মালিক | मलिक | 1
Akhtar | আখতার | अख़्तर/अख्तर | 1
Hussain | হুসেন | हुसैन | 1
`);

export const HINDI_MUSLIM_SURNAMES_GIRLS = nameTable(`
Khatoon/Khatun | খাতুন | ख़ातून/खातून | 4
Parveen/Parvin | পারভীন | परवीन | 3
Bano | বানো | बानो | 2
Ansari | আনসারী | अंसारी | 2
Khan | খান | ख़ान | 1
`);

export const HINDI_PET_BOYS = nameTable(`
Sonu | সোনু | सोनू | 3
Monu | মনু | मोनू | 2
Golu | গোলু | गोलू | 2
Chhotu | ছোটু | छोटू | 3
Guddu | গুড্ডু | गुड्डू | 2
Bittu | বিট্টু | बिट्टू | 1
Pappu | পাপ্পু | पप्पू | 1
Bablu | বাবলু | बबलू | 1
Munna | মুন্না | मुन्ना | 2
Lallu | লাল্লু | लल्लू | 1
`);

export const HINDI_PET_GIRLS = nameTable(`
Pinky | পিঙ্কি | पिंकी | 2
Munni | মুন্নি | मुन्नी | 3
Gudiya | গুড়িয়া | गुड़िया | 2
Babli | বাবলি | बबली | 1
Chutki/Chhutki | ছুটকি | छुटकी | 2
Sonu | সোনু | सोनू | 1
Bitti | বিট্টি | बिट्टी | 1
Guddi | গুড্ডি | गुड्डी | 1
`);

export const MARATHI_BOYS = nameTable(`
Omkar | ওমকার | ओमकार | 2
Prathamesh | প্রথমেশ | प्रथमेश | 1
Sai | সাই | साई | 2
Aditya | আদিত্য | आदित्य | 2
Rohan | রোহন | रोहन | 2
Ganesh | গণেশ | गणेश | 2
Swapnil | স্বপ্নিল | स्वप्निल | 1
Akash | আকাশ | आकाश | 2
Vishal | বিশাল | विशाल | 1
Sagar | সাগর | सागर | 1
Yash | যশ | यश | 2
Pranav | প্রণব | प्रणव | 1
Tejas | তেজস | तेजस | 1
Siddharth/Siddhart | সিদ্ধার্থ | सिद्धार्थ | 1
Sairaj | সাইরাজ | साईराज | 1
Rahul | রাহুল | राहुल | 2
Sandesh | সন্দেশ | संदेश | 1
Mayur | ময়ূর | मयूर | 1
Nikhil | নিখিল | निखिल | 1
Vaibhav | বৈভব | वैभव | 1
`);

export const MARATHI_GIRLS = nameTable(`
Sakshi | সাক্ষী | साक्षी | 2
Shruti | শ্রুতি | श्रुती/श्रुति | 2
Pooja/Puja | পূজা | पूजा | 2
Komal | কোমল | कोमल | 1
Snehal | স্নেহাল | स्नेहल | 1
Pranali | প্রণালী | प्रणाली | 1
Aarti/Arti | আরতি | आरती | 2
Rutuja | ঋতুজা | ऋतुजा | 1
Vaishnavi | বৈষ্ণবী | वैष्णवी | 2
Sayali | সায়লী | सायली | 1
Priyanka | প্রিয়াঙ্কা | प्रियंका | 1
Ashwini | অশ্বিনী | अश्विनी | 1
Kajal | কাজল | काजल | 1
Pallavi | পল্লবী | पल्लवी | 1
Shraddha | শ্রদ্ধা | श्रद्धा | 1
Tejaswini | তেজস্বিনী | तेजस्विनी | 1
Manasi | মানসী | मानसी | 1
Nikita | নিকিতা | निकिता | 1
`);

export const MARATHI_SURNAMES = nameTable(`
Patil | পাটিল | पाटील/पाटिल | 3
Jadhav | জাধব | जाधव | 2
Shinde | শিন্ডে | शिंदे | 2
Pawar | পাওয়ার | पवार | 2
Kamble | কাম্বলে | कांबळे/कांबले | 2
More | মোরে | मोरे | 1
Gaikwad | গায়কোয়াড় | गायकवाड/गायकवाड़ | 2
Chavan | চভন | चव्हाण | 1
Kadam | কদম | कदम | 1
Salunkhe | সালুঙ্কে | साळुंखे/सालुंखे | 1
Deshmukh | দেশমুখ | देशमुख | 1
Waghmare | ওয়াঘমারে | वाघमारे | 1
Bhosale/Bhonsle | ভোঁসলে | भोसले | 1
Sawant | সাওয়ান্ত | सावंत | 1
Londhe | লোন্ধে | लोंढे | 1
`);

export const MARATHI_PET_BOYS = nameTable(`
Bablu | বাবলু | बबलू
Pintu | পিন্টু | पिंटू
Chinu | চিনু | चिनू
Bunty | বান্টি | बंटी
Sonu | সোনু | सोनू
`);

export const MARATHI_PET_GIRLS = nameTable(`
Pinky | পিঙ্কি | पिंकी
Munni | মুন্নি | मुन्नी
Chinu | চিনু | चिनू
Sonu | সোনু | सोनू
Babli | বাবলি | बबली
`);
