// Nepali (hill and Terai), Assamese, Odia and Adivasi (Santal, Oraon, Munda, Ho) names. Assamese
// spellings use the Assamese letters ৰ and ৱ; the renderer turns them into Bengali র and ব when a
// Bengali-writing officer spells the name. Written for this benchmark only.
import { nameTable } from './name-table.ts';

export const NEPALI_BOYS = nameTable(`
Ram | রাম | राम | 3
Bikash/Bikas/Vikash | বিকাশ | विकाश/बिकास | 3
Sagar | সাগর | सागर | 3
Suman | সুমন | सुमन | 2
Anish | অনিশ | अनिश | 2
Prakash | প্রকাশ | प्रकाश | 2
Roshan | রোশন | रोशन | 2
Kiran | কিরণ | किरण | 2
Dipesh/Deepesh | দীপেশ | दिपेश | 1
Santosh | সন্তোষ | सन्तोष | 2
Bishal/Vishal | বিশাল | विशाल | 2
Niraj/Neeraj | নীরজ | निरज/नीरज | 1
Sujan | সুজন | सुजन | 1
Aayush/Ayush | আয়ুষ | आयुष | 2
Nabin/Naveen | নবীন | नविन/नवीन | 1
Hari | হরি | हरि | 1
Binod/Vinod | বিনোদ | विनोद | 1
Pasang | পাসাং | पासाङ | 1
Lakpa/Lhakpa | লাকপা | लाक्पा | 1
Dawa | দাওয়া | दावा | 1
Mingma | মিংমা | मिङ्मा | 1
Sunil | সুনীল | सुनिल | 1
Rajesh | রাজেশ | राजेश | 1
Manoj | মনোজ | मनोज | 1
Sanjay | সঞ্জয় | सञ्जय/संजय | 1
`);

export const NEPALI_GIRLS = nameTable(`
Sita | সীতা | सीता | 3
Gita/Geeta | গীতা | गीता | 2
Sunita | সুনীতা | सुनिता | 3
Laxmi/Lakshmi | লক্ষ্মী | लक्ष्मी | 3
Puja/Pooja | পূজা | पूजा | 3
Sabina | সাবিনা | सबिना | 2
Anjali | অঞ্জলি | अञ्जली/अंजली | 2
Asmita | অস্মিতা | अस्मिता | 1
Srijana/Shrijana | সৃজনা | सृजना | 1
Sarita | সরিতা | सरिता | 2
Manisha | মনীষা | मनिषा | 2
Kabita/Kavita | কবিতা | कविता | 2
Samjhana | সমঝনা | सम्झना | 1
Rita | রীতা | रीता | 1
Sushila | সুশীলা | सुशीला | 1
Dolma | দোলমা | डोल्मा | 1
Sangita/Sangeeta | সঙ্গীতা | संगीता | 2
Kalpana | কল্পনা | कल्पना | 1
Bimala | বিমলা | बिमला | 1
Radhika | রাধিকা | राधिका | 1
Nirmala | নির্মলা | निर्मला | 1
`);

export const NEPALI_SURNAMES = nameTable(`
Tamang | তামাং | तामाङ | 4
Rai | রাই | राई | 3
Limbu | লিম্বু | लिम्बु | 2
Gurung | গুরুং | गुरुङ | 2
Magar | মগর | मगर | 2
Thapa | থাপা | थापा | 3
Shrestha/Shresta/Srestha | শ্রেষ্ঠ | श्रेष्ठ | 3
Sharma | শর্মা | शर्मा | 2
Adhikari | অধিকারী | अधिकारी | 2
Karki | কার্কি | कार्की | 2
Khadka | খড়কা | खड्का | 1
Bhattarai | ভট্টরাই | भट्टराई | 1
Poudel/Paudel/Paudyal | পৌডেল | पौडेल | 2
Tharu | থারু | थारु | 2
Chaudhary/Chaudhari | চৌধুরী | चौधरी | 2
BK/B.K./Bishwakarma/Biswakarma | বিশ্বকর্মা | विश्वकर्मा/बि.क. | 2
Pariyar | পরিয়ার | परियार | 1
Sherpa | শেরপা | शेर्पा | 1
Lama | লামা | लामा | 2
Ghimire | ঘিমিরে | घिमिरे | 1
Basnet | বাসনেত | बस्नेत | 1
Subedi | সুবেদী | सुवेदी | 1
Nepali | নেপালী | नेपाली | 1
KC/K.C. | কেসি | केसी | 1
`);

