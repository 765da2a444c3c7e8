/** Static vocabulary for the generator: cities with coordinates, specialties, names. */

export const CITIES: readonly { name: string; lat: number; lon: number; lang: string; weight: number }[] = [
  { name: 'Berlin', lat: 52.52, lon: 13.405, lang: 'de', weight: 9 },
  { name: 'Hamburg', lat: 53.5511, lon: 9.9937, lang: 'de', weight: 5 },
  { name: 'Munich', lat: 48.1351, lon: 11.582, lang: 'de', weight: 5 },
  { name: 'Cologne', lat: 50.9375, lon: 6.9603, lang: 'de', weight: 3 },
  { name: 'Frankfurt', lat: 50.1109, lon: 8.6821, lang: 'de', weight: 3 },
  { name: 'Stuttgart', lat: 48.7758, lon: 9.1829, lang: 'de', weight: 2 },
  { name: 'Dusseldorf', lat: 51.2277, lon: 6.7735, lang: 'de', weight: 2 },
  { name: 'Leipzig', lat: 51.3397, lon: 12.3731, lang: 'de', weight: 2 },
  { name: 'Dresden', lat: 51.0504, lon: 13.7373, lang: 'de', weight: 2 },
  { name: 'Potsdam', lat: 52.3906, lon: 13.0645, lang: 'de', weight: 1 },
  { name: 'Vienna', lat: 48.2082, lon: 16.3738, lang: 'de', weight: 4 },
  { name: 'Zurich', lat: 47.3769, lon: 8.5417, lang: 'de', weight: 2 },
  { name: 'London', lat: 51.5072, lon: -0.1276, lang: 'en', weight: 10 },
  { name: 'Manchester', lat: 53.4808, lon: -2.2426, lang: 'en', weight: 3 },
  { name: 'Birmingham', lat: 52.4862, lon: -1.8904, lang: 'en', weight: 3 },
  { name: 'Leeds', lat: 53.8008, lon: -1.5491, lang: 'en', weight: 2 },
  { name: 'Edinburgh', lat: 55.9533, lon: -3.1883, lang: 'en', weight: 2 },
  { name: 'Dublin', lat: 53.3498, lon: -6.2603, lang: 'en', weight: 3 },
  { name: 'Paris', lat: 48.8566, lon: 2.3522, lang: 'fr', weight: 9 },
  { name: 'Lyon', lat: 45.764, lon: 4.8357, lang: 'fr', weight: 3 },
  { name: 'Marseille', lat: 43.2965, lon: 5.3698, lang: 'fr', weight: 3 },
  { name: 'Toulouse', lat: 43.6047, lon: 1.4442, lang: 'fr', weight: 2 },
  { name: 'Brussels', lat: 50.8503, lon: 4.3517, lang: 'fr', weight: 2 },
  { name: 'Amsterdam', lat: 52.3676, lon: 4.9041, lang: 'nl', weight: 4 },
  { name: 'Rotterdam', lat: 51.9244, lon: 4.4777, lang: 'nl', weight: 2 },
  { name: 'Madrid', lat: 40.4168, lon: -3.7038, lang: 'es', weight: 6 },
  { name: 'Barcelona', lat: 41.3874, lon: 2.1686, lang: 'es', weight: 5 },
  { name: 'Valencia', lat: 39.4699, lon: -0.3763, lang: 'es', weight: 2 },
  { name: 'Rome', lat: 41.9028, lon: 12.4964, lang: 'it', weight: 5 },
  { name: 'Milan', lat: 45.4642, lon: 9.19, lang: 'it', weight: 5 },
];

export interface SpecialtyDef {
  code: string;
  name: string;
  conditions: string[];
  services: string[];
}

