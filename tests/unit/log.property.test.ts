/**
 * Properties of the meeting log (DESIGN.md, "one idea: the meeting record is an append-only event log"):
 * replaying a sealed log rebuilds exactly the meeting that stepping its events built; any change to any
 * event is caught and named; an event the meeting cannot take is refused and changes nothing; and the hash
 * of an envelope does not depend on the order of its keys (RFC 8785 canonical JSON).
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { canonicalJson, hashOf, sealEvent } from '../../src/domain/chain';
import { type MeetingSnapshot, persistSnapshot, step } from '../../src/domain/engine';
import {
  DOMAIN_EVENT_TYPES,
  type DomainEvent,
  domainEventSchema,
  type EventEnvelope,
  GENESIS_HASH,
} from '../../src/domain/events';
import { replay } from '../../src/domain/replay';
import type { RejectionCode } from '../../src/domain/rules';
import { legalWalk, sampleEvents, walk } from '../support/arbitraries';
import { DEVICE_ID, MEETING_ID, opened, people } from '../support/scenario';

const RUNS = 80;

/** Seals events into a chained log with sealEvent, each with a fresh UUIDv7, one second apart. */
async function seal(events: readonly DomainEvent[]): Promise<EventEnvelope[]> {
  const log: EventEnvelope[] = [];
  const t0 = Date.parse('2026-11-23T09:58:00Z');
  for (const [i, event] of events.entries()) {
    const at = new Date(t0 + i * 1_000).toISOString().replace('.000Z', '+00:00');
    log.push(await sealEvent(log.at(-1) ?? null, event, { meetingId: MEETING_ID, deviceId: DEVICE_ID, at }));
  }
  return log;
}

/** As the records service receives it: plain JSON. */
const overTheWire = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** Two envelopes are the same record exactly when their canonical JSON is the same (RFC 8785). */
const isSameRecord = (a: unknown, b: unknown): boolean => canonicalJson(a) === canonicalJson(b);

// ---------------------------------------------------------------- (a) replay rebuilds the meeting

describe('replaying a sealed log', () => {
  test('a legal sequence of events, sealed into a log, replays to the state and context that stepping it reached', async () => {
    await fc.assert(
      fc.asyncProperty(legalWalk({ maxLength: 25 }), async ({ events, snapshots }) => {
        const stepped = snapshots.at(-1) as MeetingSnapshot;
        const log = await seal(events);
        const result = await replay(overTheWire(log));
        if (!result.ok)
          throw new Error(`${result.error.code} at ${result.error.index}: ${result.error.message}`);
        expect(result.snapshot.value).toEqual(stepped.value);
        expect(result.snapshot.context).toEqual(stepped.context);
        expect(result.headHash).toBe(log.at(-1)?.hash ?? GENESIS_HASH);
        expect(result.events).toHaveLength(events.length);
      }),
      { numRuns: RUNS },
    );
  });
});

// ---------------------------------------------------------------- (b) tampering is caught and named

type JsonPath = Array<string | number>;

function nodePaths(value: unknown, prefix: JsonPath = []): JsonPath[] {
  if (value === null || typeof value !== 'object') return [];
  const entries: Array<[string | number, unknown]> = Array.isArray(value)
    ? value.map((v, i) => [i, v])
    : Object.entries(value);
  return entries.flatMap(([key, child]) => [[...prefix, key], ...nodePaths(child, [...prefix, key])]);
}

type Edit =
  | { op: 'replace'; value: unknown }
  | { op: 'delete' }
  | { op: 'add-key'; key: string; value: unknown };

/** A copy of `root` with one field replaced, removed, or given a new sibling. */
function edit(root: object, path: JsonPath, change: Edit): unknown {
  const copy = structuredClone(root) as Record<string | number, unknown>;
  const parentPath = path.slice(0, -1);
  const last = path.at(-1) as string | number;
  let parent: Record<string | number, unknown> = copy;
  for (const key of parentPath) parent = parent[key] as Record<string | number, unknown>;
  switch (change.op) {
    case 'replace':
      parent[last] = change.value;
      break;
    case 'delete':
      if (Array.isArray(parent)) parent.splice(Number(last), 1);
      else delete parent[last];
      break;
    case 'add-key':
      if (Array.isArray(parent)) parent.push(change.value);
      else
        Object.defineProperty(parent, change.key, { value: change.value, enumerable: true, writable: true });
      break;
  }
  return copy;
}

const editArb: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ op: fc.constant('replace' as const), value: fc.jsonValue({ maxDepth: 2 }) }),
  fc.constant({ op: 'delete' as const }),
  fc.record({ op: fc.constant('add-key' as const), key: fc.string(), value: fc.jsonValue({ maxDepth: 1 }) }),
);

