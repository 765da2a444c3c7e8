import type { SpecialtyCode } from './vocabulary';

/** Language family used for clinic names. */
export type ClinicNaming = 'en' | 'de' | 'es' | 'fr';

/** A kind of clinic: which specialties go together and what such a place is called. */
export interface ClinicProfile {
  readonly id: string;
  /** One of these is the clinic's main specialty. */
  readonly primary: readonly SpecialtyCode[];
  /** Up to two more are added from here. */
  readonly extras: readonly SpecialtyCode[];
  readonly weight: number;
  /** Name nouns; English ones use British spelling and are americanised for US clinics. */
  readonly nouns: Readonly<Record<ClinicNaming, readonly string[]>>;
}

export const clinicProfiles: readonly ClinicProfile[] = [
  {
    id: 'primary-care',
    primary: ['general-practice'],
    extras: [
      'internal-medicine',
      'paediatrics',
      'travel-medicine',
      'sexual-health',
      'nutrition-dietetics',
      'diabetes-education',
    ],
    weight: 20,
    nouns: {
      en: [
        'Family Clinic',
        'Medical Centre',
        'Family Practice',
        'Health Centre',
        'Medical Group',
        'Family Medicine',
      ],
      de: ['Hausarztpraxis', 'Gemeinschaftspraxis', 'Hausärzte', 'MVZ'],
      es: ['Centro Médico', 'Policlínica', 'Clínica'],
      fr: ['Centre médical', 'Cabinet médical', 'Maison de santé'],
    },
  },
  {
    id: 'dental',
    primary: ['dentistry'],
    extras: [
      'dental-hygiene',
      'orthodontics',
      'paediatric-dentistry',
      'periodontics',
      'endodontics',
      'prosthodontics',
      'oral-maxillofacial-surgery',
    ],
    weight: 16,
    nouns: {
      en: ['Dental', 'Dental Care', 'Dental Clinic', 'Dental Practice', 'Dental Studio'],
      de: ['Zahnarztpraxis', 'Zahnärzte', 'Zahnzentrum'],
      es: ['Clínica Dental', 'Centro Dental'],
      fr: ['Cabinet dentaire', 'Centre dentaire'],
    },
  },
  {
    id: 'physio',
    primary: ['physiotherapy'],
    extras: [
      'sports-medicine',
      'massage-therapy',
      'occupational-therapy',
      'osteopathy',
      'chiropractic',
      'acupuncture',
    ],
    weight: 10,
    nouns: {
      en: ['Physiotherapy', 'Physio & Rehab', 'Sports Injury Clinic', 'Physiotherapy Clinic'],
      de: ['Praxis für Physiotherapie', 'Physiotherapie', 'Reha-Zentrum'],
      es: ['Centro de Fisioterapia', 'Fisioterapia'],
      fr: ['Cabinet de kinésithérapie', 'Centre de rééducation'],
    },
  },
  {
    id: 'eye',
    primary: ['ophthalmology', 'optometry'],
    extras: ['ophthalmology', 'optometry'],
    weight: 5,
    nouns: {
      en: ['Eye Centre', 'Eye Clinic', 'Vision Care', 'Eye Care'],
      de: ['Augenarztpraxis', 'Augenzentrum'],
      es: ['Centro Oftalmológico', 'Clínica Oftalmológica'],
      fr: ["Centre d'ophtalmologie", 'Centre de la vision'],
    },
  },
  {
    id: 'skin',
    primary: ['dermatology'],
    extras: ['aesthetic-medicine', 'plastic-surgery', 'allergy-immunology'],
    weight: 6,
    nouns: {
      en: ['Skin Clinic', 'Dermatology', 'Skin & Laser Centre', 'Dermatology Clinic'],
      de: ['Hautarztpraxis', 'Dermatologie', 'Hautzentrum'],
      es: ['Clínica Dermatológica', 'Centro de Dermatología'],
      fr: ['Centre de dermatologie', 'Cabinet de dermatologie'],
    },
  },
  {
    id: 'mental-health',
    primary: ['psychology', 'psychiatry', 'psychotherapy', 'counselling'],
    extras: [
      'psychology',
      'psychotherapy',
      'counselling',
      'psychiatry',
      'addiction-medicine',
      'neuropsychology',
    ],
    weight: 9,
    nouns: {
      en: [
        'Psychology',
        'Mental Health Centre',
        'Wellbeing Centre',
        'Counselling Centre',
        'Therapy Collective',
      ],
      de: ['Psychotherapeutische Praxis', 'Praxis für Psychotherapie', 'Zentrum für seelische Gesundheit'],
      es: ['Centro de Psicología', 'Gabinete de Psicología'],
      fr: ['Centre de psychologie', 'Cabinet de psychothérapie'],
    },
  },
  {
    id: 'womens-health',
    primary: ['obstetrics-gynaecology'],
    extras: ['midwifery', 'reproductive-medicine', 'lactation-consulting', 'sexual-health'],
    weight: 5,
    nouns: {
      en: ["Women's Health Centre", "Women's Clinic", 'Obstetrics & Gynaecology'],
      de: ['Frauenarztpraxis', 'Frauenärzte', 'Praxis für Gynäkologie'],
      es: ['Clínica Ginecológica', 'Centro de la Mujer'],
      fr: ['Cabinet de gynécologie', 'Centre de santé des femmes'],
    },
  },
  {
    id: 'fertility',
    primary: ['reproductive-medicine'],
    extras: ['obstetrics-gynaecology', 'andrology', 'medical-genetics'],
    weight: 1,
    nouns: {
      en: ['Fertility Centre', 'Fertility Clinic', 'IVF'],
      de: ['Kinderwunschzentrum', 'Kinderwunschpraxis'],
      es: ['Clínica de Fertilidad', 'Centro de Reproducción Asistida'],
      fr: ['Centre de fertilité', "Centre d'AMP"],
    },
  },
  {
    id: 'heart',
    primary: ['cardiology'],
    extras: ['vascular-surgery', 'cardiothoracic-surgery', 'internal-medicine'],
    weight: 3,
    nouns: {
      en: ['Heart Centre', 'Heart & Vascular Clinic', 'Cardiology Associates', 'Cardiology'],
      de: ['Kardiologische Praxis', 'Herzzentrum', 'Kardiologie'],
      es: ['Centro Cardiológico', 'Clínica del Corazón'],
      fr: ['Centre de cardiologie', 'Cabinet de cardiologie'],
    },
  },
  {
    id: 'orthopaedics',
    primary: ['orthopaedics'],
    extras: ['sports-medicine', 'physiotherapy', 'hand-surgery', 'spine-surgery', 'pain-medicine'],
    weight: 4,
    nouns: {
      en: ['Orthopaedic Centre', 'Bone & Joint Clinic', 'Orthopaedics', 'Orthopaedic & Sports Medicine'],
      de: ['Orthopädische Praxis', 'Orthopädie', 'Orthopädiezentrum'],
      es: ['Clínica de Traumatología', 'Centro de Traumatología'],
      fr: ["Centre d'orthopédie", 'Cabinet de chirurgie orthopédique'],
    },
  },
  {
    id: 'ent',
    primary: ['ent', 'audiology'],
    extras: ['audiology', 'ent', 'speech-therapy', 'allergy-immunology'],
    weight: 3,
    nouns: {
      en: ['ENT Clinic', 'Ear, Nose & Throat Centre', 'Hearing Centre', 'ENT & Hearing'],
      de: ['HNO-Praxis', 'HNO-Zentrum', 'Hörzentrum'],
      es: ['Clínica Otorrinolaringológica', 'Centro Auditivo'],
      fr: ['Cabinet ORL', "Centre de l'audition"],
    },
  },
  {
    id: 'children',
    primary: ['paediatrics'],
    extras: [
      'child-psychiatry',
      'paediatric-dentistry',
      'speech-therapy',
      'neonatology',
      'allergy-immunology',
    ],
    weight: 4,
    nouns: {
      en: ["Children's Clinic", 'Paediatrics', "Kids' Health Centre", 'Paediatric Practice'],
      de: ['Kinderarztpraxis', 'Kinder- und Jugendarztpraxis', 'Kinderärzte'],
      es: ['Clínica Pediátrica', 'Centro Pediátrico'],
      fr: ['Cabinet de pédiatrie', 'Centre pédiatrique'],
    },
  },
  {
    id: 'digestive',
    primary: ['gastroenterology'],
    extras: ['hepatology', 'colorectal-surgery', 'nutrition-dietetics'],
    weight: 2,
    nouns: {
      en: ['Digestive Health Centre', 'Gastroenterology Associates', 'Gut Health Clinic'],
      de: ['Gastroenterologische Praxis', 'Magen-Darm-Zentrum'],
      es: ['Centro de Digestivo', 'Clínica de Aparato Digestivo'],
      fr: ['Centre de gastro-entérologie', "Cabinet d'hépato-gastro-entérologie"],
    },
  },
  {
    id: 'diabetes',
    primary: ['endocrinology'],
    extras: ['diabetes-education', 'nutrition-dietetics', 'podiatry', 'obesity-medicine'],
    weight: 2,
    nouns: {
      en: ['Diabetes & Endocrine Centre', 'Endocrinology', 'Diabetes Clinic'],
      de: ['Diabetologische Schwerpunktpraxis', 'Praxis für Endokrinologie'],
      es: ['Centro de Endocrinología', 'Clínica de Diabetes'],
      fr: ["Centre d'endocrinologie", 'Centre du diabète'],
    },
  },
  {
    id: 'urgent-care',
    primary: ['urgent-care'],
    extras: ['general-practice', 'occupational-medicine', 'travel-medicine'],
    weight: 3,
    nouns: {
      en: ['Urgent Care', 'Walk-in Clinic', 'Urgent Care Centre'],
      de: ['Notfallpraxis', 'Bereitschaftspraxis'],
      es: ['Centro de Urgencias', 'Urgencias Médicas'],
      fr: ['Centre de soins non programmés', 'Centre médical de garde'],
    },
  },
  {
    id: 'sexual-health',
    primary: ['sexual-health'],
    extras: ['infectious-diseases', 'general-practice'],
    weight: 1,
    nouns: {
      en: ['Sexual Health Clinic', 'Sexual Health Centre'],
      de: ['Praxis für sexuelle Gesundheit', 'Checkpoint'],
      es: ['Centro de Salud Sexual', 'Clínica de ITS'],
      fr: ['Centre de santé sexuelle', 'CeGIDD'],
    },
  },
  {
    id: 'foot',
    primary: ['podiatry'],
    extras: ['diabetes-education', 'physiotherapy'],
    weight: 2,
    nouns: {
      en: ['Foot Clinic', 'Podiatry', 'Foot & Ankle Centre'],
      de: ['Podologische Praxis', 'Podologie'],
      es: ['Clínica del Pie', 'Centro de Podología'],
      fr: ['Cabinet de podologie', 'Centre du pied'],
    },
  },
  {
    id: 'imaging',
    primary: ['radiology'],
    extras: ['nuclear-medicine'],
    weight: 2,
    nouns: {
      en: ['Imaging', 'Radiology', 'Diagnostic Imaging Centre', 'MRI & Imaging'],
      de: ['Radiologische Praxis', 'Radiologie', 'Radiologiezentrum'],
      es: ['Centro de Diagnóstico por Imagen', 'Radiología'],
      fr: ["Centre d'imagerie médicale", 'Cabinet de radiologie'],
    },
  },
  {
    id: 'weight',
    primary: ['obesity-medicine'],
    extras: ['bariatric-surgery', 'nutrition-dietetics', 'endocrinology'],
    weight: 1,
    nouns: {
      en: ['Weight Management Clinic', 'Weight Loss Centre'],
      de: ['Adipositaszentrum', 'Zentrum für Gewichtsmanagement'],
      es: ['Clínica de Obesidad', 'Centro de Control de Peso'],
      fr: ["Centre de l'obésité", 'Centre de nutrition'],
    },
  },
  {
    id: 'neuro',
    primary: ['neurology'],
    extras: ['neurosurgery', 'sleep-medicine', 'neuropsychology', 'pain-medicine'],
    weight: 2,
    nouns: {
      en: ['Neurology', 'Neuroscience Centre', 'Neurology Associates'],
      de: ['Neurologische Praxis', 'Neurologie'],
      es: ['Centro de Neurología', 'Clínica Neurológica'],
      fr: ['Cabinet de neurologie', 'Centre de neurologie'],
    },
  },
  {
    id: 'respiratory',
    primary: ['pulmonology'],
    extras: ['sleep-medicine', 'allergy-immunology'],
    weight: 1,
    nouns: {
      en: ['Respiratory & Sleep Centre', 'Lung Clinic', 'Chest Clinic'],
      de: ['Lungenarztpraxis', 'Pneumologie'],
      es: ['Centro de Neumología', 'Clínica Respiratoria'],
      fr: ['Cabinet de pneumologie', 'Centre du sommeil'],
    },
  },
  {
    id: 'cancer',
    primary: ['oncology'],
    extras: ['haematology', 'palliative-care', 'medical-genetics'],
    weight: 1,
    nouns: {
      en: ['Cancer Centre', 'Oncology', 'Cancer Care'],
      de: ['Onkologische Praxis', 'Onkologie'],
      es: ['Centro Oncológico', 'Oncología'],
      fr: ["Centre d'oncologie", 'Cabinet de cancérologie'],
    },
  },
  {
    id: 'urology',
    primary: ['urology'],
    extras: ['andrology', 'nephrology'],
    weight: 2,
    nouns: {
      en: ['Urology', 'Urology Centre', "Men's Health Clinic"],
      de: ['Urologische Praxis', 'Urologie'],
      es: ['Clínica Urológica', 'Centro de Urología'],
      fr: ["Cabinet d'urologie", "Centre d'urologie"],
    },
  },
  {
    id: 'rehab',
    primary: ['physical-medicine-rehabilitation'],
    extras: ['physiotherapy', 'occupational-therapy', 'speech-therapy', 'pain-medicine'],
    weight: 1,
    nouns: {
      en: ['Rehabilitation Centre', 'Rehab Clinic', 'Recovery Centre'],
      de: ['Rehabilitationszentrum', 'Ambulante Reha'],
      es: ['Centro de Rehabilitación', 'Clínica de Rehabilitación'],
      fr: ['Centre de rééducation fonctionnelle', 'Centre de réadaptation'],
    },
  },
  {
    id: 'kidney',
    primary: ['nephrology'],
    extras: ['urology', 'endocrinology'],
    weight: 1,
    nouns: {
      en: ['Kidney Care', 'Nephrology Associates', 'Renal Clinic'],
      de: ['Nephrologische Praxis', 'Nierenzentrum'],
      es: ['Centro de Nefrología', 'Clínica Renal'],
      fr: ['Cabinet de néphrologie', 'Centre de néphrologie'],
    },
  },
  {
    id: 'rheumatology',
    primary: ['rheumatology'],
    extras: ['physiotherapy', 'pain-medicine'],
    weight: 1,
    nouns: {
      en: ['Arthritis & Rheumatology Clinic', 'Rheumatology', 'Joint Health Centre'],
      de: ['Rheumatologische Praxis', 'Rheumazentrum'],
      es: ['Centro de Reumatología', 'Clínica Reumatológica'],
      fr: ['Cabinet de rhumatologie', 'Centre de rhumatologie'],
    },
  },
  {
    id: 'travel',
    primary: ['travel-medicine'],
    extras: ['infectious-diseases', 'general-practice'],
    weight: 1,
    nouns: {
      en: ['Travel Clinic', 'Travel Health Centre'],
      de: ['Reisemedizinische Praxis', 'Impfzentrum'],
      es: ['Centro de Vacunación Internacional', 'Clínica del Viajero'],
      fr: ['Centre de vaccinations internationales', 'Centre de médecine des voyages'],
    },
  },
  {
    id: 'aesthetic',
    primary: ['aesthetic-medicine'],
    extras: ['plastic-surgery', 'dermatology'],
    weight: 1,
    nouns: {
      en: ['Aesthetics', 'Aesthetic Clinic', 'Skin & Aesthetics'],
      de: ['Praxis für Ästhetische Medizin', 'Ästhetik'],
      es: ['Clínica Estética', 'Medicina Estética'],
      fr: ['Centre de médecine esthétique', 'Cabinet esthétique'],
    },
  },
  {
    id: 'occupational-health',
    primary: ['occupational-medicine'],
    extras: ['audiology', 'physiotherapy', 'general-practice'],
    weight: 1,
    nouns: {
      en: ['Occupational Health', 'Workplace Health Centre'],
      de: ['Arbeitsmedizinisches Zentrum', 'Betriebsärztlicher Dienst'],
      es: ['Centro de Medicina del Trabajo', 'Salud Laboral'],
      fr: ['Service de santé au travail', 'Centre de médecine du travail'],
    },
  },
  {
    id: 'chiropractic',
    primary: ['chiropractic', 'osteopathy'],
    extras: ['massage-therapy', 'physiotherapy', 'acupuncture'],
    weight: 2,
    nouns: {
      en: ['Chiropractic', 'Spine & Wellness', 'Back Care Clinic', 'Osteopathy & Chiropractic'],
      de: ['Praxis für Chiropraktik', 'Osteopathie'],
      es: ['Centro Quiropráctico', 'Clínica de Osteopatía'],
      fr: ['Cabinet de chiropraxie', "Cabinet d'ostéopathie"],
    },
  },
  {
    id: 'surgery',
    primary: ['general-surgery'],
    extras: [
      'colorectal-surgery',
      'vascular-surgery',
      'plastic-surgery',
      'anaesthesiology',
      'bariatric-surgery',
    ],
    weight: 1,
    nouns: {
      en: ['Surgical Centre', 'Day Surgery', 'Surgical Associates'],
      de: ['Chirurgische Praxis', 'Ambulantes OP-Zentrum'],
      es: ['Centro Quirúrgico', 'Clínica Quirúrgica'],
      fr: ['Centre de chirurgie', 'Clinique chirurgicale'],
    },
  },
];

