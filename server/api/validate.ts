/**
 * Input validation through Hono's validator with the shared zod schemas: a request that fails is answered
 * with the API's error shape before the route runs, and the route reads the typed value with c.req.valid().
 */
import type { Context, Env, MiddlewareHandler } from 'hono';
import { validator } from 'hono/validator';
import type { z } from 'zod/mini';
import { PROTOCOL_VERSION } from '../../src/domain';
import { apiError } from './respond';

const isJsonType = (c: Context) =>
  /^application\/([\w.-]+\+)?json$/i.test((c.req.header('Content-Type') ?? '').split(';')[0]?.trim() ?? '');

const hasVersion = (value: unknown): value is { protocolVersion: unknown } =>
  typeof value === 'object' && value !== null && 'protocolVersion' in value;

/**
 * A JSON body checked against `schema`. Bodies sent without a JSON Content-Type are read as JSON too (old
 * tablets and scripts send none). Another protocol version is `unsupported-version`, so that the tablet can
 * say "update the app" rather than "bad request".
 */
export function jsonBody<S extends z.ZodMiniType, E extends Env = Env, P extends string = string>(
  schema: S,
  what: string,
  /** The protocol versions this route speaks (sync: 1 and 2; prepared meetings: 2). */
  versions: readonly number[] = [PROTOCOL_VERSION],
): MiddlewareHandler<E, P, { in: { json: z.input<S> }; out: { json: z.output<S> } }> {
  return validator('json', async (parsedByHono, c) => {
    let value: unknown = parsedByHono;
    if (!isJsonType(c)) {
      try {
        value = JSON.parse(await c.req.text());
      } catch {
        return apiError(c, 'bad-request', 'The body is not JSON.');
      }
    }
    if (hasVersion(value) && !versions.includes(value.protocolVersion as number)) {
      return apiError(
        c,
        'unsupported-version',
        `This service speaks protocol version ${versions.join(' or ')} here.`,
      );
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) return apiError(c, 'bad-request', `The ${what} is not valid.`);
    return parsed.data as z.output<S>;
  }) as MiddlewareHandler<E, P, { in: { json: z.input<S> }; out: { json: z.output<S> } }>;
}

/** Request headers checked against `schema` (names in lower case, as Hono gives them). */
export function headers<S extends z.ZodMiniType, E extends Env = Env, P extends string = string>(
  schema: S,
  message: string,
): MiddlewareHandler<E, P, { in: { header: z.input<S> }; out: { header: z.output<S> } }> {
  return validator('header', (value, c) => {
    const parsed = schema.safeParse(value);
    if (!parsed.success) return apiError(c, 'bad-request', message);
    return parsed.data as z.output<S>;
  }) as MiddlewareHandler<E, P, { in: { header: z.input<S> }; out: { header: z.output<S> } }>;
}
