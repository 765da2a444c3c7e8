import type { Booking, BookingStatus, FhirAppointmentSearch, FhirPatientSearch } from '@carebook/contracts';
import { DomainError, notFound } from '../../domain/errors';
import type { Principal, RequestMeta } from '../../lib/request-meta';
import type { UsersRepository } from '../accounts/users.repository';
import type { AuditService } from '../audit/audit.service';
import { auditBookingList, auditBookingView } from '../bookings/booking-read-audit';
import { bookingStatusesFor } from './appointment-status';
import type { FhirBookings } from './booking-bridge';
import { appointmentResource, patientResource } from './clinical-resources';
import type { FhirRepository } from './fhir.repository';
import type { FhirDirectory } from './fhir-directory';
import type { FhirResource } from './fhir-types';
import { dateRange, referenceId, type SearchPage, tokenCode } from './search-params';

/**
 * The Appointment search parameters as one predicate: `status` (Appointment.status), `date`
 * (the start, ge/gt/le/lt/eq, repeatable), `patient`, `actor` / `practitioner` / `location` (the
 * listing: our Practitioner/Organization and its Location share its id) and `service-type`.
 */
function appointmentFilter(q: FhirAppointmentSearch): (b: Booking) => boolean {
  const states = q.status ? bookingStatusesFor(tokenCode(q.status)) : null;
  const range = dateRange(q.date, 'date');
  const patient = q.patient ? referenceId(q.patient) : null;
  const listings = [q.actor, q.practitioner, q.location].filter((v): v is string => !!v).map(referenceId);
  const service = q['service-type'] ? tokenCode(q['service-type']) : null;
  return (b) => {
    const start = Date.parse(b.start);
    return (
      (!states || states.includes(b.status)) &&
      (range.from === undefined || start >= range.from) &&
      (range.to === undefined || start < range.to) &&
      (!patient || b.patientId === patient) &&
      listings.every((id) => b.providerId === id) &&
      (!service || b.serviceId === service)
    );
  };
}

/**
 * Patient data over FHIR: appointments (bookings) and patients, with the same visibility as REST
 * (patients see their own; providers and staff their practice's; admins all), and every read
 * written to the audit trail.
 */
export class FhirClinical {
  constructor(
    private readonly d: {
      bookings: FhirBookings;
      users: UsersRepository;
      repo: FhirRepository;
      directory: FhirDirectory;
      audit: AuditService;
    },
  ) {}

  async appointment(principal: Principal, id: string, meta: RequestMeta): Promise<FhirResource> {
    const booking = await this.d.bookings.get(principal, id);
    await this.audited(principal, meta, 'Appointment', [booking.id]);
    await auditBookingView(this.d.audit, principal, booking, meta, { via: 'fhir' });
    return appointmentResource(booking, await this.kindOf(booking.providerId));
  }

  async appointments(
    principal: Principal,
    q: FhirAppointmentSearch,
    page: SearchPage,
    meta: RequestMeta,
  ): Promise<{ total: number; resources: FhirResource[] }> {
    const matches = appointmentFilter(q);
    let candidates: Booking[];
    if (q._id) {
      // A search never answers 404: an unknown or invisible id is an empty result.
      const one = await this.d.bookings.get(principal, q._id).catch((err: unknown) => {
        if (err instanceof DomainError && err.code === 'NOT_FOUND') return null;
        throw err;
      });
      candidates = one ? [one] : [];
    } else {
      const states = q.status ? bookingStatusesFor(tokenCode(q.status)) : [undefined];
      const listingRef = q.actor ?? q.practitioner ?? q.location;
      const providerId = listingRef ? referenceId(listingRef) : undefined;
      candidates = [];
      for (const status of states)
        candidates.push(...(await this.listAll(principal, status as BookingStatus | undefined, providerId)));
    }
    const all = candidates.filter(matches);
    all.sort((a, b) => a.start.localeCompare(b.start) || a.id.localeCompare(b.id));
    const total = all.length;
    const bookings = all.slice(page.offset, page.offset + page.count);
    await this.audited(
      principal,
      meta,
      'Appointment',
      bookings.map((b) => b.id),
    );
    await auditBookingList(this.d.audit, principal, bookings, meta);
    const kinds = new Map<string, 'practitioner' | 'clinic' | null>();
    for (const b of bookings)
      if (!kinds.has(b.providerId)) kinds.set(b.providerId, await this.kindOf(b.providerId));
    return { total, resources: bookings.map((b) => appointmentResource(b, kinds.get(b.providerId) ?? null)) };
  }