/** A character to put in place of another: printable ASCII, or something further afield. */
const charArb = fc.oneof(
  fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
  fc.constantFrom('é', '’', '\u00a0', '\u2028', '😀'),
);

async function expectCaughtAt(log: readonly EventEnvelope[], index: number, tampered: unknown) {
  const result = await replay(log.map((e, i) => (i === index ? tampered : e)));
  expect(result.ok).toBe(false);
  if (!result.ok) {
    expect(result.error.index).toBe(index);
    expect(result.validCount).toBe(index);
  }
}

describe('a tampered log', () => {
  test('flipping any one character of any event (so that it still parses) makes replay fail at that event', async () => {
    await fc.assert(
      fc.asyncProperty(
        legalWalk({ maxLength: 15 }),
        fc.nat(),
        fc.nat(),
        charArb,
        async ({ events }, which, where, char) => {
          const log = await seal(events);
          const index = which % log.length;
          const text = JSON.stringify(log[index]);
          const at = where % text.length;
          fc.pre(text[at] !== char);
          let tampered: unknown;
          try {
            tampered = JSON.parse(text.slice(0, at) + char + text.slice(at + 1));
          } catch {
            fc.pre(false);
          }
          fc.pre(!isSameRecord(tampered, log[index]));
          await expectCaughtAt(log, index, tampered);
        },
      ),
      { numRuns: 120, maxSkipsPerRun: 1_000 },
    );
  });

  test('changing, removing or adding any field of any event makes replay fail at that event', async () => {
    await fc.assert(
      fc.asyncProperty(
        legalWalk({ maxLength: 15 }),
        fc.nat(),
        fc.nat(),
        editArb,
        async ({ events }, which, where, change) => {
          const log = await seal(events);
          const index = which % log.length;
          const original = log[index] as EventEnvelope;
          const paths = nodePaths(original);
          const tampered = edit(original, paths[where % paths.length] as JsonPath, change);
          fc.pre(!isSameRecord(tampered, original));
          await expectCaughtAt(log, index, tampered);
        },
      ),
      { numRuns: 120 },
    );
  });

  test('an edit that leaves the record identical (only the key order changed) is not a change', async () => {
    const [first] = (await seal([opened()])) as [EventEnvelope];
    const reordered = Object.fromEntries(Object.entries(first).reverse());
    expect(isSameRecord(reordered, first)).toBe(true);
    expect((await replay([reordered])).ok).toBe(true);
    expect(isSameRecord(edit(first, ['seq'], { op: 'replace', value: 2 }), first)).toBe(false);
  });
});

// ---------------------------------------------------------------- (c) illegal events are refused

/** What a schema failure is refused with: a field error (its path in the payload) or, for no field, invalid-event. */
const SCHEMA_CODES = ['invalid-event', 'field-required', 'field-too-long', 'field-invalid'] as const;
/** What the rules refuse a well-formed event with. */
const RULE_CODES = [
  'not-allowed-now',
  'already-answered',
  'chair-not-present',
  'ground-ruled-out',
  'minute-not-confirmed',
  'purpose-required',
  'duplicate-attendee',
  'unknown-attendee',
  'attendee-not-present',
  'attendee-present',
  'requester-not-present',
  'nobody-to-ask',
  'wrong-timing',
  'not-eligible',
  'not-the-requester',
  'undertaking-text-mismatch',
  'signature-too-small',
  'requester-is-not-asked',
  'not-being-asked',
  'reason-required',
  'disagreements-required',
  'ground-not-in-profile',
  'grounds-unaddressed',
  'other-grounds-unanswered',
  'nothing-offered',
  'not-permitted',
  'already-recording',
  'not-recording',
  'unknown-child',
  'request-in-force',
  'not-advance-request',
  'no-request',
  'cannot-withdraw',
  'cannot-escalate',
  'not-escalated',
  'nothing-to-correct',
  'correction-too-late',
  'cannot-remove',
  'not-the-chair',
  'already-confirmed',
  'cannot-discard',
  'undertaking-not-signed',
  'understanding-not-checked',
  'understanding-check-over',
  'understanding-version-changed',
  'not-the-current-question',
  'unknown-answer',
  'already-claimed',
  'relay-required',
  'relay-in-room',
  'not-the-relayer',
  'not-an-interpreter',
  'interpreter-not-present',
  'chair-in-room',
  'requester-not-in-room',
  'attendee-not-in-room',
  'not-their-language',
  'not-their-screen',
] as const;
const REJECTION_CODES: readonly RejectionCode[] = [...SCHEMA_CODES, ...RULE_CODES];
// Every code of rules.ts is listed: this line stops compiling if one is added there and not here.
const everyCodeListed: Exclude<
  RejectionCode,
  (typeof SCHEMA_CODES)[number] | (typeof RULE_CODES)[number]
