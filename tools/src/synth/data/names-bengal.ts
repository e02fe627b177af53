// Bengali Hindu and Bengali Muslim names, as children in West Bengal, Bangladesh and Assam are
// named in reports. Written from general knowledge of naming customs for this benchmark only.
import { nameTable } from './name-table.ts';

export const BENGALI_HINDU_BOYS = nameTable(`
Rahul/Raul | রাহুল | राहुल | 6
Sourav/Saurav/Sourabh | সৌরভ | सौरव | 3
Arijit | অরিজিৎ | अरिजीत | 2
Subhajit/Shubhajit/Suvajit | শুভজিৎ | शुभजीत | 2
Biswajit/Bishwajit | বিশ্বজিৎ | बिस्वजीत/विश्वजीत | 2
Debashis/Debasish/Debasis | দেবাশিস/দেবাশীষ | देबाशीष | 1
Pritam | প্রীতম | प्रीतम | 2
Sanjib/Sanjeev | সঞ্জীব | संजीब/संजीव | 1
Tapas | তাপস | तापस | 1
Raju | রাজু | राजू | 4
Bapi/Bappi | বাপি | बापी | 2
Suman/Sumon | সুমন | सुमन | 3
Rohit | রোহিত | रोहित | 2
Sujoy/Sujay | সুজয় | सुजय | 1
Abhijit/Avijit | অভিজিৎ | अभिजीत | 2
Soumen/Shoumen | সৌমেন | सौमेन | 1
Subrata/Shubrata | সুব্রত | सुब्रत | 1
Ananda/Anondo | আনন্দ | आनंद | 1
Gopal | গোপাল | गोपाल | 2
Krishna/Krishno | কৃষ্ণ | कृष्ण | 1
Bikram/Vikram | বিক্রম | विक्रम | 1
Sayan/Shayan | সায়ন | सायन | 2
Rajib/Rajeev | রাজীব | राजीव | 1
Akash/Aakash | আকাশ | आकाश | 3
Joydeep/Jaydip | জয়দীপ | जयदीप | 1
Ayan | অয়ন | अयन | 2
Rupam | রূপম | रूपम | 1
Tanmoy/Tanmay | তন্ময় | तन्मय | 1
Dipankar/Deepankar | দীপঙ্কর | दीपंकर | 1
Sagar | সাগর | सागर | 2
Prosenjit/Prasenjit | প্রসেনজিৎ | प्रसेनजीत | 1
Ratan | রতন | रतन | 1
Nitai | নিতাই | निताई | 1
Sudip/Sudeep | সুদীপ | सुदीप | 1
Partha | পার্থ | पार्थ | 1
Shubham/Subham | শুভম | शुभम | 2
Amit | অমিত | अमित | 2
Bishnu/Vishnu | বিষ্ণু | विष्णु | 1
Uttam | উত্তম | उत्तम | 1
`);

export const BENGALI_HINDU_GIRLS = nameTable(`
Puja/Pooja | পূজা | पूजा | 6
Rina/Reena | রিনা | रीना | 5
Mousumi/Moushumi/Mausumi | মৌসুমী/মৌসুমি | मौसमी | 2
Priyanka | প্রিয়াঙ্কা | प्रियंका | 3
Sathi/Shathi | সাথী | साथी | 2
Mitali | মিতালী/মিতালি | मिताली | 1
Tumpa | টুম্পা | टुम्पा | 2
Rupa | রূপা | रूपा | 2
Lakshmi/Laxmi/Lokkhi | লক্ষ্মী | लक्ष्मी | 3
Sushmita/Susmita | সুস্মিতা | सुष्मिता/सुस्मिता | 2
Ananya | অনন্যা | अनन्या | 1
Mampi | মাম্পি | मम्पी | 1
Sumana | সুমনা | सुमना | 1
Rupali | রূপালী | रूपाली | 1
Soma | সোমা | सोमा | 1
Payel | পায়েল | पायल | 2
Riya/Ria | রিয়া | रिया | 3
Moumita | মৌমিতা | मौमिता | 1
Tania/Taniya | তানিয়া | तानिया | 2
Anjali | অঞ্জলি | अंजलि | 1
Sonali | সোনালী/সোনালি | सोनाली | 2
Jhuma | ঝুমা | झूमा | 1
Shreya/Sreya | শ্রেয়া | श्रेया | 2
Durga | দুর্গা | दुर्गा | 1
Saraswati/Sarasvati | সরস্বতী | सरस्वती | 1
Kakoli | কাকলি | काकली | 1
Sampa | সম্পা | सम्पा | 1
Debjani/Debajani | দেবযানী | देवयानी | 1
Papiya/Papia | পাপিয়া | पपीया | 1
Mou | মৌ | मौ | 1
Barsha/Borsha | বর্ষা | बर्षा/वर्षा | 1
Sima/Seema | সীমা | सीमा | 1
`);