export const SPECIALTIES: readonly SpecialtyDef[] = [
  {
    code: 'dermatology',
    name: 'Dermatology',
    conditions: ['Acne', 'Eczema', 'Psoriasis', 'Rosacea', 'Skin cancer screening', 'Hair loss'],
    services: ['Skin check', 'Mole mapping', 'Laser therapy'],
  },
  {
    code: 'cardiology',
    name: 'Cardiology',
    conditions: ['Hypertension', 'Heart failure', 'Arrhythmia', 'Chest pain', 'High cholesterol'],
    services: ['ECG', 'Echocardiography', 'Stress test'],
  },
  {
    code: 'paediatrics',
    name: 'Paediatrics',
    conditions: ['Asthma', 'Vaccinations', 'Childhood allergies', 'Growth problems'],
    services: ['Well child visit', 'Vaccination'],
  },
  {
    code: 'general_practice',
    name: 'General practice',
    conditions: ['Flu', 'Diabetes', 'Back pain', 'Fatigue', 'Infections'],
    services: ['Health check', 'Blood test', 'Vaccination'],
  },
  {
    code: 'orthopaedics',
    name: 'Orthopaedics',
    conditions: ['Knee pain', 'Back pain', 'Sports injuries', 'Arthritis', 'Scoliosis'],
    services: ['Joint injection', 'Fracture care'],
  },
  {
    code: 'ophthalmology',
    name: 'Ophthalmology',
    conditions: ['Cataract', 'Glaucoma', 'Dry eyes', 'Macular degeneration'],
    services: ['Eye exam', 'Laser eye surgery'],
  },
  {
    code: 'gynaecology',
    name: 'Gynaecology',
    conditions: ['Endometriosis', 'Menopause', 'Pregnancy care', 'Contraception'],
    services: ['Pap smear', 'Prenatal care', 'Ultrasound'],
  },
  {
    code: 'psychiatry',
    name: 'Psychiatry',
    conditions: ['Depression', 'Anxiety', 'Bipolar disorder', 'Insomnia', 'ADHD'],
    services: ['Psychiatric assessment', 'Medication review'],
  },
  {
    code: 'psychology',
    name: 'Psychology',
    conditions: ['Anxiety', 'Depression', 'Burnout', 'Trauma', 'Phobias'],
    services: ['Cognitive behavioural therapy', 'Counselling'],
  },
  {
    code: 'dentistry',
    name: 'Dentistry',
    conditions: ['Toothache', 'Gum disease', 'Cavities', 'Teeth whitening'],
    services: ['Dental cleaning', 'Root canal', 'Dental implants'],
  },
  {
    code: 'neurology',
    name: 'Neurology',
    conditions: ['Migraine', 'Epilepsy', 'Multiple sclerosis', 'Parkinson disease', 'Dizziness'],
    services: ['EEG', 'Nerve conduction study'],
  },
  {
    code: 'gastroenterology',
    name: 'Gastroenterology',
    conditions: ['Irritable bowel syndrome', 'Reflux', 'Crohn disease', 'Coeliac disease'],
    services: ['Colonoscopy', 'Gastroscopy'],
  },
  {
    code: 'endocrinology',
    name: 'Endocrinology',
    conditions: ['Diabetes', 'Thyroid disorders', 'Osteoporosis', 'Obesity'],
    services: ['Hormone testing', 'Diabetes management'],
  },
  {
    code: 'urology',
    name: 'Urology',
    conditions: ['Kidney stones', 'Prostate problems', 'Incontinence'],
    services: ['Cystoscopy', 'Vasectomy'],
  },
  {
    code: 'otolaryngology',
    name: 'Otolaryngology',
    conditions: ['Sinusitis', 'Hearing loss', 'Tinnitus', 'Sleep apnea'],
    services: ['Hearing test', 'Allergy testing'],
  },
  {
    code: 'physiotherapy',
    name: 'Physiotherapy',
    conditions: ['Back pain', 'Neck pain', 'Sports injuries', 'Rehabilitation'],
    services: ['Manual therapy', 'Exercise therapy', 'Massage'],
  },
  {
    code: 'rheumatology',
    name: 'Rheumatology',
    conditions: ['Rheumatoid arthritis', 'Lupus', 'Gout', 'Fibromyalgia'],
    services: ['Joint ultrasound', 'Infusion therapy'],
  },
  {
    code: 'pulmonology',
    name: 'Pulmonology',
    conditions: ['Asthma', 'COPD', 'Chronic cough', 'Sleep apnea'],
    services: ['Spirometry', 'Sleep study'],
  },
  {
    code: 'oncology',
    name: 'Oncology',
    conditions: ['Breast cancer', 'Lung cancer', 'Lymphoma', 'Cancer screening'],
    services: ['Chemotherapy', 'Second opinion'],
  },
  {
    code: 'nutrition',
    name: 'Nutrition',
    conditions: ['Obesity', 'Food intolerance', 'Diabetes', 'Eating disorders'],
    services: ['Diet plan', 'Nutrition counselling'],
  },
];

