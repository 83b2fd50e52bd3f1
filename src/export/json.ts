/**
 * The minute entry as data (what the admin area's minute.json and the tablet's JSON download return): a
 * versioned object with stable field names, carrying the same facts as the PDF, so that a case management
 * system can import it. Pure: no zod here (its schema is minuteExportSchema.ts), so the tablet can use it
 * without loading a validator.
 */
import type { MinuteEntry } from '../domain/minutes';
import { brandingOf, profileById, verifyUrlOf } from '../domain/profiles';
import { MINUTE_EXPORT_SCHEMA_VERSION, type MinuteExport } from './minuteExportSchema';

export interface MinuteExportOptions {
  /** The records service's own address for verification (its configuration), else the profile's. */
  verifyBaseUrl?: string;
}

export function minuteExport(entry: MinuteEntry, options: MinuteExportOptions = {}): MinuteExport {
  const profile = profileById(entry.meeting.profileId);
  const branding = brandingOf(profile, options.verifyBaseUrl ? { verifyBaseUrl: options.verifyBaseUrl } : {});
  const m = entry.meeting;
  return {
    schemaVersion: MINUTE_EXPORT_SCHEMA_VERSION,
    documentKind: entry.documentKind,
    title: entry.title,
    council: { name: branding.councilName, protectiveMarking: branding.protectiveMarking },
    meeting: {
      id: m.id,
      kind: m.kind,
      kindLabel: m.kindLabel,
      title: m.title,
      scheduledAt: m.scheduledAt || null,
      date: m.date,
      place: m.place,
      policy: { id: m.profileId, name: m.profile, source: m.source },
    },
    chair: entry.chair,
    subjectChildren: [...entry.subjectChildren],
    attendees: entry.attendees.map((a) => ({
      id: a.id,
      name: a.name,
      role: a.role,
      roleLabel: a.roleLabel,
      agency: a.agency,
      parentalResponsibility: a.parentalResponsibility,
      language: a.language,
      didAttend: a.didAttend,
      joinedAt: a.joinedAt,
      leftAt: a.leftAt,
      movements: a.moves.map((move) => ({ move: move.move, at: move.at })),
      takesPartBy: a.takesPartBy,
      participationChanges: a.participationChanges.map((c) => ({ takesPartBy: c.takesPartBy, at: c.at })),
    })),
    record: entry.items.map((item) => ({
      at: item.at,
      date: item.date ?? null,
      time: item.time,
      text: item.text,
      guidanceRef: item.ref ?? null,
    })),
    answers: entry.answers.map((a) => ({
      at: a.at,
      attendeeId: a.attendeeId,
      name: a.name,
      role: a.role,
      answer: a.answer,
      reason: a.reason,
      round: a.round,
      ...(a.how ? { how: a.how } : {}),
    })),
    undertakings: entry.undertakings.map((u) => ({
      signerName: u.signerName,
      signedAt: u.at,
      textVersion: u.textVersion,
      textSha256: u.textSha256,
      shownInLanguage: u.translation?.language ?? 'en-GB',
      translation: u.translation
        ? {
            language: u.translation.language,
            languageName: u.translation.languageName,
            textSha256: u.translation.textSha256,
            isApproved: u.translation.isApproved,
          }
        : null,
      chosenLanguage: u.chosenLanguage,
      deviceId: u.deviceId,
      signature: u.signature,
    })),
    understandingChecks: entry.understandingChecks.map((c) => ({
      signerId: c.signerId,
      signerName: c.signerName,
      at: c.at,
      textVersion: c.textVersion,
      result: c.result,
      reason: c.reason,
      language: c.language,
      languages: c.languages,
      questions: c.questions.map((q) => ({
        questionId: q.questionId,
        point: q.point,
        attempts: q.attempts,
        isUnderstood: q.isUnderstood,
      })),
    })),
    outcome: entry.outcome
      ? {
          status: entry.outcome.status,
          basis: entry.outcome.basis,
          text: entry.outcome.text,
          guidanceRef: entry.outcome.ref,
        }
      : null,
    recordingPeriods: entry.recordingPeriods.map((p) => ({ from: p.from, to: p.to })),
    confirmation: entry.confirmation
      ? { name: entry.confirmation.name, roleLabel: entry.confirmation.roleLabel, at: entry.confirmation.at }
      : null,
    isDiscarded: entry.isDiscarded,
    isComplete: entry.isComplete,
    recordCheck: {
      eventCount: entry.eventCount,
      headHash: entry.headHash,
      verifyUrl: verifyUrlOf(branding.verifyBaseUrl, m.id, entry.headHash),
    },
  };
}