/** English place words for clinic names besides the neighbourhood. */
export const englishPlaceWords = [
  'Riverside',
  'Parkview',
  'Oakwood',
  'Lakeside',
  'Hillcrest',
  'Greenway',
  'Northgate',
  'Westside',
  'Harbourside',
  'Maple',
  'Cedar',
  'Willow',
  'Summit',
  'Bayview',
  'Meadowbrook',
  'Kingsway',
  'Crescent',
  'Beacon',
  'Highland',
  'Brookside',
  'Fairview',
  'Evergreen',
  'Juniper',
  'Linden',
  'Ashford',
  'Silverbirch',
  'Clearwater',
  'Foxglove',
];

/** Indian clinic name words. */
export const indianPlaceWords = [
  'Sunrise',
  'Lotus',
  'Sanjeevani',
  'Arogya',
  'Jeevan',
  'Dhanvantari',
  'Shanti',
  'Nirmal',
  'Prakash',
  'Amrit',
  'Sparsh',
  'Aastha',
];

export const germanPlaceWords = [
  'am Stadtpark',
  'am Markt',
  'am Rathaus',
  'am Ring',
  'am Kirchplatz',
  'an der Oper',
  'am Bahnhof',
];
export const spanishPlaceWords = [
  'San Rafael',
  'Santa Ana',
  'del Parque',
  'Mediterráneo',
  'La Alameda',
  'Las Fuentes',
  'Nova',
];
export const frenchPlaceWords = [
  'Pasteur',
  'du Parc',
  'des Lilas',
  'Saint-Michel',
  'de la Gare',
  'des Tilleuls',
  'Voltaire',
];
