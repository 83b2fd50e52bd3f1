/**
 * Stepping the meeting machine as pure functions: the tablet, the server and replay all use these, so an
 * event is legal in one place exactly when it is legal in the others. An illegal event is rejected with
 * a reason, never silently ignored.
 */
import { initialTransition, type SnapshotFrom, type StateValue, transition } from 'xstate';
import { DOMAIN_EVENT_TYPES, type DomainEvent, type DomainEventType, domainEventSchema } from './events';
import { type MeetingPhase, meetingMachine } from './meetingMachine';
import { checkEvent, isKindPossible, type Rejection } from './rules';

export type MeetingSnapshot = SnapshotFrom<typeof meetingMachine>;

export function initialSnapshot(): MeetingSnapshot {
  const [snapshot] = initialTransition(meetingMachine);
  return snapshot;
}

export type StepResult = { ok: true; snapshot: MeetingSnapshot } | { ok: false; rejection: Rejection };

export function step(snapshot: MeetingSnapshot, event: DomainEvent): StepResult {
  const parsed = domainEventSchema.safeParse(event);
  if (!parsed.success) return { ok: false, rejection: schemaRejection(parsed.error.issues[0]) };
  if (!snapshot.can(parsed.data)) return { ok: false, rejection: explainRejection(snapshot, parsed.data) };
  const [next] = transition(meetingMachine, snapshot, parsed.data);
  return { ok: true, snapshot: next };
}

interface SchemaIssue {
  code: string;
  path: PropertyKey[];
  message: string;
  minimum?: unknown;
}

/**
 * A schema failure as a field error with a stable code the screens translate: the field is the path
 * inside the payload ("reason", "attendee.name"), the code says what is wrong with it.
 */
function schemaRejection(issue: SchemaIssue | undefined): Rejection {
  if (!issue) return { code: 'invalid-event', message: 'invalid' };
  const path = issue.path.map(String);
  const field = (path[0] === 'payload' ? path.slice(1) : path).join('.');
  const isMissing = issue.code === 'invalid_type' && /received undefined/.test(issue.message);
  const code =
    field && ((issue.code === 'too_small' && issue.minimum === 1) || isMissing)
      ? 'field-required'
      : issue.code === 'too_big'
        ? 'field-too-long'
        : field
          ? 'field-invalid'
          : 'invalid-event';
  return { code, message: issue.message, ...(field ? { field } : {}) };
}

/**
 * The kinds of event that may happen now, whatever their content: the statechart's current step takes
 * them and their preconditions hold. Screens offer a control exactly when its kind is here, and ask
 * `step` (or `checkContent`) about the content the person entered.
 */
export function allowedKinds(snapshot: MeetingSnapshot): ReadonlySet<DomainEventType> {
  const known = allowedBySnapshot.get(snapshot);
  if (known) return known;
  const handled = eventsHandledAt(snapshot);
  const allowed = new Set<DomainEventType>();
  for (const type of DOMAIN_EVENT_TYPES) {
    if (handled.has(type) && isKindPossible(snapshot.context, type)) allowed.add(type);
  }
  allowedBySnapshot.set(snapshot, allowed);
  return allowed;
}

/**
 * A snapshot never changes (a step makes a new one), and what it allows depends on it alone: each screen
 * asks, so it is worked out once per snapshot (it was once per screen part, about 40 kinds each time,
 * 10 ms of the chair's tap at CPU x4).
 */
const allowedBySnapshot = new WeakMap<MeetingSnapshot, ReadonlySet<DomainEventType>>();

/** Whether this content would be accepted now; the rejection names the field when it is about one. */
export function checkContent(snapshot: MeetingSnapshot, event: DomainEvent): Rejection | null {
  const result = step(snapshot, event);
  return result.ok ? null : result.rejection;
}

/** Why the machine will not take `event` now. */
export function explainRejection(snapshot: MeetingSnapshot, event: DomainEvent): Rejection {
  if (handlesEventType(snapshot, event.type)) {
    const rejection = checkEvent(snapshot.context, event);
    if (rejection) return rejection;
  }
  return {
    code: 'not-allowed-now',
    message: `"${event.type}" cannot happen while the meeting is at "${phaseOf(snapshot)}".`,
  };
}

interface NodeLike {
  path: string[];
  ownEvents: string[];
  states: Record<string, NodeLike>;
}

function valueOfPath(path: readonly string[]): StateValue {
  const [head, ...rest] = path;
  if (head === undefined) return {};
  return rest.length === 0 ? head : { [head]: valueOfPath(rest) };
}

/** The events the statechart's active steps take, whatever their content (worked out once per snapshot). */
function eventsHandledAt(snapshot: MeetingSnapshot): ReadonlySet<string> {
  const known = handledBySnapshot.get(snapshot);
  if (known) return known;
  const handled = new Set<string>();
  const visit = (node: NodeLike) => {
    for (const child of Object.values(node.states)) {
      if (snapshot.matches(valueOfPath(child.path) as never)) {
        for (const type of child.ownEvents) handled.add(type);
        visit(child);
      }
    }
  };
  visit(meetingMachine.root as unknown as NodeLike);
  handledBySnapshot.set(snapshot, handled);
  return handled;
}

const handledBySnapshot = new WeakMap<MeetingSnapshot, ReadonlySet<string>>();

function handlesEventType(snapshot: MeetingSnapshot, type: string): boolean {
  return eventsHandledAt(snapshot).has(type);
}

/** The active leaf state as a dotted name, e.g. "review.round". */
export function phaseOf(snapshot: MeetingSnapshot): MeetingPhase {
  const parts: string[] = [];
  let value: StateValue = snapshot.value;
  while (typeof value !== 'string') {
    const [key, child] = Object.entries(value)[0] ?? [];
    if (key === undefined || child === undefined) break;
    parts.push(key);
    value = child;
  }
  if (typeof value === 'string') parts.push(value);
  return parts.join('.') as MeetingPhase;
}

/** Bump when the machine's states or context change shape: an older persisted snapshot is then rebuilt by replay. */
export const SNAPSHOT_VERSION = 2;

export interface PersistedMeetingSnapshot {
  snapshotVersion: number;
  value: StateValue;
  context: MeetingSnapshot['context'];
}

/** A plain-JSON form of a snapshot, to store beside the log (the log stays the source of truth). */
export function persistSnapshot(snapshot: MeetingSnapshot): PersistedMeetingSnapshot {
  return { snapshotVersion: SNAPSHOT_VERSION, value: snapshot.value, context: snapshot.context };
}

/** Restores a stored snapshot; null when it is of another version (the caller replays the log instead). */
export function restoreSnapshot(stored: PersistedMeetingSnapshot): MeetingSnapshot | null {
  if (stored.snapshotVersion !== SNAPSHOT_VERSION) return null;
  return meetingMachine.resolveState({ value: stored.value, context: stored.context });
}
