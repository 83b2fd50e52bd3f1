/**
 * The API's error answer, `{ error: { code, message, ...detail } }` with the status its code has, and the
 * code noted on the context so that the request log names why a request failed (the body is never logged).
 */
import type { Context } from 'hono';
import type { SyncErrorCode } from '../../src/domain';
import { STATUS_OF } from '../sync';

declare module 'hono' {
  interface ContextVariableMap {
    /** Why the request failed: logged with the request's status (an API error code, or a failure code). */
    errorCode: string;
  }
}

export function apiError(
  c: Context,
  code: SyncErrorCode,
  message: string,
  extra: Record<string, unknown> = {},
): Response {
  c.set('errorCode', code);
  return c.json({ error: { code, message, ...extra } }, STATUS_OF[code]);
}