export const BENGALI_HINDU_SURNAMES = nameTable(`
Das | দাস | दास | 8
Debnath/Devnath | দেবনাথ | देवनाथ/देबनाथ | 2
Chatterjee/Chattopadhyay/Chatterji | চট্টোপাধ্যায়/চ্যাটার্জি | चटर्जी/चट्टोपाध्याय | 1
Banerjee/Bandyopadhyay/Banerji | বন্দ্যোপাধ্যায়/ব্যানার্জি | बनर्जी | 1
Mukherjee/Mukhopadhyay/Mukherji | মুখোপাধ্যায়/মুখার্জি | मुखर्जी | 1
Ghosh | ঘোষ | घोष | 3
Mondal/Mandal | মণ্ডল/মন্ডল | मंडल | 5
Sarkar/Sircar | সরকার | सरकार | 3
Biswas/Bishwas | বিশ্বাস | बिस्वास | 3
Roy/Ray | রায় | रॉय/राय | 4
Saha | সাহা | साहा | 2
Pal/Paul | পাল | पाल | 2
Haldar/Halder | হালদার | हालदार | 2
Bag | বাগ | बाग | 1
Sardar | সরদার | सरदार | 2
Naskar | নস্কর | नस्कर | 2
Majhi | মাঝি | माझी | 1
Dey/De | দে | डे | 2
Bhattacharya/Bhattacharjee | ভট্টাচার্য | भट्टाचार्य | 1
Sen | সেন | सेन | 1
Barman/Burman | বর্মন | बर्मन | 2
Adhikary/Adhikari | অধিকারী | अधिकारी | 1
Pramanik/Paramanik | প্রামাণিক | प्रामाणिक | 1
Bera | বেরা | बेरा | 1
Gayen/Gain | গায়েন | गायेन | 1
`);

export const BENGALI_MUSLIM_BOYS = nameTable(`
Rafiqul/Rofiqul/Rafikul | রফিকুল | रफीकुल | 2
Shahidul/Sahidul | শহিদুল | शहीदुल | 1
Rakib/Rakibul | রাকিব | राकिब | 2
Sabbir | সাব্বির | साब्बिर | 2
Jahid/Zahid | জাহিদ | जाहिद | 1
Arif | আরিফ | आरिफ | 2
Rasel/Russel/Rassel | রাসেল | रासेल | 2
Sohel/Sohail | সোহেল | सोहेल | 2
Mamun | মামুন | मामून | 1
Rubel | রুবেল | रुबेल | 2
Hasan/Hassan | হাসান | हसन | 3
Imran | ইমরান | इमरान | 2
Rahim | রহিম | रहीम | 2
Karim | করিম | करीम | 2
Sakib/Shakib | সাকিব | साकिब | 2
Riyad/Riad | রিয়াদ | रियाद | 1
Ripon | রিপন | रिपन | 1
Tanvir/Tanveer | তানভীর | तनवीर | 1
Nayeem/Naim | নাঈম/নাইম | नईम | 2
Sujon/Sujan | সুজন | सुजन | 1
Jubayer/Zubair | জুবায়ের | जुबैर | 1
Abdullah | আব্দুল্লাহ | अब्दुल्ला | 2
Hridoy/Hriday | হৃদয় | हृदय | 2
Shanto/Santo | শান্ত | शान्तो | 1
Alamin/Al-Amin | আলামিন/আল-আমিন | अलामिन | 2
Masud/Masood | মাসুদ | मसूद | 1
Abdul Karim | আব্দুল করিম | अब्दुल करीम | 1
Ashraful | আশরাফুল | अशरफुल | 1
Mizanur/Mizan | মিজানুর | मिजानुर | 1
`);