  async patient(principal: Principal, id: string, meta: RequestMeta): Promise<FhirResource> {
    if (!(await this.maySee(principal, id))) throw notFound('The patient');
    const user = await this.d.users.byId(id);
    if (!user || user.role !== 'patient') throw notFound('The patient');
    await this.audited(principal, meta, 'Patient', [id]);
    await this.patientsViewed(principal, meta, [id]);
    return patientResource(user);
  }

  async patients(
    principal: Principal,
    q: FhirPatientSearch,
    page: SearchPage,
    meta: RequestMeta,
  ): Promise<{ total: number; resources: FhirResource[] }> {
    let ids: string[];
    if (principal.role === 'patient') ids = [principal.userId];
    else if (principal.actsForProviderId) ids = await this.d.repo.patientsOf(principal.actsForProviderId);
    else ids = [];
    if (q._id) ids = ids.includes(q._id) || principal.role === 'admin' ? [q._id] : [];
    const slice = ids.slice(page.offset, page.offset + page.count);
    const users = (await Promise.all(slice.map((id) => this.d.users.byId(id)))).filter(
      (u) => u !== undefined && u.role === 'patient',
    );
    await this.audited(principal, meta, 'Patient', slice);
    await this.patientsViewed(principal, meta, slice);
    return { total: ids.length, resources: users.map((u) => patientResource(u as NonNullable<typeof u>)) };
  }

  private async maySee(principal: Principal, patientId: string): Promise<boolean> {
    if (principal.role === 'admin') return true;
    if (principal.role === 'patient') return principal.userId === patientId;
    return (
      principal.actsForProviderId !== null && this.d.repo.isPatientOf(principal.actsForProviderId, patientId)
    );
  }

  private async listAll(
    principal: Principal,
    status: BookingStatus | undefined,
    providerId: string | undefined,
  ): Promise<Booking[]> {
    const out: Booking[] = [];
    for (let page = 1; ; page++) {
      const res = await this.d.bookings.list(principal, {
        page,
        pageSize: 100,
        ...(status ? { status } : {}),
        ...(providerId ? { providerId } : {}),
      });
      out.push(...res.items);
      if (res.items.length < 100 || out.length >= res.total) return out;
    }
  }

  private async kindOf(listingId: string): Promise<'practitioner' | 'clinic' | null> {
    return this.d.directory.listing(listingId).then(
      (l) => l.kind,
      () => null,
    );
  }

  /** A patient's record read by someone else: in that patient's access log. */
  private async patientsViewed(principal: Principal, meta: RequestMeta, ids: string[]): Promise<void> {
    if (principal.role === 'patient') return;
    await this.d.audit.recordAccessMany(
      ids.map((id) => ({
        action: 'access.user_viewed' as const,
        actor: principal,
        patientId: id,
        resource: { type: 'patient', id },
        purpose: principal.role === 'admin' ? ('support' as const) : ('care' as const),
        details: { via: 'fhir' },
      })),
      meta,
    );
  }

  private async audited(principal: Principal, meta: RequestMeta, type: string, ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.d.audit.record(
      {
        action: 'fhir.read',
        actor: principal,
        target: { type, id: ids.length === 1 ? (ids[0] as string) : `${ids.length} resources` },
        details: { ids },
      },
      meta,
    );
  }
}
