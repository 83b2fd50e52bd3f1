/** Renders a golden scenario's minute entry as the golden file holds it; shared by the test and the writer. */
import type { DomainEvent } from '../../../src/domain/events';
import { minuteEntry, renderMinuteText } from '../../../src/domain/minutes';
import * as s from '../../support/scenario';

export const VERIFY_URL = 'https://records.example.gov.uk/verify';

export async function goldenText(events: readonly DomainEvent[]) {
  const log = await s.sealAll(events);
  return { log, text: renderMinuteText(minuteEntry(log), { verifyUrl: VERIFY_URL }) };
}
