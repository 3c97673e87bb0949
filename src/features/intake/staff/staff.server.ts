import { REFERENCE_PATTERN } from '#features/reports/reference.rules.ts';
import { findReportByReference, listReportsEnteredBy, type OwnReport } from '#features/reports/reports.repo.server.ts';
import type { StaffSession } from '#features/auth/login.server.ts';
import { startOfAmsterdamDay } from '#lib/dates.ts';
import { addressNotice } from '#features/address/address.rules.ts';
import { config } from '#platform/config.ts';

/** What the KCC and BOA pages read beside their forms: the staff member's own reports. */

export type { OwnReport };

/** A report just saved, as its staff member sees it. */
export interface SavedReportView {
  reference: string;
  createdAt: string;
  status: string;
  /** What the address lookup found worth telling the caller (not found, another municipality). */
  addressNotice: string | undefined;
}

/**
 * The reports a staff member entered: for the KCC and police forms those of today (Amsterdam time, at most 200), for
 * a BOA the last twenty.
 */
export function ownReports(channel: 'kcc' | 'boa' | 'politie', userId: number, at: Date): OwnReport[] {
  return channel !== 'boa' ? listReportsEnteredBy(userId, startOfAmsterdamDay(at), 200) : listReportsEnteredBy(userId, new Date(0), 20);
}

/**
 * A saved report by its reference. Staff see only what they entered themselves (the coordinator sees
 * everything in the queue); `undefined` otherwise.
 */
export function savedReportFor(staff: StaffSession, reference: string): SavedReportView | undefined {
  const report = REFERENCE_PATTERN.test(reference) ? findReportByReference(reference) : undefined;
  if (!report || (report.enteredBy !== staff.user.id && staff.user.role !== 'coordinator')) return undefined;
  const addressCheck = report.addressCheck;
  return {
    reference: report.reference,
    createdAt: report.createdAt,
    status: report.status,
    addressNotice: addressNotice(addressCheck, config().municipality.municipalityName, 'medewerker'),
  };
}
