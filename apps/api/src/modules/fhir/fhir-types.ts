/** A FHIR resource as plain JSON. Shapes are checked against the R4 definitions in tests. */
export interface FhirResource {
  resourceType: string;
  id?: string;
  [field: string]: unknown;
}

export const FHIR_CONTENT_TYPE = 'application/fhir+json';
export const FHIR_VERSION = '4.0.1';

/** Code systems and extensions Carebook defines. `urn:` URIs are stable and never dereferenced. */
export const SYSTEMS = {
  specialty: 'urn:carebook:specialty',
  service: 'urn:carebook:service',
  visitType: 'urn:carebook:visit-type',
  bookingStatus: 'urn:carebook:booking-status',
  languages: 'urn:ietf:bcp:47',
} as const;

export const EXTENSIONS = {
  /** SMART Scheduling Links: where a person books this slot. */
  bookingDeepLink: 'http://fhir-registry.smarthealthit.org/StructureDefinition/booking-deep-link',
  bookingPhone: 'http://fhir-registry.smarthealthit.org/StructureDefinition/booking-phone',
  /** Carebook: what the patient must pay before a held appointment is booked. */
  amountDue: 'urn:carebook:fhir:extension:amount-due',
  /** Carebook: where the patient pays (the checkout page of the payment provider). */
  paymentUrl: 'urn:carebook:fhir:extension:payment-url',
  /** Carebook: when a hold (pending appointment) runs out. */
  holdExpires: 'urn:carebook:fhir:extension:hold-expires',
} as const;

export const reference = (type: string, id: string, display?: string) => ({
  reference: `${type}/${id}`,
  ...(display ? { display } : {}),
});
