/** The shared vocabularies (specialties, languages, insurers), as the contracts package ships them. */
export * from '@carebook/contracts';
