/** Meetings prepared on the records service (issue 19): the list, the new meeting form, one meeting's page. */
import { html } from 'hono/html';
import {
  type AttendeeState,
  eligibilityBasis,
  type MeetingContext,
  PURPOSE_REASONS,
  profileById,
  ROLES,
  wasToldOfRequest,
} from '../../../src/domain';
import { KIND_LABELS, PURPOSE_LABELS, ROLE_LABELS } from '../../../src/domain/labels';
import { LANGUAGES, SOURCE_LANGUAGE } from '../../../src/domain/languages';
import { MEETING_KINDS } from '../../../src/domain/model';
import { errorLine } from './layout';

/** Rows of the new meeting form: enough for a conference's invited attendees. */
export const ATTENDEE_ROWS = 8;
export const CHILD_ROWS = 3;

const VIA_LABELS = {
  email: 'By email',
  telephone: 'By telephone',
  letter: 'By letter',
  'in-person': 'In person',
};
const VIAS = ['email', 'telephone', 'letter', 'in-person'] as const;

export interface PreparedListRow {
  id: string;
  title: string;
  scheduled_at: string;
  prepared_for_device_id: string | null;
  claimed_label: string | null;
  for_label: string | null;
}

const viaSelect = (id: string) =>
  html`<select id="${id}" name="via" required>${VIAS.map((v) => html`<option value="${v}">${VIA_LABELS[v]}</option>`)}</select>`;

/** A date and time field: the moment a step happened, as the officer enters it (the record's date for it). */
const whenField = (id: string, label: string, value: string) =>
  html`<label for="${id}">${label}</label><input id="${id}" name="at" type="datetime-local" required value="${value}">`;

