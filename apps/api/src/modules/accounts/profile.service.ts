import type { PatientProfile, PatientProfileUpdate } from '@carebook/contracts';
import { DomainError } from '../../domain/errors';
import type { Principal } from '../../lib/request-meta';
import { type Clock, toDbTime } from '../../ports/clock';
import { assertCan } from '../auth/permissions';
import type { PrivacyService } from '../privacy/privacy.service';
import { dateOfBirthProblem } from './domain/date-of-birth';
import type { ProfileRepository } from './profile.repository';

/**
 * The patient's own profile: phone and date of birth are sealed with the patient's data key
 * before they reach the database (erasing the key shreds them); the preferred language is a
 * language code kept in clear.
 */
export class ProfileService {
  constructor(
    private readonly repo: ProfileRepository,
    private readonly privacy: PrivacyService,
    private readonly clock: Clock,
  ) {}

  async get(principal: Principal): Promise<PatientProfile> {
    assertCan(principal.role, 'profile.manage_own');
    const row = await this.repo.byUser(principal.userId);
    const [phone, dateOfBirth] = row
      ? await this.privacy.decryptMany([
          { patientId: principal.userId, value: row.phone_sealed },
          { patientId: principal.userId, value: row.birth_date_sealed },
        ])
      : [null, null];
    return {
      phone: phone ?? null,
      dateOfBirth: dateOfBirth ?? null,
      preferredLanguage: (row?.preferred_language ?? null) as PatientProfile['preferredLanguage'],
      complete: !!phone && !!dateOfBirth,
    };
  }

  async update(principal: Principal, changes: PatientProfileUpdate): Promise<PatientProfile> {
    assertCan(principal.role, 'profile.manage_own');
    const now = this.clock.now();
    if (changes.dateOfBirth) {
      const problem = dateOfBirthProblem(changes.dateOfBirth, now);
      if (problem)
        throw new DomainError('VALIDATION_FAILED', `The date of birth ${problem}.`, {
          errors: [{ path: '/body/dateOfBirth', message: problem }],
        });
    }
    const current = await this.get(principal);
    const next = {
      phone: changes.phone !== undefined ? changes.phone : current.phone,
      dateOfBirth: changes.dateOfBirth !== undefined ? changes.dateOfBirth : current.dateOfBirth,
      preferredLanguage:
        changes.preferredLanguage !== undefined ? changes.preferredLanguage : current.preferredLanguage,
    };
    const [phoneSealed, birthSealed] = await this.privacy.encryptManyForPatient(principal.userId, [
      next.phone,
      next.dateOfBirth,
    ]);
    await this.repo.upsert({
      user_id: principal.userId,
      phone_sealed: phoneSealed ?? null,
      birth_date_sealed: birthSealed ?? null,
      preferred_language: next.preferredLanguage,
      updated_at: toDbTime(now),
    });
    return { ...next, complete: !!next.phone && !!next.dateOfBirth };
  }
}
