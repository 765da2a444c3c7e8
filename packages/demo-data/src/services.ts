import type { SpecialtyCategory, SpecialtyCode } from './vocabulary';

/**
 * A bookable service a specialty typically offers. Durations are minutes (15–60), prices are
 * whole US dollars before the country's price factor; `video` says whether it can be, or only
 * is, done by video; `selfPay` services are charged even where a public scheme covers the visit.
 */
export interface ServiceTemplate {
  readonly name: string;
  readonly minutes: readonly number[];
  readonly price: number;
  readonly video: 'no' | 'yes' | 'only';
  readonly selfPay?: boolean;
  /** Minutes kept free after the appointment (cleaning a room, writing notes). */
  readonly after?: readonly number[];
  readonly before?: readonly number[];
}

const t = (
  name: string,
  minutes: number | readonly number[],
  price: number,
  video: ServiceTemplate['video'] = 'no',
  extra: Partial<Pick<ServiceTemplate, 'selfPay' | 'after' | 'before'>> = {},
): ServiceTemplate => ({
  name,
  minutes: typeof minutes === 'number' ? [minutes] : minutes,
  price,
  video,
  ...extra,
});

/** Consultations any physician specialty offers; `{S}` is the specialty's name. */
export const physicianDefaults: readonly ServiceTemplate[] = [
  t('{S} consultation', [30, 40, 45], 250, 'yes'),
  t('{S} follow-up', [15, 20], 150, 'yes'),
  t('{S} video consultation', [20, 30], 150, 'only'),
];

