/**
 * The undertaking in the shipped languages (issue 18): the plain words, the Easy read lines and the
 * questions of the check of understanding, translated for one version of a profile's undertaking. The
 * council's full wording is not translated: it is always shown in English, and a translation is always
 * shown with the English beside it. Each translation has its own SHA-256, carried by the signer's event
 * with the English text's, so both texts are part of what is signed.
 *
 * The translations are careful and plain, written for this product; none is yet approved by a council
 * (each profile's `translationApproval` says which are).
 */
import type { TranslatedLanguage } from './languages';
import type { EasyReadLine } from './profiles';

/** A question of the check of understanding in another language: same ids, same right answers. */
export interface TranslatedQuestion {
  id: string;
  question: string;
  answers: ReadonlyArray<{ id: string; text: string }>;
  explanation: string;
}

/** The words of one version of the undertaking in one language. */
export interface UndertakingTranslationWords {
  language: TranslatedLanguage;
  plain: string;
  easyRead: readonly EasyReadLine[];
  questions: readonly TranslatedQuestion[];
}

export interface UndertakingTranslation extends UndertakingTranslationWords {
  /**
   * SHA-256 (hex) of the RFC 8785 canonical JSON of the words (`language`, `plain`, `easyRead`,
   * `questions`), computed by `translationSha256` (chain.ts); a unit test recomputes it.
   */
  sha256: string;
}

const lines = (...l: string[]) => l.join('\n');

const HCS_PL: UndertakingTranslationWords = {
  language: 'pl',
  plain: lines(
    'Chcesz nagrać to spotkanie. Najpierw składasz kilka obietnic.',
    '',
    'Obiecuję, że:',
    'Nie udostępnię nagrania publicznie. Chodzi o każde miejsce, w którym prywatne sprawy dziecka mogłyby wyjść na jaw albo skrzywdzić dziecko lub rodzinę.',
    'Nie użyję nagrania, aby złamać prawo.',
    '',
    'Rozumiem, że:',
    "a) Mogę używać nagrania tylko w sprawach związanych z Children's Services (opieką społeczną nad dziećmi).",
    'b) Jeśli przewodniczący lub ktokolwiek obecny na spotkaniu poprosi mnie o kopię nagrania, muszę mu ją dać.',
    'c) Nie wolno mi umieszczać nagrania w mediach społecznościowych, na żadnej stronie internetowej ani w żadnym innym miejscu publicznym.',
    "d) Jeśli udostępnię nagranie i zaszkodzi ono dziecku, Children's Services (albo rodzic lub opiekun) mogą poprosić sąd, aby nakazał mi je usunąć. Taki nakaz sądu to zakaz sądowy (po angielsku: injunction).",
    'e) Jeśli ktoś obawia się, że dziecko, rodzina lub pracownicy zostali skrzywdzeni, można zapytać prawnika, co zrobić. Sprawa może trafić do sądu i może to być przestępstwo.',
  ),
  easyRead: [
    { text: 'Chcesz nagrać to spotkanie.', picture: 'recording' },
    {
      text: "Nagrania możesz używać tylko w swoich sprawach z Children's Services.",
      picture: 'childrens-services',
    },
    { text: 'Ktoś ze spotkania może poprosić o kopię. Musisz mu ją dać.', picture: 'give-copy' },
    {
      text: 'Nie wolno ci umieszczać nagrania w internecie. Chodzi o Facebooka, TikToka, grupy na WhatsAppie i każdą stronę internetową.',
      picture: 'no-internet',
    },
    {
      text: 'Jeśli udostępnisz nagranie i zaszkodzi ono dziecku, urząd może pójść do sądu. Sąd może nakazać ci je usunąć. To się nazywa zakaz sądowy.',
      picture: 'court',
    },
    {
      text: 'Jeśli ktoś obawia się krzywdy, urząd może zapytać prawnika. Sprawa może trafić do sądu.',
      picture: 'legal-advice',
    },
    { text: 'Podpisujesz, aby pokazać, że rozumiesz i się zgadzasz.', picture: 'sign' },
  ],
  questions: [
    {
      id: 'not-online',
      question: 'Czy możesz umieścić nagranie na Facebooku?',
      answers: [
        { id: 'yes', text: 'Tak' },
        { id: 'friends-only', text: 'Tak, tylko dla moich znajomych' },
        { id: 'no', text: 'Nie' },
      ],
      explanation:
        'Nie wolno ci umieszczać nagrania w internecie. Chodzi o Facebooka, TikToka, grupy na WhatsAppie i każdą stronę internetową.',
    },
    {
      id: 'give-copy',
      question: 'Ktoś ze spotkania prosi cię o kopię. Co robisz?',
      answers: [
        { id: 'give', text: 'Daję mu kopię' },
        { id: 'keep', text: 'Zatrzymuję nagranie dla siebie' },
      ],
      explanation: 'Ktoś ze spotkania może poprosić o kopię. Musisz mu ją dać.',
    },
    {
      id: 'childrens-services-only',
      question: 'Do czego możesz używać nagrania?',
      answers: [
        { id: 'childrens-services', text: "Do spraw związanych z Children's Services" },
        { id: 'anything', text: 'Do czego tylko chcę' },
      ],
      explanation: "Nagrania możesz używać tylko w swoich sprawach z Children's Services.",
    },
  ],
};

