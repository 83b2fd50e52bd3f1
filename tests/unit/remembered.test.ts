/**
 * Roles and agencies remembered on the tablet (issue 17): the most recent first, each once, a few at most,
 * and never anything but a role and an agency; a stored value of another shape is not offered back.
 */
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import {
  MAX_REMEMBERED,
  readRemembered,
  remember,
  rolesAndAgencies,
  withChoice,
} from '../../src/meeting/remembered';
import { createDb } from '../../src/storage/db';

describe('roles and agencies remembered on the tablet', () => {
  it('puts the latest choice first, once, and keeps at most a few', () => {
    let list = withChoice([], { role: 'police', agency: 'Constabulary' });
    list = withChoice(list, { role: 'chair', agency: "Children's Services" });
    list = withChoice(list, { role: 'police', agency: 'Constabulary' });
    expect(list).toEqual([
      { role: 'police', agency: 'Constabulary' },
      { role: 'chair', agency: "Children's Services" },
    ]);
    for (let i = 0; i < 20; i++) list = withChoice(list, { role: 'other-agency', agency: `Agency ${i}` });
    expect(list).toHaveLength(MAX_REMEMBERED);
    expect(list[0]).toEqual({ role: 'other-agency', agency: 'Agency 19' });
  });

  it('a role without an agency is remembered as the role alone', () => {
    expect(withChoice([], { role: 'parent-carer', agency: '' })).toEqual([{ role: 'parent-carer' }]);
  });

  it('stores only the role and agency, and reads a value of another shape as nothing', async () => {
    const db = createDb(`remembered-${crypto.randomUUID()}`);
    await remember(db, { role: 'health', agency: 'NHS', name: 'Ola Bello' } as never);
    expect(JSON.stringify(await db.settings.toArray())).not.toContain('Ola');
    expect(await readRemembered(db)).toEqual([{ role: 'health', agency: 'NHS' }]);
    await db.settings.put({ key: rolesAndAgencies.key, value: [{ role: 'wizard' }] });
    expect(await readRemembered(db)).toEqual([]);
    db.close();
  });
});
