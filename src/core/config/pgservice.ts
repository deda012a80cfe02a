/**
 * libpq's connection service file: `[name]` sections of `key=value` lines,
 * looked up in `PGSERVICEFILE`, `~/.pg_service.conf`, then
 * `PGSYSCONFDIR/pg_service.conf`.
 */

export interface ServiceSection {
  name: string;
  path: string;
  values: Map<string, { value: string; line: number }>;
}

export function findService(text: string, path: string, name: string): ServiceSection | undefined {
  let current: ServiceSection | undefined;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').trim();
    if (line === '' || line.startsWith('#')) continue;
    const section = /^\[(.+)\]$/.exec(line);
    if (section) {
      if (current) return current;
      current = section[1] === name ? { name, path, values: new Map() } : undefined;
      continue;
    }
    if (!current) continue;
    const eq = line.indexOf('=');
    if (eq > 0) current.values.set(line.slice(0, eq).trim(), { value: line.slice(eq + 1).trim(), line: i + 1 });
  }
  return current;
}
