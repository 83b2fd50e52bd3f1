/** The admin roles and what each may do: the server checks these per route, and the pages offer only these. */
import type { AdminRole } from '../db/schema';

/**
 * What each role may do. An administrator may do everything (devices, codes, hand-over, accounts, the
 * audit trail, legal holds, the sealing keys, PIN reset codes, and what a records officer does); a records officer works with the records (exports,
 * verify, subject access) and prepares meetings and advance requests for the tablets; a viewer reads the meetings list and meeting pages, nothing more.
 */
export type Permission =
  | 'read-meetings'
  | 'export-records'
  | 'manage-devices'
  | 'manage-accounts'
  | 'read-audit'
  | 'manage-holds'
  | 'manage-keys'
  | 'issue-pin-reset'
  /** Issue 19: set up meetings and advance requests on the records service, for a tablet to take over. */
  | 'prepare-meetings';

const PERMISSIONS: Record<AdminRole, readonly Permission[]> = {
  administrator: [
    'read-meetings',
    'export-records',
    'manage-devices',
    'manage-accounts',
    'read-audit',
    'manage-holds',
    'manage-keys',
    'issue-pin-reset',
    'prepare-meetings',
  ],
  'records-officer': ['read-meetings', 'export-records', 'prepare-meetings'],
  viewer: ['read-meetings'],
};

export const ROLE_LABEL: Record<AdminRole, string> = {
  administrator: 'Administrator',
  'records-officer': 'Records officer',
  viewer: 'Viewer',
};

export const ROLES = ['administrator', 'records-officer', 'viewer'] as const satisfies readonly AdminRole[];

export const may = (role: AdminRole, permission: Permission): boolean =>
  PERMISSIONS[role].includes(permission);