export const NEPALI_PET_BOYS = nameTable(`
Kanchha/Kancha | কাঞ্ছা | कान्छा | 3
Maila | মাইলা | माइला | 1
Saila | সাইলা | साइला | 1
Babu | বাবু | बाबु | 2
Kale | কালে | काले | 1
Sano | সানো | सानो | 1
`);

export const NEPALI_PET_GIRLS = nameTable(`
Kanchhi/Kanchi | কাঞ্ছি | कान्छी | 3
Nani | নানি | नानी | 2
Bunu | বুনু | बुनु | 1
Maiya | মাইয়া | मैया | 1
Sani | সানি | सानी | 1
`);

export const ASSAMESE_BOYS = nameTable(`
Bhaskar/Bhaskor | ভাস্কৰ | भास्कर | 1
Pranjal | প্ৰাঞ্জল | प्रांजल | 2
Dhruba/Dhruva | ধ্ৰুৱ | ध्रुव | 1
Bikash | বিকাশ | बिकाश | 2
Manash/Manas | মানস | मानस | 1
Hiranya | হিৰণ্য | हिरण्य | 1
Jitu | জিতু | जीतू | 1
Dipankar | দীপংকৰ | दीपंकर | 1
Rupam | ৰূপম | रूपम | 1
Ankur | অংকুৰ | अंकुर | 2
Nayan | নয়ন | नयन | 1
Bhargav/Bhargab | ভাৰ্গৱ | भार्गव | 1
Nilim | নীলিম | नीलिम | 1
Mridul | মৃদুল | मृदुल | 1
Rahul | ৰাহুল | राहुल | 3
Raju | ৰাজু | राजू | 2
Dip/Deep | দীপ | दीप | 1
Jyotirmoy | জ্যোতিৰ্ময় | ज्योतिर्मय | 1
Kaushik/Koushik | কৌশিক | कौशिक | 1
Bishal | বিশাল | विशाल | 1
`);

export const ASSAMESE_GIRLS = nameTable(`
Bornali/Barnali | বৰ্ণালী | बर्णाली | 1
Pallabi/Pallavi | পল্লৱী | पल्लवी | 2
Jonali | জোনালী | जोनाली | 2
Rimpi | ৰিম্পী | रिम्पी | 1
Mousumi | মৌচুমী | मौसुमी | 1
Ankita | অংকিতা | अंकिता | 2
Priyanka | প্ৰিয়ংকা | प्रियंका | 2
Juri | জুৰি | जुरी | 1
Nayanmoni | নয়নমণি | नयनमणि | 1
Puja/Pooja | পূজা | पूजा | 3
Dipshikha/Dipsikha | দীপশিখা | दीपशिखा | 1
Jyoti | জ্যোতি | ज्योति | 1
Trishna | তৃষ্ণা | तृष्णा | 1
Kakoli | কাকলি | काकली | 1
Himashree/Himasri | হিমশ্ৰী | हिमश्री | 1
Monisha | মনীষা | मनीषा | 1
Bhanita | ভনিতা | भनिता | 1
Rashmi/Rasmi | ৰশ্মি | रश्मि | 1
Mitali | মিতালী | मिताली | 1
`);

export const ASSAMESE_SURNAMES = nameTable(`
Gogoi | গগৈ | गोगोई | 3
Baruah/Barua/Borua | বৰুৱা | बरुआ | 3
Bora/Borah | বৰা | बोरा | 3
Saikia | শইকীয়া | सैकिया | 2
Kalita | কলিতা | कलिता | 2
Das | দাস | दास | 3
Deka | ডেকা | डेका | 2
Hazarika | হাজৰিকা | हज़ारिका/हजारिका | 1
Sharma | শৰ্মা | शर्मा | 1
Phukan | ফুকন | फुकन | 1
Dutta/Datta | দত্ত | दत्ता | 1
Nath | নাথ | नाथ | 2
Boro/Bodo | বড়ো | बोड़ो/बोरो | 2
Rabha | ৰাভা | राभा | 1
Konwar/Kunwar | কোঁৱৰ | कोंवर | 1
Bhuyan/Bhuiyan | ভূঞা | भुइयां | 1
Chetia | চেতিয়া | चेतिया | 1
Medhi | মেধি | मेधी | 1
`);

