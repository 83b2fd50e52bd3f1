/** The part of madge's API the layers test uses (madge ships no types). */
declare module 'madge' {
  interface MadgeResult {
    /** Each module (path relative to the base directory) with the modules it imports. */
    obj(): Record<string, string[]>;
    /** Every cycle, as the modules along it. */
    circular(): string[][];
  }
  export default function madge(path: string, config?: Record<string, unknown>): Promise<MadgeResult>;
}