> extends never
  ? true
  : never = true;

const isSchemaCode = (code: RejectionCode | null): boolean =>
  (SCHEMA_CODES as readonly (RejectionCode | null)[]).includes(code);

function expectRefusedWithoutChange(snapshot: MeetingSnapshot, event: unknown) {
  const before = structuredClone(persistSnapshot(snapshot));
  const result = step(snapshot, event as DomainEvent);
  expect(result.ok).toBe(false);
  expect(persistSnapshot(snapshot)).toEqual(before);
  if (result.ok) return null;
  expect(REJECTION_CODES).toContain(result.rejection.code);
  expect(result.rejection.message).not.toBe('');
  // A field error names its field, so that a form can show it beside that field.
  if (result.rejection.code.startsWith('field-')) expect(result.rejection.field).toBeTruthy();
  return result.rejection.code;
}

describe('time within a meeting', () => {
  /** Seals events with the given times (ISO-8601 with offset). */
  async function sealAt(events: readonly DomainEvent[], times: readonly string[]) {
    const log: EventEnvelope[] = [];
    for (const [i, event] of events.entries()) {
      const at = times[i] as string;
      log.push(
        await sealEvent(log.at(-1) ?? null, event, { meetingId: MEETING_ID, deviceId: DEVICE_ID, at }),
      );
    }
    return log;
  }

  test('an event dated earlier than the one before it is refused as time-backwards at that event; equal times are fine', async () => {
    await fc.assert(
      fc.asyncProperty(
        legalWalk({ minLength: 2, maxLength: 15 }),
        fc.array(fc.integer({ min: -3_600, max: 3_600 }), { minLength: 15, maxLength: 15 }),
        async ({ events }, steps) => {
          let t = Date.parse('2026-11-23T09:58:00Z');
          const times = events.map((_, i) => {
            if (i > 0) t += (steps[i] ?? 0) * 1_000;
            return new Date(t).toISOString().replace('.000Z', '+00:00');
          });
          const log = await sealAt(events, times);
          const backwards = times.findIndex(
            (at, i) => i > 0 && Date.parse(at) < Date.parse(times[i - 1] as string),
          );
          const result = await replay(overTheWire(log));
          if (backwards === -1) {
            expect(result.ok).toBe(true);
          } else {
            expect(result.ok).toBe(false);
            if (!result.ok) expect(result.error).toMatchObject({ code: 'time-backwards', index: backwards });
          }
        },
      ),
      { numRuns: RUNS },
    );
  });

  test('times are compared as instants, whatever their offsets, not as text', async () => {
    const events = [opened(), { type: 'attendee.added', payload: { attendee: people.chair } } as DomainEvent];
    // 10:00 at +01:00 is 09:00 UTC: earlier than 09:30 UTC, though it sorts after it as text.
    const earlier = await sealAt(events, ['2026-11-23T09:30:00+00:00', '2026-11-23T10:00:00+01:00']);
    expect(await replay(earlier)).toMatchObject({ ok: false, error: { code: 'time-backwards', index: 1 } });
    // 09:30 UTC after 10:00 at +01:00 (09:00 UTC) is later, though it sorts before it as text.
    const later = await sealAt(events, ['2026-11-23T10:00:00+01:00', '2026-11-23T09:30:00+00:00']);
    expect((await replay(later)).ok).toBe(true);
  });

  test('a log continued from a held head is checked against the head time', async () => {
    const events = [opened(), { type: 'attendee.added', payload: { attendee: people.chair } } as DomainEvent];
    const log = await sealAt(events, ['2026-11-23T10:00:00+00:00', '2026-11-23T09:59:59+00:00']);
    const head = await replay(log.slice(0, 1));
    if (!head.ok) throw new Error('first event should replay');
    const from = { snapshot: head.snapshot, seq: 1, hash: head.headHash, meetingId: MEETING_ID };
    expect(await replay(log.slice(1), { from: { ...from, at: log[0]?.at } })).toMatchObject({
      ok: false,
      error: { code: 'time-backwards', index: 0 },
    });
    // A log held from before times were checked stays readable.
    expect((await replay(log, { allowBackwardsTime: true })).ok).toBe(true);
  });
});