export const ASSAMESE_PET_BOYS = nameTable(`
Bubu | বুবু | बुबु
Moina | মইনা | मोइना
Babu | বাবু | बाबू
Pona | পোনা | पोना
Rinku | ৰিংকু | रिंकू
`);

export const ASSAMESE_PET_GIRLS = nameTable(`
Moina | মইনা | मोइना
Jon | জোন | जोन
Dhunu | ধুনু | धुनु
Bubu | বুবু | बुबु
Mamoni/Mamuni | মামণি | मामोनी
`);

export const ODIA_BOYS = nameTable(`
Subham/Shubham | শুভম | शुभम | 2
Bikash | বিকাশ | बिकाश | 2
Sanjay | সঞ্জয় | संजय | 1
Pradeep/Pradip | প্রদীপ | प्रदीप | 1
Ashish/Asish | আশিস | आशीष | 1
Sambit | সম্বিত | संबित | 1
Prakash | প্রকাশ | प्रकाश | 1
Debasis/Debashish | দেবাশিস | देबाशीष | 1
Santosh | সন্তোষ | संतोष | 1
Manas | মানস | मानस | 1
Rakesh | রাকেশ | राकेश | 1
Tapan | তপন | तपन | 1
Jagannath | জগন্নাথ | जगन्नाथ | 1
Chandan | চন্দন | चंदन | 1
Satyajit | সত্যজিৎ | सत्यजीत | 1
Lalit | ললিত | ललित | 1
Soumya/Sowmya | সৌম্য | सौम्य | 1
Ramesh | রমেশ | रमेश | 1
Rajesh | রাজেশ | राजेश | 1
Sumit | সুমিত | सुमित | 1
`);

export const ODIA_GIRLS = nameTable(`
Sasmita/Susmita | সস্মিতা | सस्मिता | 2
Jyotsna/Jyotshna | জ্যোৎস্না | ज्योत्स्ना | 1
Subhashree/Subhasri | শুভশ্রী | शुभश्री | 2
Priyanka | প্রিয়াঙ্কা | प्रियंका | 2
Lipsa | লিপ্সা | लिप्सा | 1
Mamata/Mamta | মমতা | ममता | 1
Puja/Pooja | পূজা | पूजा | 2
Sunita | সুনীতা | सुनीता | 1
Madhusmita | মধুস্মিতা | मधुस्मिता | 1
Sushree | সুশ্রী | सुश्री | 1
Rashmita | রশ্মিতা | रश्मिता | 1
Itishree | ইতিশ্রী | इतिश्री | 1
Monalisa | মোনালিসা | मोनालिसा | 1
Namita | নমিতা | नमिता | 1
Swagatika | স্বাগতিকা | स्वागतिका | 1
Rinki | রিঙ্কি | रिंकी | 1
Laxmi/Lakshmi | লক্ষ্মী | लक्ष्मी | 1
Gitanjali | গীতাঞ্জলি | गीतांजलि | 1
`);

export const ODIA_SURNAMES = nameTable(`
Behera | বেহেরা | बेहेरा | 3
Sahoo/Sahu | সাহু | साहू | 3
Nayak/Naik | নায়েক | नायक | 2
Mohanty/Mahanty | মহান্তি | मोहंती | 2
Patra | পাত্র | पात्र | 1
Jena | জেনা | जेना | 2
Swain | স্বাইন | स्वाईं | 1
Das | দাস | दास | 2
Rout/Raut | রাউত | राउत | 1
Barik | বারিক | बारिक | 1
Pradhan | প্রধান | प्रधान | 2
Panda | পান্ডা | पंडा | 1
Mishra | মিশ্র | मिश्रा | 1
Sethi | শেঠি | सेठी | 1
Dalai | দলাই | दलाई | 1
Biswal | বিশ্বাল | बिस्वाल | 1
Majhi | মাঝি | माझी | 1
Parida | পরিদা | परिदा | 1
`);

