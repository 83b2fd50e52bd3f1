/**
 * How each person takes part (issue 18, "Interpreters and people not in the room"): in the room, by phone or
 * by video; and how an answer was given: through an interpreter present at the meeting, relayed by the chair
 * for someone not in the room, or both. Pure schemas and small readers shared by the rules, the facts and
 * the minute entry. The language interpreted is any BCP-47 tag in its canonical spelling ("pl", "pa-Arab",
 * "bfi"), named in the minute from the language registry (languages.ts).
 */
import { z } from 'zod/mini';
import { interpretedLanguageSchema } from './languages';
import { idSchema } from './model';

/** Absent on an attendee (and in every log written before this existed): in the room. */
export const PARTICIPATION = ['in-room', 'phone', 'video'] as const;
export const participationSchema = z.enum(PARTICIPATION);
export type Participation = z.infer<typeof participationSchema>;

/** The interpreter an answer was given through, and the language they interpreted from. */
export const interpreterSchema = z.strictObject({
  attendeeId: idSchema,
  language: interpretedLanguageSchema,
});
export type InterpreterRef = z.infer<typeof interpreterSchema>;

/**
 * Optional fields of every answer (consent.given, .declined, .authorisation-needed): `interpreter`, the
 * answer came through them; `relayedBy`, the person holding the tablet (the chair) took the answer of
 * someone not in the room and recorded it.
 */
export const answerHowShape = {
  interpreter: z.optional(interpreterSchema),
  relayedBy: z.optional(idSchema),
};

export interface TakesPart {
  takesPartBy?: Participation;
}

export const participationOf = (a: TakesPart | undefined): Participation => a?.takesPartBy ?? 'in-room';
/** Taking part by phone or video: their answer is relayed, they cannot sign or record on the tablet. */
export const isRemote = (a: TakesPart | undefined): boolean => participationOf(a) !== 'in-room';

/** "by phone", "by video", "in the room", as the minute says it. */
export const PARTICIPATION_WORDS: Readonly<Record<Participation, string>> = {
  'in-room': 'in the room',
  phone: 'by phone',
  video: 'by video',
};
