/**
 * Roles and agencies the chair has entered on this tablet, most recent first, offered back as one-tap choices
 * when adding an attendee. Never the names of people: only a role and, for a professional, their agency.
 */
import { ROLES, type Role } from '../domain/model';
import type { KioskDb } from '../storage/db';
import { isRecord, setting } from '../storage/settings';

export interface RoleAndAgency {
  role: Role;
  agency?: string;
}

export const MAX_REMEMBERED = 10;
/** Longer than any agency's name; a longer stored value is not offered back. */
const MAX_AGENCY_CHARS = 200;

const isRoleAndAgency = (value: unknown): value is RoleAndAgency =>
  isRecord(value) &&
  (ROLES as readonly unknown[]).includes(value.role) &&
  (value.agency === undefined ||
    (typeof value.agency === 'string' && value.agency.length > 0 && value.agency.length <= MAX_AGENCY_CHARS));

export const rolesAndAgencies = setting(
  'remembered-roles-and-agencies',
  (value): value is RoleAndAgency[] => Array.isArray(value) && value.every(isRoleAndAgency),
);

/** The list with this choice first (once), at most MAX_REMEMBERED long. */
export function withChoice(list: readonly RoleAndAgency[], choice: RoleAndAgency): RoleAndAgency[] {
  const entry: RoleAndAgency = choice.agency
    ? { role: choice.role, agency: choice.agency }
    : { role: choice.role };
  const same = (a: RoleAndAgency) => a.role === entry.role && (a.agency ?? '') === (entry.agency ?? '');
  return [entry, ...list.filter((a) => !same(a))].slice(0, MAX_REMEMBERED);
}

export async function readRemembered(db: KioskDb): Promise<RoleAndAgency[]> {
  return (await rolesAndAgencies.read(db)) ?? [];
}

/** Remembers a choice; a tablet that cannot store it loses only the suggestion, never the attendee. */
export async function remember(db: KioskDb, choice: RoleAndAgency): Promise<void> {
  try {
    await rolesAndAgencies.write(db, withChoice(await readRemembered(db), choice));
  } catch {
    // A suggestion is a convenience: nothing the meeting needs depends on it.
  }
}
