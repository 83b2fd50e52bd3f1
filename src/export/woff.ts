/**
 * WOFF 1.0 to plain OpenType (sfnt), so that fontkit reads each table once: it inflates a WOFF table
 * again on every access, and subsetting reads the glyph table once per glyph (seconds per document).
 * The format: a 44-byte header, a 20-byte directory entry per table (tag, offset, compressed length,
 * original length, checksum), each table zlib-compressed unless that would not make it smaller.
 */
import pako from 'pako';

const WOFF = 0x774f4646; // "wOFF"

export function isWoff(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0) === WOFF;
}

const converted = new WeakMap<Uint8Array, Uint8Array>();

/** The font as sfnt bytes; anything that is not WOFF is returned as it is. Throws on a damaged file. */
export function woffToSfnt(bytes: Uint8Array): Uint8Array {
  if (!isWoff(bytes)) return bytes;
  const known = converted.get(bytes);
  if (known) return known;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const fail = (why: string): never => {
    throw new Error(`Not a valid WOFF font: ${why}`);
  };
  if (bytes.length < 44) fail('too short');
  const flavor = view.getUint32(4);
  const numTables = view.getUint16(12);
  if (44 + numTables * 20 > bytes.length) fail('table directory past the end');
  const tables = Array.from({ length: numTables }, (_, i) => {
    const at = 44 + i * 20;
    const entry = {
      tag: view.getUint32(at),
      offset: view.getUint32(at + 4),
      compLength: view.getUint32(at + 8),
      origLength: view.getUint32(at + 12),
      checksum: view.getUint32(at + 16),
    };
    if (entry.offset + entry.compLength > bytes.length) fail('table past the end');
    const raw = bytes.subarray(entry.offset, entry.offset + entry.compLength);
    const data = entry.compLength < entry.origLength ? pako.inflate(raw) : raw;
    if (data.length !== entry.origLength) fail('table of the wrong length');
    return { ...entry, data };
  });
  const pad4 = (n: number) => (n + 3) & ~3;
  const headerLength = 12 + numTables * 16;
  const total = tables.reduce((sum, t) => sum + pad4(t.data.length), headerLength);
  const out = new Uint8Array(total);
  const o = new DataView(out.buffer);
  const selector = Math.floor(Math.log2(Math.max(numTables, 1)));
  o.setUint32(0, flavor);
  o.setUint16(4, numTables);
  o.setUint16(6, 2 ** selector * 16);
  o.setUint16(8, selector);
  o.setUint16(10, numTables * 16 - 2 ** selector * 16);
  let offset = headerLength;
  tables.forEach((t, i) => {
    const record = 12 + i * 16;
    o.setUint32(record, t.tag);
    o.setUint32(record + 4, t.checksum);
    o.setUint32(record + 8, offset);
    o.setUint32(record + 12, t.data.length);
    out.set(t.data, offset);
    offset += pad4(t.data.length);
  });
  converted.set(bytes, out);
  return out;
}
