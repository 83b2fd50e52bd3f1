/**
 * The running sync: the machine's actor, and the three things the chair does that are not just an event
 * (enrolling needs an answer from the service; "Sync now" waits for the run it starts).
 */
import { type Actor, createActor, waitFor } from 'xstate';
import { deviceIdSetting } from '../storage/boot';
import type { KioskDb } from '../storage/db';
import { type EnrolResult, enrol, normaliseServerUrl } from './enrolment';
import { type RunOutcome, type SyncDeps, syncMachine } from './syncMachine';

export interface SyncHandle {
  readonly actor: Actor<typeof syncMachine>;
  /**
   * Enrols with a one-time code, under the name the records team will list the tablet by; on success the
   * machine starts pushing (and releases held meetings).
   */
  enrol(code: string, serverUrlInput?: string, name?: string): Promise<EnrolResult>;
  /** "Sync now": pushes at once and resolves when that run is over. */
  syncNow(): Promise<RunOutcome>;
  /** "Try again" for a meeting the service refused. */
  retryMeeting(meetingId: string): void;
  stop(): void;
}

export interface CreateSyncOptions extends SyncDeps {
  /** This tablet's own id, sent at enrolment; read from the database when left out. */
  deviceId?: string;
}

export function createSync(options: CreateSyncOptions): SyncHandle {
  const { deviceId: givenDeviceId, ...deps } = options;
  const actor = createActor(syncMachine, { input: { deps } });
  actor.start();
  return {
    actor,
    async enrol(code, serverUrlInput, name) {
      const serverUrl = normaliseServerUrl(serverUrlInput ?? actor.getSnapshot().context.serverUrl);
      if (!serverUrl) return { ok: false, code: 'bad-address', message: 'That is not a web address.' };
      // The stored id first: an earlier enrolment in this session may have changed it.
      const deviceId = (await readDeviceId(deps.db)) ?? givenDeviceId;
      if (!deviceId) return { ok: false, code: 'no-device-id', message: 'This tablet has no device id yet.' };
      const result = await enrol(
        { db: deps.db, fetch: deps.fetch, now: deps.now, deviceId },
        code,
        serverUrl,
        name,
      );
      if (result.ok) {
        deps.store.writeAs(result.enrolment.deviceId);
        const { serverUrl: url, serverDeviceId, enrolledAt } = result.enrolment;
        actor.send({ type: 'enrolled', enrolment: { serverUrl: url, serverDeviceId, enrolledAt } });
      }
      return result;
    },
    async syncNow() {
      actor.send({ type: 'sync.now' });
      const done = await waitFor(
        actor,
        (s) =>
          !s.matches('loading') && !s.matches({ active: 'starting' }) && !s.matches({ active: 'pushing' }),
      );
      if (done.matches('notEnrolled')) return { kind: 'not-enrolled' };
      // The chair asked: the prepared meetings are pulled now too, after the push.
      await deps.pullPrepared?.({ force: true })?.catch(() => undefined);
      return done.context.lastRun ?? { kind: 'nothing-to-send' };
    },
    retryMeeting(meetingId) {
      actor.send({ type: 'quarantine.retry', meetingId });
    },
    stop() {
      actor.stop();
    },
  };
}

async function readDeviceId(db: KioskDb): Promise<string | null> {
  return (await deviceIdSetting.read(db)) ?? null;
}
