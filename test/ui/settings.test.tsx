import { describe, expect, it, vi } from 'vitest';
import { fakeServices, KEYS, renderApp, renderAppSized } from './helpers.js';

describe('Settings screen', () => {
  it('shows each value with its source, masks the password, and switches profile then reloads', async () => {
    let active = 'dev';
    const useProfile = vi.fn(async (name: string) => {
      active = name;
    });
    const make = () =>
      fakeServices({
        connection: { target: `app@${active}.example:5432/connector_db` },
        settings: {
          rows: [
            { key: 'DATABASE__HOST', value: `${active}.example`, source: `profile ${active}` },
            { key: 'DATABASE__PASSWORD', value: '****', source: '~/.pgpass line 2' },
          ],
          notes: ['DATABASE__HOST from env is not used: DATABASE__URL sets the host.'],
          url: `postgresql://app:****@${active}.example:5432/connector_db`,
          profiles: () => ['dev', 'prod'].map((name) => ({ name, active: name === active, target: `app@${name}.example:5432/connector_db` })),
          useProfile,
        },
      });
    const app = renderApp(make(), { initialScreen: 'settings', reloadServices: make });
    const frame = await app.waitFor((f) => f.includes('DATABASE__HOST'), 'the settings table');
    expect(frame).toMatch(/DATABASE__HOST\s+dev\.example\s+profile dev/);
    expect(frame).toMatch(/DATABASE__PASSWORD\s+\*\*\*\*\s+~\/\.pgpass line 2/);
    expect(frame).toContain('DATABASE__URL sets the host');
    expect(frame).toContain('*dev  prod');
    await app.press('p');
    await app.waitFor((f) => f.includes('Use which profile?'), 'the profile chooser');
    await app.press(KEYS.down);
    await app.press(KEYS.enter);
    await app.waitFor((f) => f.includes('prod.example') && f.includes('profile prod'), 'the reloaded settings');
    expect(useProfile).toHaveBeenCalledWith('prod');
    app.unmount();
  });

  it('at 80 columns a long note wraps: its explaining half is not cut off', async () => {
    const note = 'DATABASE__URL (.env line 1) contains ${DATABASE__USER}, ${DATABASE__PASSWORD}, ${DATABASE__HOST}: they are filled in from those settings';
    const services = fakeServices({ settings: { rows: [{ key: 'DATABASE__HOST', value: 'db', source: '.env line 3' }], notes: [note], url: 'postgresql://app:****@db:5432/x', profiles: () => [], useProfile: async () => {} } });
    const app = renderAppSized(services, { columns: 80, rows: 24 }, { initialScreen: 'settings' });
    const frame = await app.waitFor((f) => f.includes('DATABASE__HOST'), 'the settings table');
    for (const row of frame.split('\n')) expect(row.length).toBeLessThanOrEqual(80);
    expect(frame.replace(/\s+/g, ' ')).toContain('they are filled in from those settings');
    app.unmount();
  });
});