export const ODIA_PET_BOYS = nameTable(`
Bapuni | বাপুনি | बापुनी
Tuku | টুকু | टुकू
Lulu | লুলু | लुलु
Chinu | চিনু | चिनू
Sonu | সোনু | सोनू
`);

export const ODIA_PET_GIRLS = nameTable(`
Mamuni | মামুনি | मामुनी
Tiki | টিকি | टिकी
Kuni | কুনি | कुनी
Lulu | লুলু | लुलु
Chinu | চিনু | चिनू
`);

export const ADIVASI_BOYS = nameTable(`
Birsa | বিরসা | बिरसा | 1
Mangal | মঙ্গল | मंगल | 2
Somra | সোমরা | सोमरा | 1
Budhram | বুধরাম | बुधराम | 1
Sukra | শুক্রা | सुकरा | 1
Etwa | এতোয়া | एतवा | 1
Anil | অনিল | अनिल | 2
Suresh | সুরেশ | सुरेश | 2
Sanjay | সঞ্জয় | संजय | 2
Prabhu | প্রভু | प्रभु | 1
Rajesh | রাজেশ | राजेश | 2
Sunil | সুনীল | सुनील | 1
Ajit | অজিত | अजीत | 1
Bhola | ভোলা | भोला | 1
Lakhan | লখন | लखन | 1
Jitendra | জিতেন্দ্র | जितेंद्र | 1
Amrit | অমৃত | अमृत | 1
Samuel | স্যামুয়েল | सैमुअल | 1
Prakash | প্রকাশ | प्रकाश | 1
Raju | রাজু | राजू | 2
`);

export const ADIVASI_GIRLS = nameTable(`
Sukhmani | সুখমণি | सुखमनी | 1
Salomi | সালোমি | सलोमी | 1
Anita | অনিতা | अनिता | 2
Sunita | সুনীতা | सुनीता | 2
Budhni | বুধনি | बुधनी | 1
Phulmani | ফুলমণি | फूलमनी | 1
Somari | সোমারি | सोमारी | 1
Mangri | মাংরি | मंगरी | 1
Jyoti | জ্যোতি | ज्योति | 1
Rita | রীতা | रीता | 2
Sarita | সরিতা | सरिता | 1
Meena/Mina | মীনা | मीना | 2
Basanti | বাসন্তী | बसंती | 1
Sushma | সুষমা | सुषमा | 1
Priska | প্রিস্কা | प्रिस्का | 1
Pinky | পিঙ্কি | पिंकी | 1
Sumitra | সুমিত্রা | सुमित्रा | 1
Dulari | দুলারি | दुलारी | 1
`);

export const ADIVASI_SURNAMES = nameTable(`
Oraon/Oram/Uraon | ওরাওঁ | उरांव | 4
Munda | মুন্ডা | मुंडा | 3
Soren | সোরেন | सोरेन | 2
Hansda/Hansdah | হাঁসদা | हांसदा | 2
Tudu | টুডু | टुडू | 2
Kisku | কিস্কু | किस्कू | 1
Murmu | মুর্মু | मुर्मू | 2
Hembrom | হেমব্রম | हेम्ब्रम | 1
Marandi | মারান্ডি | मरांडी | 1
Toppo | টোপ্পো | टोप्पो | 1
Lakra | লাকড়া | लकड़ा | 1
Kujur | কুজুর | कुजूर | 1
Tirkey | তিরকি | तिर्की | 1
Ekka | এক্কা | एक्का | 1
Minz | মিঞ্জ | मिंज | 1
Kerketta | কেরকেট্টা | केरकेट्टा | 1
Bhengra | ভেংরা | भेंगरा | 1
Barla | বারলা | बारला | 1
`);

export const ADIVASI_PET_BOYS = nameTable(`
Babu | বাবু | बाबू
Chhotu | ছোটু | छोटू
Bhola | ভোলা | भोला
Nunu | নুনু | नुनु
`);

export const ADIVASI_PET_GIRLS = nameTable(`
Munni | মুন্নি | मुन्नी
Nunu | নুনু | नुनु
Chhutki | ছুটকি | छुटकी
Budhni | বুধনি | बुधनी
`);