const HCS_UR: UndertakingTranslationWords = {
  language: 'ur',
  plain: lines(
    'آپ اس میٹنگ کو ریکارڈ کرنا چاہتے ہیں۔ پہلے آپ کچھ وعدے کرتے ہیں۔',
    '',
    'میرا وعدہ ہے کہ:',
    'میں ریکارڈنگ کو عوامی طور پر شیئر نہیں کروں گا/گی۔ اس کا مطلب ہے کوئی بھی ایسی جگہ جہاں بچے کی نجی باتیں باہر آ سکتی ہوں، یا بچے یا خاندان کو نقصان پہنچ سکتا ہو۔',
    'میں ریکارڈنگ کو قانون توڑنے کے لیے استعمال نہیں کروں گا/گی۔',
    '',
    'مجھے معلوم ہے کہ:',
    "a) مجھے ریکارڈنگ صرف Children's Services (بچوں کی سماجی خدمات) سے متعلق کاموں کے لیے استعمال کرنے کی اجازت ہے۔",
    'b) اگر میٹنگ کا چیئر یا میٹنگ میں موجود کوئی بھی شخص مجھ سے ریکارڈنگ کی کاپی مانگے تو مجھے انہیں ایک کاپی دینی ہوگی۔',
    'c) مجھے ریکارڈنگ سوشل میڈیا، کسی ویب سائٹ یا کسی اور عوامی جگہ پر ڈالنے کی اجازت نہیں ہے۔',
    "d) اگر میں ریکارڈنگ شیئر کروں اور اس سے بچے کو نقصان پہنچے تو Children's Services (یا کوئی والدین یا نگہداشت کرنے والا) عدالت سے کہہ سکتے ہیں کہ وہ مجھے اسے ہٹانے کا حکم دے۔ عدالت کے اس حکم کو حکمِ امتناعی (انگریزی میں: injunction) کہتے ہیں۔",
    'e) اگر لوگوں کو فکر ہو کہ بچے، خاندان یا عملے کو نقصان پہنچا ہے تو کسی وکیل سے پوچھا جا سکتا ہے کہ کیا کرنا ہے۔ معاملہ عدالت تک جا سکتا ہے، اور یہ جرم بھی ہو سکتا ہے۔',
  ),
  easyRead: [
    { text: 'آپ اس میٹنگ کو ریکارڈ کرنا چاہتے ہیں۔', picture: 'recording' },
    {
      text: "آپ ریکارڈنگ صرف Children's Services کے ساتھ اپنے معاملات کے لیے استعمال کر سکتے ہیں۔",
      picture: 'childrens-services',
    },
    { text: 'میٹنگ کا کوئی شخص کاپی مانگ سکتا ہے۔ آپ کو انہیں ایک کاپی دینی ہوگی۔', picture: 'give-copy' },
    {
      text: 'آپ ریکارڈنگ انٹرنیٹ پر نہیں ڈال سکتے۔ اس کا مطلب ہے فیس بک، ٹک ٹاک، واٹس ایپ گروپ یا کوئی بھی ویب سائٹ۔',
      picture: 'no-internet',
    },
    {
      text: 'اگر آپ اسے شیئر کریں اور اس سے بچے کو نقصان پہنچے تو کونسل عدالت جا سکتی ہے۔ عدالت آپ کو اسے ہٹانے کا حکم دے سکتی ہے۔ اسے حکمِ امتناعی کہتے ہیں۔',
      picture: 'court',
    },
    {
      text: 'اگر لوگوں کو نقصان کی فکر ہو تو کونسل کسی وکیل سے پوچھ سکتی ہے۔ معاملہ عدالت تک جا سکتا ہے۔',
      picture: 'legal-advice',
    },
    { text: 'آپ یہ بتانے کے لیے دستخط کرتے ہیں کہ آپ سمجھتے ہیں اور متفق ہیں۔', picture: 'sign' },
  ],
  questions: [
    {
      id: 'not-online',
      question: 'کیا آپ ریکارڈنگ فیس بک پر ڈال سکتے ہیں؟',
      answers: [
        { id: 'yes', text: 'ہاں' },
        { id: 'friends-only', text: 'ہاں، صرف اپنے دوستوں کے لیے' },
        { id: 'no', text: 'نہیں' },
      ],
      explanation:
        'آپ ریکارڈنگ انٹرنیٹ پر نہیں ڈال سکتے۔ اس کا مطلب ہے فیس بک، ٹک ٹاک، واٹس ایپ گروپ یا کوئی بھی ویب سائٹ۔',
    },
    {
      id: 'give-copy',
      question: 'میٹنگ کا کوئی شخص آپ سے کاپی مانگتا ہے۔ آپ کیا کریں گے؟',
      answers: [
        { id: 'give', text: 'انہیں ایک کاپی دے دوں' },
        { id: 'keep', text: 'اسے صرف اپنے پاس رکھوں' },
      ],
      explanation: 'میٹنگ کا کوئی شخص کاپی مانگ سکتا ہے۔ آپ کو انہیں ایک کاپی دینی ہوگی۔',
    },
    {
      id: 'childrens-services-only',
      question: 'آپ ریکارڈنگ کس کام کے لیے استعمال کر سکتے ہیں؟',
      answers: [
        { id: 'childrens-services', text: "Children's Services سے متعلق کاموں کے لیے" },
        { id: 'anything', text: 'جس کام کے لیے بھی چاہوں' },
      ],
      explanation: "آپ ریکارڈنگ صرف Children's Services کے ساتھ اپنے معاملات کے لیے استعمال کر سکتے ہیں۔",
    },
  ],
};