describe('an event the meeting cannot take now', () => {
  test('a well-formed event the machine does not accept in this state is refused with a reason, and changes nothing', () => {
    expect(everyCodeListed).toBe(true);
    fc.assert(
      fc.property(legalWalk({ minLength: 0, maxLength: 20 }), fc.nat(), ({ snapshots }, which) => {
        const snapshot = snapshots.at(-1) as MeetingSnapshot;
        const refused = sampleEvents(snapshot.context).filter((ev) => !snapshot.can(ev));
        fc.pre(refused.length > 0);
        const event = refused[which % refused.length] as DomainEvent;
        const code = expectRefusedWithoutChange(snapshot, event);
        expect(isSchemaCode(code), `${event.type} refused as ${code}`).toBe(false);
      }),
      { numRuns: 150 },
    );
  });

  test('an event of a known type with a random payload is refused (as a schema failure unless the schema allows it), and changes nothing', () => {
    const types = [...DOMAIN_EVENT_TYPES];
    fc.assert(
      fc.property(
        legalWalk({ minLength: 0, maxLength: 20 }),
        fc.constantFrom(...types),
        fc.jsonValue({ maxDepth: 3 }),
        ({ snapshots }, type, payload) => {
          const snapshot = snapshots.at(-1) as MeetingSnapshot;
          const event = { type, payload };
          const parsed = domainEventSchema.safeParse(event);
          if (parsed.success) fc.pre(!snapshot.can(parsed.data));
          const code = expectRefusedWithoutChange(snapshot, event);
          if (!parsed.success) expect(isSchemaCode(code), `refused as ${code}`).toBe(true);
        },
      ),
      { numRuns: 150 },
    );
  });

  test('a garbage object is refused as a schema failure, and changes nothing', () => {
    fc.assert(
      fc.property(
        legalWalk({ minLength: 0, maxLength: 20 }),
        fc.oneof(
          fc.anything(),
          fc.record({ type: fc.string(), payload: fc.anything() }),
          fc.record({
            type: fc.constantFrom('meeting.started', 'consent.given'),
            payload: fc.anything(),
            extra: fc.anything(),
          }),
        ),
        ({ snapshots }, garbage) => {
          const snapshot = snapshots.at(-1) as MeetingSnapshot;
          expect(isSchemaCode(expectRefusedWithoutChange(snapshot, garbage))).toBe(true);
        },
      ),
      // An event with no payload at all is about no field of it: always tried.
      { numRuns: 150, examples: [[walk([]), { type: 'meeting.started' }]] },
    );
  });
});

// ---------------------------------------------------------------- (d) RFC 8785: key order does not matter

/** Deterministic pseudo-random numbers from a seed (mulberry32). */
function randomFrom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** The same value with the keys of every object in another order (arrays keep theirs: order is data). */
function shuffleKeys(value: unknown, random: () => number): unknown {
  if (Array.isArray(value)) return value.map((v) => shuffleKeys(v, random));
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value);
  for (let i = entries.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [entries[i], entries[j]] = [entries[j] as [string, unknown], entries[i] as [string, unknown]];
  }
  const out: Record<string, unknown> = {};
  for (const [key, child] of entries) {
    Object.defineProperty(out, key, { value: shuffleKeys(child, random), enumerable: true, writable: true });
  }
  return out;
}

/**
 * A reference serializer for plain JSON values after RFC 8785: no whitespace, numbers and strings as
 * ECMAScript writes them, and object keys sorted by their UTF-16 code units (3.2.3), at every level.
 */
function referenceCanonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(referenceCanonical).join(',')}]`;
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  const keys = Object.keys(value).sort();
  const record = value as Record<string, unknown>;
  return `{${keys.map((k) => `${JSON.stringify(k)}:${referenceCanonical(record[k])}`).join(',')}}`;
}

describe('the hash of an envelope (RFC 8785)', () => {
  test('does not depend on the order of the keys of the envelope or of anything inside it', async () => {
    await fc.assert(
      fc.asyncProperty(
        legalWalk({ maxLength: 15 }),
        fc.nat(),
        fc.integer(),
        async ({ events }, which, seed) => {
          const log = await seal(events);
          const index = which % log.length;
          const envelope = log[index] as EventEnvelope;
          const shuffled = shuffleKeys(envelope, randomFrom(seed)) as EventEnvelope;
          expect(await hashOf(shuffled)).toBe(envelope.hash);
          expect(canonicalJson(shuffled)).toBe(canonicalJson(envelope));
          const result = await replay(log.map((e, i) => (i === index ? shuffled : e)));
          expect(result.ok).toBe(true);
        },
      ),
      { numRuns: RUNS },
    );
  });

  test('canonical JSON of any JSON value is the same whatever the key order, with keys sorted as RFC 8785 says', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.integer(), (value, seed) => {
        const text = canonicalJson(value);
        expect(canonicalJson(shuffleKeys(value, randomFrom(seed)))).toBe(text);
        expect(text).toBe(referenceCanonical(value));
        expect(isSameRecord(JSON.parse(text), value)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
