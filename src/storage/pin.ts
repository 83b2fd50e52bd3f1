/**
 * The chair's kiosk PIN. Only a salted PBKDF2-SHA-256 hash is stored (Web Crypto), never the PIN.
 * A PIN of 4-8 digits is weak against someone holding a copy of the database, so it guards the chair's
 * controls on the tablet only; it is not an encryption key.
 */
import type { KioskDb } from './db';
import { setting } from './settings';

export const PIN_ITERATIONS = 310_000;
const SALT_BYTES = 16;
const HASH_BITS = 256;

export interface PinRecord {
  algorithm: 'PBKDF2-SHA-256';
  iterations: number;
  /** Hex, 16 random bytes. */
  salt: string;
  /** Hex, 32 bytes. */
  hash: string;
}

const HEX = /^(?:[0-9a-f]{2})+$/;

function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function fromHex(hex: string): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i += 1) bytes[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

async function derive(pin: string, salt: Uint8Array<ArrayBuffer>, iterations: number): Promise<Uint8Array> {
  const subtle = globalThis.crypto.subtle;
  const key = await subtle.importKey('raw', new TextEncoder().encode(pin), 'PBKDF2', false, ['deriveBits']);
  const bits = await subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, key, HASH_BITS);
  return new Uint8Array(bits);
}

/** Compares every byte whatever the first difference, so the time taken does not reveal where it is. */
function isEqualConstantTime(a: Uint8Array, b: Uint8Array): boolean {
  let diff = a.length ^ b.length;
  const length = Math.max(a.length, b.length);
  for (let i = 0; i < length; i += 1) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}

export async function hashPin(pin: string): Promise<PinRecord> {
  const salt = globalThis.crypto.getRandomValues(new Uint8Array(SALT_BYTES));
  const hash = await derive(pin, salt, PIN_ITERATIONS);
  return { algorithm: 'PBKDF2-SHA-256', iterations: PIN_ITERATIONS, salt: toHex(salt), hash: toHex(hash) };
}

export async function verifyPin(pin: string, record: PinRecord): Promise<boolean> {
  if (!isPinRecord(record)) return false;
  const derived = await derive(pin, fromHex(record.salt), record.iterations);
  return isEqualConstantTime(derived, fromHex(record.hash));
}

export function isPinRecord(value: unknown): value is PinRecord {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Record<string, unknown>;
  return (
    r.algorithm === 'PBKDF2-SHA-256' &&
    typeof r.iterations === 'number' &&
    Number.isInteger(r.iterations) &&
    r.iterations >= 100_000 &&
    r.iterations <= 10_000_000 &&
    typeof r.salt === 'string' &&
    HEX.test(r.salt) &&
    r.salt.length >= SALT_BYTES * 2 &&
    typeof r.hash === 'string' &&
    HEX.test(r.hash) &&
    r.hash.length === HASH_BITS / 4
  );
}

/** The chair's PIN record (owned here); anything else stored under its key reads as no PIN. */
const pinSetting = setting('pin', isPinRecord);

/** 4-8 digits, not one digit repeated (0000) and not a run up or down (1234, 9876). */
export function isAcceptablePin(pin: string): boolean {
  if (!/^\d{4,8}$/.test(pin)) return false;
  const digits = Array.from(pin, Number);
  const steps = digits.slice(1).map((d, i) => d - (digits[i] ?? 0));
  const isRun = (step: number) => steps.every((s) => s === step);
  return !isRun(0) && !isRun(1) && !isRun(-1);
}

/** Hashes and stores the chair's PIN, replacing any earlier one. Throws if the PIN is not acceptable. */
export async function savePin(db: KioskDb, pin: string): Promise<PinRecord> {
  if (!isAcceptablePin(pin)) throw new RangeError('The PIN must be 4 to 8 digits and not a simple pattern.');
  const record = await hashPin(pin);
  await savePinRecord(db, record);
  return record;
}

/** Stores a PIN record already made (a reset writes it in one transaction with the code it used). */
export async function savePinRecord(db: KioskDb, record: PinRecord): Promise<void> {
  await pinSetting.write(db, record);
}

/** The stored PIN record, or null if no PIN has been set (or what is stored is not a PIN record). */
export async function loadPinRecord(db: KioskDb): Promise<PinRecord | null> {
  return (await pinSetting.read(db)) ?? null;
}
