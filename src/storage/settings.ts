/**
 * The `settings` table holds a few small values, one row per key. Each key is declared once, by the module
 * that owns it, with `setting(key, isValue)`: that module alone reads and writes it, through the typed
 * accessor, and a stored value of the wrong shape reads as absent instead of being cast.
 */
import type { KioskDb } from './db';

export interface Setting<T> {
  readonly key: string;
  /** The stored value, or undefined when there is none or it is not a T. */
  read(db: KioskDb): Promise<T | undefined>;
  /** Whether anything is stored under the key, whatever its shape. */
  has(db: KioskDb): Promise<boolean>;
  write(db: KioskDb, value: T): Promise<void>;
  remove(db: KioskDb): Promise<void>;
}

/** Declares a key with its owner's check of the value's shape. */
export function setting<T>(key: string, isValue: (value: unknown) => value is T): Setting<T> {
  return {
    key,
    async read(db) {
      const value = (await db.settings.get(key))?.value;
      return isValue(value) ? value : undefined;
    },
    async has(db) {
      return (await db.settings.get(key)) !== undefined;
    },
    async write(db, value) {
      await db.settings.put({ key, value });
    },
    async remove(db) {
      await db.settings.delete(key);
    },
  };
}

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