export const BENGALI_MUSLIM_GIRLS = nameTable(`
Sumaiya/Sumaya/Somaiya | সুমাইয়া | सुमैया | 5
Fatema/Fatima | ফাতেমা/ফাতিমা | फातिमा | 3
Ayesha/Aisha/Aysha | আয়েশা | आयशा | 3
Nasrin/Nasreen | নাসরিন | नसरीन | 2
Shapla | শাপলা | शापला | 1
Taslima | তাসলিমা | तसलीमा | 1
Mim | মিম | मीम | 3
Sadia | সাদিয়া | सादिया | 2
Jannatul/Jannat | জান্নাতুল | जन्नतुल | 2
Nusrat | নুসরাত | नुसरत | 2
Moriom/Mariam/Maryam | মরিয়ম | मरियम | 2
Rina | রিনা | रीना | 2
Sathi | সাথী | साथी | 2
Rupali | রূপালী | रूपाली | 1
Shirin/Sirin | শিরিন | शीरीन | 1
Tania | তানিয়া | तानिया | 1
Khadija | খাদিজা | ख़दीजा/खदीजा | 2
Rehana/Rahana | রেহানা | रेहाना | 1
Sharmin/Sarmin | শারমিন | शर्मिन | 2
Asma | আসমা | अस्मा | 1
Lima | লিমা | लिमा | 1
Bristy/Brishti | বৃষ্টি | बृष्टि | 1
Munni | মুন্নি | मुन्नी | 1
`);

/** Muslim boys' surnames, or the second part of the name that is used like one ("Rafiqul Islam"). */
export const BENGALI_MUSLIM_SURNAMES_BOYS = nameTable(`
Islam | ইসলাম | इस्लाम | 5
Hossain/Hossen/Hussain/Hosen | হোসেন/হোসাইন | हुसैन | 5
Rahman/Rohman | রহমান | रहमान | 4
Ali | আলী/আলি | अली | 3
Sheikh/Shaikh/Sk/Sk. | শেখ | शेख | 3
Mia/Miah/Mea | মিয়া | मिया | 2
Uddin/Uddeen | উদ্দিন | उद्दीन | 2
Ahmed/Ahmad | আহমেদ/আহমদ | अहमद | 2
Mondal/Mandal | মণ্ডল | मंडल | 2
Sardar/Sarder | সরদার | सरदार | 1
Molla/Mollah | মোল্লা | मोल्ला | 2
Gazi/Gaji | গাজী | गाज़ी/गाजी | 1
Biswas | বিশ্বাস | बिस्वास | 1
Khan | খান | खान | 1
Howlader/Hawlader | হাওলাদার | हवलदार | 1
`);

export const BENGALI_MUSLIM_SURNAMES_GIRLS = nameTable(`
Akter/Akhter/Aktar | আক্তার/আখতার | अख्तर | 5
Khatun/Khatoon | খাতুন | खातून | 5
Begum | বেগম | बेगम | 2
Sultana | সুলতানা | सुल्ताना | 2
Islam | ইসলাম | इस्लाम | 1
Parvin/Parveen | পারভীন | परवीन | 2
Jahan | জাহান | जहां | 1
`);

/** "Md." before a Muslim boy's name; "Mst." before a girl's in Bangladesh. Often dropped. */
export const MUSLIM_BOY_PREFIX = nameTable(`
Md./Md/Mohammad/Mohammed/Muhammad/Mohd. | মোঃ/মোহাম্মদ/মুহাম্মদ | मो./मोहम्मद/मुहम्मद
`);
export const MUSLIM_GIRL_PREFIX = nameTable(`
Mst./Most./Mosammat | মোছাঃ/মোসাম্মৎ | मोसम्मत
`);

export const BENGALI_PET_BOYS = nameTable(`
Bapi/Bappi | বাপি | बापी | 2
Babu | বাবু | बाबू | 3
Bubai | বুবাই | बुबाई | 1
Papai | পাপাই | पापाई | 1
Tatai | তাতাই | ताताई | 1
Rinku | রিঙ্কু | रिंकू | 1
Pinku | পিঙ্কু | पिंकू | 1
Bablu | বাবলু | बबलू | 1
Piku | পিকু | पीकू | 1
Sonu | সোনু | सोनू | 1
Montu | মন্টু | मंटू | 1
Tukai | টুকাই | टुकाई | 1
Raja | রাজা | राजा | 1
`);

export const BENGALI_PET_GIRLS = nameTable(`
Tuktuki | টুকটুকি | टुकटुकी | 1
Munni | মুন্নি | मुन्नी | 2
Mithu | মিঠু | मिठू | 1
Khuku | খুকু | खुकू | 1
Buri | বুড়ি | बुड़ी | 1
Tumpa | টুম্পা | टुम्पा | 1
Pinki/Pinky | পিঙ্কি | पिंकी | 1
Putul | পুতুল | पुतुल | 1
Rumki | রুমকি | रुमकी | 1
Mona | মনা | मोना | 1
Moni | মণি/মনি | मणि | 1
Tuni | টুনি | टुनी | 1
Pakhi | পাখি | पाखी | 1
`);