export const FIRST_NAMES = (
  'Anna Maria Sophie Emma Mia Hannah Lea Laura Julia Sarah Lena Clara Nora Ida Elena Sofia Giulia Chiara ' +
  'Francesca Lucia Carmen Isabel Ana Marta Paula Claire Camille Chloe Manon Juliette Olivia Amelia Isla ' +
  'Grace Emily Charlotte Alice Zoe Leyla Aylin Fatima Yasmin Priya Mei Noor Ingrid Astrid Katarzyna ' +
  'Lukas Leon Felix Paul Jonas Maximilian Elias Noah Ben Finn David Daniel Thomas Michael Andreas Stefan ' +
  'Marco Luca Matteo Giovanni Alessandro Pablo Javier Carlos Miguel Antonio Louis Hugo Lucas Arthur Jules ' +
  'Oliver George Harry Jack Oscar William James Henry Samuel Omar Ahmed Mehmet Emre Raj Wei Kenji Piotr'
).split(' ');

export const LAST_NAMES = (
  'Mueller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Koch Richter Klein Wolf ' +
  'Schroeder Neumann Schwarz Zimmermann Braun Krueger Hofmann Hartmann Lange Schmitt Werner Krause Meier ' +
  'Lehmann Schmid Schulze Maier Koehler Herrmann Koenig Walter Mayer Huber Kaiser Fuchs Peters Lang Scholz ' +
  'Smith Jones Taylor Brown Williams Wilson Johnson Davies Robinson Wright Thompson Evans Walker White ' +
  'Roberts Green Hall Wood Jackson Clarke Murphy Kelly Byrne Ryan Walsh Martin Bernard Dubois Thomas Robert ' +
  'Richard Petit Durand Leroy Moreau Simon Laurent Lefebvre Michel Garcia Fernandez Lopez Martinez Sanchez ' +
  'Perez Gomez Rodriguez Rossi Russo Ferrari Esposito Bianchi Romano Colombo Ricci Marino Greco Bruno ' +
  'Gallo Conti Deluca Costa Janssen Devries Bakker Visser Smit Meijer Yilmaz Kaya Demir Sahin Celik ' +
  'Kowalski Nowak Wisniewski Novak Horvat Nielsen Hansen Larsen Andersen Johansson Lindqvist Patel Khan ' +
  'Singh Ali Chen Wang Nakamura Tanaka Kim Nguyen Okafor Mensah Haddad Nasser Papadopoulos Ivanova'
).split(' ');

export const LANGUAGES = [
  'de',
  'en',
  'fr',
  'es',
  'it',
  'nl',
  'tr',
  'ar',
  'pl',
  'ru',
  'pt',
  'zh',
  'hi',
  'uk',
  'el',
];
export const INSURERS = [
  'AOK',
  'TK Techniker Krankenkasse',
  'Barmer',
  'DAK-Gesundheit',
  'NHS',
  'Bupa',
  'AXA',
  'Allianz',
  'Cigna',
  'Aviva',
  'Mutuelle Generale',
  'Sanitas',
  'Generali',
  'Zilveren Kruis',
  'Vitality',
  'Debeka',
];
export const CLINIC_WORDS = ['Clinic', 'Centre', 'Practice', 'Medical Group', 'Health Center', 'Praxis'];
