/** The admin area's form inputs, as zod schemas: what a route accepts, with the message shown when it does not. */
import { z } from 'zod/mini';
import { hasForbiddenCharacter, idSchema, requiredTextSchema } from '../../src/domain';
import { ROLES } from './roles';

export const usernameSchema = z.pipe(
  z.pipe(
    z.string(),
    z.transform((s) => s.trim().toLowerCase()),
  ),
  z
    .string()
    .check(
      z.regex(
        /^[a-z0-9][a-z0-9._-]{1,63}$/,
        'A username is 2 to 64 letters, digits, dots, hyphens or underscores.',
      ),
    ),
);

export const newPasswordSchema = z
  .string()
  .check(z.minLength(12, 'Use at least 12 characters.'), z.maxLength(1024, 'Use at most 1,024 characters.'));

/** Sign-in: anything typed is checked against the accounts (a malformed name is simply not an account). */
export const loginSchema = z.object({
  username: z.string().check(z.maxLength(200, 'That username or password is not right.')),
  password: z.string().check(z.maxLength(1024, 'That username or password is not right.')),
});

const twice = <T extends { password: string; confirm: string }>(v: T) => v.password === v.confirm;

export const setupSchema = z
  .object({
    code: z.string().check(z.minLength(1, 'Enter the set-up code.'), z.maxLength(200)),
    username: usernameSchema,
    password: newPasswordSchema,
    confirm: z.string(),
  })
  .check(z.refine(twice, 'The two passwords differ.'));

export const passwordChangeSchema = z
  .object({
    current: z.string().check(z.maxLength(1024)),
    password: newPasswordSchema,
    confirm: z.string(),
  })
  .check(z.refine(twice, 'The two new passwords differ.'));

export const roleSchema = z.enum(ROLES, 'Choose a role.');

export const newAccountSchema = z.object({
  username: usernameSchema,
  displayName: z.pipe(
    z.pipe(
      z.string(),
      z.transform((s) => s.trim()),
    ),
    z.string().check(
      z.minLength(1, "Enter the person's name."),
      z.maxLength(200, 'Use at most 200 characters for the name.'),
      // PostgreSQL refuses a NUL in text (a 500), and a line break or control character has no place in a name.
      z.refine(
        (name) => !hasForbiddenCharacter(name) && !/[\n\u2028\u2029]/.test(name),
        'Use one line of ordinary characters for the name.',
      ),
    ),
  ),
  role: roleSchema,
  password: newPasswordSchema,
});

export const roleChangeSchema = z.object({ role: roleSchema });

export const handOverSchema = z.object({
  device: idSchema,
  reason: requiredTextSchema.check(z.maxLength(500)),
});

export const replaceSchema = z.object({ replacement: idSchema });

/** A legal hold: why the record is kept past its period (a case, a request, an inquiry). */
export const holdSchema = z.object({
  reason: requiredTextSchema.check(z.maxLength(500)),
});

const personName = z.pipe(
  z.pipe(
    z.string(),
    z.transform((s) => s.trim()),
  ),
  z
    .string()
    .check(
      z.minLength(1, "Enter the person's name."),
      z.maxLength(200, 'Use at most 200 characters for the name.'),
    ),
);

/** A subject access search: the person's name as the request gives it. */
export const subjectSearchSchema = z.object({ name: personName });

const meetingId = z.string().check(z.regex(/^[0-9a-f-]{36}$/, 'Choose meetings from the list.'));

/** The meetings confirmed for the export (one checkbox each) and whose request it answers. */
export const subjectExportSchema = z.object({
  subject: personName,
  meeting: z.union(
    [meetingId, z.array(meetingId).check(z.minLength(1), z.maxLength(400))],
    'Tick at least one meeting to export.',
  ),
});