const HCS_RO: UndertakingTranslationWords = {
  language: 'ro',
  plain: lines(
    'Vreți să înregistrați această ședință. Mai întâi, faceți câteva promisiuni.',
    '',
    'Promit că:',
    'Nu voi face publică înregistrarea. Adică în niciun loc unde lucruri private despre copil ar putea ieși la iveală sau ar putea răni copilul ori familia.',
    'Nu voi folosi înregistrarea pentru a încălca legea.',
    '',
    'Înțeleg că:',
    "a) Pot folosi înregistrarea doar pentru lucruri legate de Children's Services (serviciile sociale pentru copii).",
    'b) Dacă președintele ședinței sau oricine a fost la ședință îmi cere o copie a înregistrării, trebuie să i-o dau.',
    'c) Nu am voie să pun înregistrarea pe rețelele de socializare, pe vreun site sau în orice alt loc public.',
    "d) Dacă distribui înregistrarea și aceasta îi face rău copilului, Children's Services (sau un părinte ori îngrijitor) pot cere instanței să mă oblige să o șterg. Acest ordin al instanței se numește ordonanță (în engleză: injunction).",
    'e) Dacă cineva se teme că copilul, familia sau personalul au avut de suferit, se poate cere sfatul unui avocat. Cazul poate ajunge în instanță și poate fi o infracțiune.',
  ),
  easyRead: [
    { text: 'Vreți să înregistrați această ședință.', picture: 'recording' },
    {
      text: "Puteți folosi înregistrarea doar pentru treburile dumneavoastră cu Children's Services.",
      picture: 'childrens-services',
    },
    { text: 'Cineva de la ședință vă poate cere o copie. Trebuie să i-o dați.', picture: 'give-copy' },
    {
      text: 'Nu aveți voie să puneți înregistrarea pe internet. Adică pe Facebook, TikTok, grupuri de WhatsApp sau orice site.',
      picture: 'no-internet',
    },
    {
      text: 'Dacă o distribuiți și îi face rău copilului, consiliul poate merge în instanță. Instanța vă poate obliga să o ștergeți. Aceasta se numește ordonanță.',
      picture: 'court',
    },
    {
      text: 'Dacă cineva se teme de un rău, consiliul poate întreba un avocat. Cazul poate ajunge în instanță.',
      picture: 'legal-advice',
    },
    { text: 'Semnați ca să arătați că înțelegeți și sunteți de acord.', picture: 'sign' },
  ],
  questions: [
    {
      id: 'not-online',
      question: 'Puteți pune înregistrarea pe Facebook?',
      answers: [
        { id: 'yes', text: 'Da' },
        { id: 'friends-only', text: 'Da, doar pentru prietenii mei' },
        { id: 'no', text: 'Nu' },
      ],
      explanation:
        'Nu aveți voie să puneți înregistrarea pe internet. Adică pe Facebook, TikTok, grupuri de WhatsApp sau orice site.',
    },
    {
      id: 'give-copy',
      question: 'Cineva de la ședință vă cere o copie. Ce faceți?',
      answers: [
        { id: 'give', text: 'Îi dau o copie' },
        { id: 'keep', text: 'O păstrez doar pentru mine' },
      ],
      explanation: 'Cineva de la ședință vă poate cere o copie. Trebuie să i-o dați.',
    },
    {
      id: 'childrens-services-only',
      question: 'Pentru ce puteți folosi înregistrarea?',
      answers: [
        { id: 'childrens-services', text: "Pentru lucruri legate de Children's Services" },
        { id: 'anything', text: 'Pentru orice vreau' },
      ],
      explanation: "Puteți folosi înregistrarea doar pentru treburile dumneavoastră cu Children's Services.",
    },
  ],
};

const withHash = (words: UndertakingTranslationWords, sha256: string): UndertakingTranslation => ({
  ...words,
  sha256,
});

/** Hertfordshire's undertaking, version hcs-2026-3, in the shipped languages. */
export const HCS_TRANSLATIONS: Readonly<Partial<Record<TranslatedLanguage, UndertakingTranslation>>> = {
  pl: withHash(HCS_PL, 'e6b8f05bb30406106d926361f02eaca99242db77a52ea3ca5bd6e011111fcdbb'),
  ur: withHash(HCS_UR, 'dcfcf038da18b64da41199746bda47c842f6c904165ae4925a756590861b7493'),
  ro: withHash(HCS_RO, '60cd9936beddbe6f67485cb0250bb5440c03038909daee661c1558c2616aa33a'),
};