export const serviceTemplates: Partial<Record<SpecialtyCode, readonly ServiceTemplate[]>> = {
  'general-practice': [
    t('GP appointment', 15, 120, 'yes'),
    t('Long GP appointment', 30, 200, 'yes'),
    t('GP video consultation', 15, 100, 'only'),
    t('Health check', [45, 60], 250, 'no', { selfPay: true }),
    t('Childhood vaccinations', 15, 80),
    t('Sick note appointment', 15, 80, 'only'),
  ],
  'internal-medicine': [
    t('Internal medicine consultation', [30, 45], 220, 'yes'),
    t('Annual physical', [45, 60], 250),
    t('Follow-up visit', [15, 20], 140, 'yes'),
    t('Internal medicine video visit', 20, 130, 'only'),
  ],
  'urgent-care': [
    t('Walk-in visit', [15, 20], 150),
    t('Minor injury treatment', 30, 200),
    t('Urgent care video visit', 15, 90, 'only'),
  ],
  paediatrics: [
    t('Paediatric consultation', [20, 30], 180, 'yes'),
    t('Well-child check', 30, 150),
    t('Childhood vaccinations', 15, 80),
    t('Newborn check', 30, 170),
    t('Paediatric video consultation', 15, 120, 'only'),
  ],
  cardiology: [
    t('Cardiology consultation', [30, 45], 300, 'yes'),
    t('ECG and consultation', 45, 350),
    t('Echocardiogram', [45, 60], 450),
    t('Cardiology follow-up', 20, 180, 'yes'),
    t('Blood pressure monitor fitting', 15, 150),
  ],
  dermatology: [
    t('Dermatology consultation', [20, 30], 220, 'yes'),
    t('Skin check', [20, 30], 160),
    t('Mole mapping', 45, 300, 'no', { selfPay: true }),
    t('Acne consultation', 30, 200, 'yes'),
    t('Dermatology video consultation', 20, 150, 'only'),
  ],
  'obstetrics-gynaecology': [
    t('Gynaecology consultation', 30, 250, 'yes'),
    t('Cervical screening', 15, 120, 'no', { after: [5] }),
    t('Pregnancy check', 30, 200),
    t('Contraception consultation', 20, 120, 'yes'),
    t('Menopause consultation', 30, 220, 'yes'),
  ],
  ophthalmology: [
    t('Ophthalmology consultation', 30, 250),
    t('Comprehensive eye examination', 45, 250),
    t('Cataract assessment', 45, 300),
    t('Glaucoma check', 30, 200),
  ],
  optometry: [
    t('Eye test', 30, 90),
    t('Contact lens fitting', 30, 100),
    t("Children's eye test", 20, 60),
    t('Dry eye assessment', 30, 95),
  ],
  ent: [
    t('ENT consultation', 30, 250, 'yes'),
    t('Ear wax removal (microsuction)', 20, 100),
    t('Hearing assessment', 30, 150),
    t('ENT follow-up', 15, 150),
  ],
  audiology: [
    t('Hearing test', [30, 45], 120),
    t('Hearing aid fitting', 60, 150),
    t('Ear wax removal', 20, 70),
    t('Tinnitus consultation', 45, 130, 'yes'),
  ],
  orthopaedics: [
    t('Orthopaedic consultation', 30, 280, 'yes'),
    t('Sports injury assessment', 30, 250),
    t('Joint injection', 20, 250, 'no', { after: [10] }),
    t('Orthopaedic follow-up', 15, 160),
  ],
  gastroenterology: [
    t('Gastroenterology consultation', [30, 45], 280, 'yes'),
    t('Colonoscopy pre-assessment', 30, 200),
    t('Gastroenterology follow-up', 20, 170, 'yes'),
  ],
  neurology: [
    t('Neurology consultation', [45, 60], 320, 'yes'),
    t('Headache clinic appointment', 45, 280, 'yes'),
    t('Neurology follow-up', 30, 200, 'yes'),
  ],
  endocrinology: [
    t('Endocrinology consultation', [30, 45], 260, 'yes'),
    t('Diabetes review', 30, 180, 'yes'),
    t('Thyroid consultation', 30, 200, 'yes'),
  ],
  'allergy-immunology': [
    t('Allergy consultation', 30, 220, 'yes'),
    t('Allergy skin prick testing', 60, 300),
    t('Allergy follow-up', 20, 150, 'yes'),
  ],
  urology: [
    t('Urology consultation', 30, 260, 'yes'),
    t('Vasectomy consultation', 20, 180, 'yes'),
    t('Prostate check', 20, 180),
  ],
  'sleep-medicine': [t('Sleep consultation', 45, 260, 'yes'), t('Sleep study review', 30, 200, 'yes')],
  'travel-medicine': [
    t('Travel health consultation', 30, 120, 'yes', { selfPay: true }),
    t('Travel vaccinations', 15, 90, 'no', { selfPay: true }),
    t('Yellow fever vaccination', 15, 150, 'no', { selfPay: true }),
  ],
  'sexual-health': [
    t('STI screening', 15, 100),
    t('PrEP consultation', 20, 120, 'yes'),
    t('Contraception appointment', 20, 100, 'yes'),
  ],
  radiology: [
    t('Ultrasound scan', 30, 300, 'no', { after: [5] }),
    t('X-ray', 15, 120),
    t('MRI scan', [45, 60], 900, 'no', { after: [10] }),
    t('CT scan', 30, 600),
  ],
  'nuclear-medicine': [
    t('Thyroid scan', 45, 450),
    t('Bone scan', 60, 700),
    t('Nuclear medicine consultation', 30, 250),
  ],
  'aesthetic-medicine': [
    t('Aesthetic consultation', 20, 50, 'yes', { selfPay: true }),
    t('Anti-wrinkle injections', 30, 350, 'no', { selfPay: true }),
    t('Dermal filler treatment', 45, 500, 'no', { selfPay: true }),
  ],
  'occupational-medicine': [
    t('Pre-employment medical', 30, 150),
    t('Fitness for work assessment', 45, 200),
    t('Occupational health review', 30, 160, 'yes'),
  ],
  geriatrics: [
    t('Geriatric assessment', 60, 300),
    t('Memory assessment', 60, 320),
    t('Medication review', 30, 160, 'yes'),
  ],
  'pain-medicine': [
    t('Pain management consultation', 45, 300, 'yes'),
    t('Nerve block injection', 30, 450, 'no', { after: [15] }),
  ],
  'medical-genetics': [
    t('Genetic counselling session', 60, 350, 'yes'),
    t('Genetic test results appointment', 30, 180, 'yes'),
  ],
  'plastic-surgery': [
    t('Plastic surgery consultation', 45, 250, 'yes'),
    t('Cosmetic surgery consultation', 45, 200, 'yes', { selfPay: true }),
    t('Post-operative review', 20, 120),
  ],
  anaesthesiology: [t('Pre-operative assessment', 30, 200, 'yes')],
  'obesity-medicine': [
    t('Weight management consultation', 45, 250, 'yes'),
    t('Weight management follow-up', 20, 130, 'yes'),
  ],
  midwifery: [
    t('Antenatal appointment', 30, 100),
    t('Postnatal visit', 45, 120),
    t('Birth planning session', 60, 150, 'yes'),
  ],
  'lactation-consulting': [
    t('Breastfeeding consultation', 60, 150, 'yes'),
    t('Breastfeeding follow-up', 30, 90, 'yes'),
  ],
  'reproductive-medicine': [
    t('Fertility consultation', 45, 350, 'yes'),
    t('Fertility scan', 30, 250),
    t('IVF follow-up', 30, 200, 'yes'),
  ],
  'child-psychiatry': [
    t('ADHD assessment', 60, 500, 'yes'),
    t('Child psychiatry consultation', 60, 400, 'yes'),
    t('Child psychiatry follow-up', 30, 220, 'yes'),
  ],
  dentistry: [
    t('Dental check-up', [20, 30], 100, 'no', { after: [5, 10] }),
    t('Check-up and clean', 45, 180, 'no', { after: [10] }),
    t('Filling', [30, 45, 60], 200, 'no', { after: [10] }),
    t('Emergency dental appointment', 30, 150, 'no', { after: [10] }),
    t('Teeth whitening consultation', 20, 50, 'no', { selfPay: true }),
  ],
  orthodontics: [
    t('Orthodontic consultation', 30, 100, 'yes'),
    t('Brace adjustment', 20, 120, 'no', { after: [10] }),
    t('Clear aligner review', 20, 100),
  ],
  'paediatric-dentistry': [
    t("Children's dental check-up", 20, 80, 'no', { after: [10] }),
    t('Fissure sealants', 30, 120, 'no', { after: [10] }),
    t('Fluoride varnish', 15, 60),
  ],
  periodontics: [
    t('Periodontal assessment', 45, 220, 'no', { after: [10] }),
    t('Deep cleaning', 60, 300, 'no', { after: [15] }),
  ],
  endodontics: [
    t('Root canal consultation', 30, 150),
    t('Root canal treatment', 60, 900, 'no', { after: [15] }),
  ],
  prosthodontics: [
    t('Denture consultation', 30, 120),
    t('Dental implant consultation', 30, 150, 'no', { selfPay: true }),
    t('Crown fitting', 60, 1000, 'no', { after: [10] }),
  ],
  'oral-maxillofacial-surgery': [
    t('Wisdom tooth assessment', 30, 150),
    t('Tooth extraction', 45, 250, 'no', { after: [15] }),
  ],
  'dental-hygiene': [
    t('Hygiene appointment', 30, 100, 'no', { after: [10] }),
    t('Scale and polish', 45, 130, 'no', { after: [10] }),
  ],
  psychiatry: [
    t('Psychiatric assessment', 60, 400, 'yes'),
    t('Medication review', [20, 30], 200, 'yes'),
    t('Psychiatry video follow-up', 20, 180, 'only'),
  ],
  psychology: [
    t('Initial psychology consultation', 60, 200, 'yes'),
    t('Therapy session', 50, 180, 'yes', { after: [10] }),
    t('CBT session', 50, 180, 'yes', { after: [10] }),
    t('Video therapy session', 50, 170, 'only', { after: [10] }),
  ],
  psychotherapy: [
    t('Initial psychotherapy assessment', 60, 180, 'yes'),
    t('Psychotherapy session', 50, 160, 'yes', { after: [10] }),
    t('EMDR session', 60, 190, 'yes'),
  ],
  counselling: [
    t('Counselling session', 50, 120, 'yes', { after: [10] }),
    t('Couples counselling', 60, 150, 'yes'),
    t('Video counselling session', 50, 110, 'only', { after: [10] }),
  ],
  neuropsychology: [
    t('Neuropsychological assessment', 60, 600),
    t('Assessment feedback session', 45, 250, 'yes'),
  ],
  'addiction-medicine': [t('Addiction assessment', 60, 300, 'yes'), t('Addiction follow-up', 30, 160, 'yes')],
  physiotherapy: [
    t('Physiotherapy initial assessment', [45, 60], 120),
    t('Physiotherapy follow-up', 30, 90),
    t('Sports massage', [30, 45], 90, 'no', { selfPay: true }),
    t('Video physiotherapy session', 30, 80, 'only'),
  ],
  'occupational-therapy': [
    t('Occupational therapy assessment', 60, 150, 'yes'),
    t('Occupational therapy session', 45, 120),
  ],
  'speech-therapy': [
    t('Speech and language assessment', 60, 180),
    t('Speech therapy session', [30, 45], 130, 'yes'),
  ],
  podiatry: [
    t('Podiatry assessment', [30, 45], 90),
    t('Routine foot care', 30, 70),
    t('Ingrown toenail surgery', 60, 350, 'no', { after: [15] }),
    t('Biomechanical assessment', 45, 150),
  ],
  'nutrition-dietetics': [
    t('Initial dietitian consultation', 60, 150, 'yes'),
    t('Dietitian follow-up', 30, 90, 'yes'),
  ],
  'diabetes-education': [
    t('Diabetes education session', 60, 120, 'yes'),
    t('Insulin pump review', 45, 120, 'yes'),
  ],
  chiropractic: [
    t('Initial chiropractic consultation', 45, 100),
    t('Chiropractic adjustment', 15, 60, 'no', { after: [5] }),
  ],
  osteopathy: [t('Initial osteopathy consultation', [45, 60], 90), t('Osteopathy treatment', 30, 70)],
  'massage-therapy': [
    t('Massage, 30 minutes', 30, 60, 'no', { selfPay: true, after: [15] }),
    t('Massage, 60 minutes', 60, 100, 'no', { selfPay: true, after: [15] }),
    t('Deep tissue massage', 60, 110, 'no', { selfPay: true, after: [15] }),
  ],
  acupuncture: [
    t('Initial acupuncture session', 60, 100, 'no', { selfPay: true }),
    t('Acupuncture follow-up', 45, 80, 'no', { selfPay: true }),
  ],
};

/** Categories whose practitioners usually offer physician consultations when no list is given. */
export function defaultTemplates(category: SpecialtyCategory): readonly ServiceTemplate[] {
  switch (category) {
    case 'dental':
      return [t('{S} consultation', 30, 150), t('{S} treatment', [45, 60], 300, 'no', { after: [10] })];
    case 'mental-health':
      return [t('{S} assessment', 60, 250, 'yes'), t('{S} session', 50, 180, 'yes', { after: [10] })];
    case 'rehabilitation':
    case 'allied-health':
    case 'complementary':
      return [t('{S} assessment', [45, 60], 120, 'yes'), t('{S} session', [30, 45], 90)];
    default:
      return physicianDefaults;
  }
}