export function prepareListView(
  rows: readonly PreparedListRow[],
  tablets: readonly { id: string; label: string }[],
  error: string | null,
) {
  return html`${errorLine(error)}
<p>A meeting set up here is listed on the tablets (on every tablet, or on the one you choose) from the day before. The tablet that opens it takes it over; after that it cannot be changed here.</p>
<h2>Meetings prepared here</h2>
${
  rows.length === 0
    ? html`<p>No meeting is prepared and still to be held.</p>`
    : html`<table><caption>Prepared meetings not yet closed, by date</caption>
<thead><tr><th scope="col">Meeting</th><th scope="col">When</th><th scope="col">For</th><th scope="col">Taken over by</th></tr></thead>
<tbody>${rows.map(
        (r) =>
          html`<tr><td><a href="/admin/prepare/${r.id}">${r.title}</a></td><td>${r.scheduled_at}</td><td>${r.for_label ?? 'Any tablet'}</td><td>${r.claimed_label ?? 'Not yet'}</td></tr>`,
      )}</tbody></table>`
}
<h2>Set up a meeting</h2>
<form method="post" action="/admin/prepare">
<label for="kind">Kind of meeting</label>
<select id="kind" name="kind" required>${MEETING_KINDS.map((k) => html`<option value="${k}">${KIND_LABELS[k]}</option>`)}</select>
<label for="title">Title</label><input id="title" name="title" required maxlength="200">
<label for="date">Date</label><input id="date" name="date" type="date" required>
<label for="time">Time</label><input id="time" name="time" type="time" required>
<label for="place">Place</label><input id="place" name="place" maxlength="500">
<label for="profile">Policy</label>
<select id="profile" name="profile" required>${(['hertfordshire', 'staffordshire-stoke'] as const).map(
    (p) => html`<option value="${p}">${profileById(p).name}</option>`,
  )}</select>
<label for="device">For</label>
<select id="device" name="device"><option value="">Any tablet</option>${tablets.map(
    (t) => html`<option value="${t.id}">${t.label} (${t.id})</option>`,
  )}</select>
<fieldset><legend>Subject children</legend>
${Array.from(
  { length: CHILD_ROWS },
  (_, j) =>
    html`<label for="child${j}">Child ${j + 1}'s name${j === 0 ? '' : ' (if any)'}</label><input id="child${j}" name="child${j}" maxlength="200"${j === 0 ? ' required' : ''}>`,
)}
</fieldset>
<fieldset><legend>Invited attendees (the tablet shows them as expected; the chair marks who is there)</legend>
${Array.from(
  { length: ATTENDEE_ROWS },
  (_, i) => html`<fieldset><legend>Attendee ${i + 1}</legend>
<label for="a${i}-name">Name</label><input id="a${i}-name" name="a${i}-name" maxlength="200">
<label for="a${i}-role">Role</label><select id="a${i}-role" name="a${i}-role">${ROLES.map(
    (r) => html`<option value="${r}">${ROLE_LABELS[r]}</option>`,
  )}</select>
<label for="a${i}-agency">Agency</label><input id="a${i}-agency" name="a${i}-agency" maxlength="200">
<label for="a${i}-language">Language of their own screens on the tablet</label><select id="a${i}-language" name="a${i}-language">${LANGUAGES.map(
    (l) =>
      html`<option value="${l.code}"${l.code === SOURCE_LANGUAGE ? ' selected' : ''}>${l.englishName}${l.ownName === l.englishName ? '' : ` (${l.ownName})`}</option>`,
  )}</select>
${Array.from(
  { length: CHILD_ROWS },
  (_, j) =>
    html`<label><input type="checkbox" name="a${i}-pr${j}" value="yes"> Parental responsibility for child ${j + 1}</label>`,
)}
</fieldset>`,
)}
</fieldset>
<button type="submit">Set up the meeting</button>
</form>`;
}

/** Who has been told of the request so far, by name, and who has not. */
function toldList(ctx: MeetingContext) {
  const asked = (id: string) =>
    id === ctx.request?.requesterId || (ctx.request?.additionalRequesterIds ?? []).includes(id);
  const others = ctx.attendees.filter((a) => !asked(a.id));
  const told = others.filter((a) => wasToldOfRequest(ctx, a.id)).map((a) => a.name);
  const untold = others.filter((a) => !wasToldOfRequest(ctx, a.id)).map((a) => a.name);
  return html`<p>Told so far: ${told.length ? told.join(', ') : 'nobody'}. Not told: ${untold.length ? untold.join(', ') : 'nobody'}.</p>`;
}

function eligibilityWords(ctx: MeetingContext, a: AttendeeState): string {
  const basis = eligibilityBasis(ctx, a.id);
  if (basis === 'subject-child') return 'may ask: a subject child';
  if (basis === 'parent-with-pr') return 'may ask: a parent with parental responsibility';
  return 'may not ask (neither a subject child nor a parent with parental responsibility)';
}

export interface PreparedPageData {
  id: string;
  ctx: MeetingContext;
  allowed: ReadonlySet<string>;
  caseNote: string;
  forLabel: string | null;
  claimedLabel: string | null;
  /** What the date fields start with: now, in the service's time zone (datetime-local). */
  nowLocal: string;
}

export function preparedPageView(d: PreparedPageData, error: string | null) {
  const { ctx, allowed } = d;
  const profile = profileById(ctx.profileId);
  const action = (step: string) => `/admin/prepare/${d.id}/${step}`;
  const requester = ctx.request ? ctx.attendees.find((a) => a.id === ctx.request?.requesterId) : undefined;
  const forms = d.claimedLabel
    ? html`<p role="status">The tablet “${d.claimedLabel}” has taken this meeting over: it can no longer be changed here.</p>`
    : html`${
        allowed.has('request.made')
          ? html`<h2>Record a request to record, made in advance</h2>
<p>${profile.advanceNotice.summary} A request received less than ${profile.advanceNotice.hours} hours before the meeting is flagged in the record, as on the tablet [${profile.advanceNotice.ref}].</p>
<form method="post" action="${action('request')}">
<label for="requester">Who asked</label>
<select id="requester" name="requester" required>${ctx.attendees.map(
              (a) =>
                html`<option value="${a.id}">${a.name}, ${ROLE_LABELS[a.role]}: ${eligibilityWords(ctx, a)}</option>`,
            )}</select>
<fieldset><legend>Why they want to record (as they said)</legend>${PURPOSE_REASONS.map(
              (r) =>
                html`<label><input type="checkbox" name="reason" value="${r}"> ${PURPOSE_LABELS[r]}</label>`,
            )}</fieldset>
<label for="purpose">The purpose in their words</label><textarea id="purpose" name="purpose" rows="3" maxlength="4000"></textarea>
<label for="received-via">How it was received</label>${html`<select id="received-via" name="via" required>${VIAS.map((v) => html`<option value="${v}">${VIA_LABELS[v]}</option>`)}</select>`}
${whenField('received-at', 'When it was received', d.nowLocal)}
<button type="submit">Record the request</button></form>`
          : ''
      }${
        allowed.has('request.attendees-notified')
          ? html`<h2>Who was told of the request, how and when [${profile.advanceNotice.ref}]</h2>
<p>A decision made in advance covers only the invited attendees told of the request; anyone else is asked on the day, as a newcomer is [HCS 2.11]. Record each way of telling on its own.</p>
${toldList(ctx)}
<form method="post" action="${action('notified')}">
<fieldset><legend>Who was told</legend>${ctx.attendees
              .filter(
                (a) =>
                  a.id !== ctx.request?.requesterId && !ctx.request?.additionalRequesterIds?.includes(a.id),
              )
              .map(
                (a) =>
                  html`<label><input type="checkbox" name="told" value="${a.id}"> ${a.name}, ${ROLE_LABELS[a.role]}</label>`,
              )}</fieldset>
<label for="notified-via">How they were told</label>${viaSelect('notified-via')}
${whenField('notified-at', 'When they were told', d.nowLocal)}
<button type="submit">Record who was told</button></form>`
          : ''
      }${
        allowed.has('eligibility.confirmed') && requester
          ? html`<h2>Whether ${requester.name} may ask [HCS 1.3]</h2>
<p>${requester.name} ${eligibilityWords(ctx, requester)}.</p>
<form method="post" action="${action('eligibility')}">
<fieldset><legend>Decision</legend>
<label><input type="radio" name="decision" value="confirmed" required> They may ask</label>
<label><input type="radio" name="decision" value="refused"> They may not ask</label></fieldset>
<label for="eligibility-reason">Reason (needed when they may not ask; say who decided)</label><textarea id="eligibility-reason" name="reason" rows="3" maxlength="4000"></textarea>
${whenField('eligibility-at', 'When it was decided', d.nowLocal)}
<button type="submit">Record the decision</button></form>`
          : ''
      }${
        allowed.has('request.outcome-confirmed')
          ? html`<h2>The decision was confirmed to the person who asked [${profile.advanceNotice.ref}]</h2>
<form method="post" action="${action('confirmed')}">
<label for="confirmed-via">How</label>${viaSelect('confirmed-via')}
<label for="confirmed-note">Note (who decided, and what they were told)</label><textarea id="confirmed-note" name="note" rows="3" maxlength="4000"></textarea>
${whenField('confirmed-at', 'When', d.nowLocal)}
<button type="submit">Record the confirmation</button></form>`
          : ''
      }`;
  return html`${errorLine(error)}
<p>${ctx.meeting ? html`${KIND_LABELS[ctx.meeting.kind]}, ${ctx.meeting.scheduledAt}${ctx.meeting.place ? `, ${ctx.meeting.place}` : ''}` : ''}. For: ${d.forLabel ?? 'any tablet'}.</p>
<p><a href="/admin/meetings/${d.id}">The meeting's record page</a> · <a href="/admin/prepare">All prepared meetings</a></p>
<h2>The record so far</h2>
<pre class="minute">${d.caseNote}</pre>
${forms}`;
}
