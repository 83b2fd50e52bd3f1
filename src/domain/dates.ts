/**
 * How the minute entry and the home screen write the date and time of an ISO-8601 time: as written, in its
 * own offset (the tablet's at the time), never converted to the reader's zone. No imports: the app shell
 * uses it without loading the rest of the domain.
 */

/** "Monday 23 November 2026" for the calendar date written in `at`. */
export function dateOf(at: string): string {
  const day = new Date(`${at.slice(0, 10)}T12:00:00Z`);
  return new Intl.DateTimeFormat('en-GB', {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  })
    .format(day)
    .replace(',', '');
}

/** "09:58" for the clock time written in `at`. */
export const timeOf = (at: string): string => at.slice(11, 16);
