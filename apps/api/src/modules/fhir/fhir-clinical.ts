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
import { type SearchPage, tokenCode } from './search-params';

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
    let bookings: Booking[];
    let total: number;
    if (q._id) {
      // A search never answers 404: an unknown or invisible id is an empty result.
      const one = await this.d.bookings.get(principal, q._id).catch((err: unknown) => {
        if (err instanceof DomainError && err.code === 'NOT_FOUND') return null;
        throw err;
      });
      const matching =
        one && (!q.status || bookingStatusesFor(tokenCode(q.status)).includes(one.status)) ? [one] : [];
      total = matching.length;
      bookings = matching.slice(page.offset, page.offset + page.count);
    } else {
      const states = q.status ? bookingStatusesFor(tokenCode(q.status)) : [undefined];
      const all: Booking[] = [];
      total = 0;
      for (const status of states) {
        const first = await this.listAll(principal, status as BookingStatus | undefined);
        all.push(...first);
      }
      all.sort((a, b) => a.start.localeCompare(b.start) || a.id.localeCompare(b.id));
      total = all.length;
      bookings = all.slice(page.offset, page.offset + page.count);
    }
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

  private async listAll(principal: Principal, status: BookingStatus | undefined): Promise<Booking[]> {
    const out: Booking[] = [];
    for (let page = 1; ; page++) {
      const res = await this.d.bookings.list(principal, {
        page,
        pageSize: 100,
        ...(status ? { status } : {}),
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
