/**
 * `connector-db profile list|save|use|delete|set`: saved profiles (conf).
 * Never a password: `save --save-password` puts it in ~/.pgpass (0600).
 */
import os from 'node:os';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { ActionFactory } from './registry.js';
import { columns } from './output.js';
import type { CommandContext } from './context.js';
import { configDirFor, profileFilePath, type ProfileFile } from '../core/config/profile-store.js';
import { ToolError } from '../core/errors.js';

function readProfiles(configDir: string): ProfileFile {
  try {
    return JSON.parse(readFileSync(profileFilePath(configDir), 'utf8')) as ProfileFile;
  } catch {
    return {};
  }
}

/**
 * Where the profiles live, without resolving the settings: a bad value in the
 * active profile must not block the commands that fix it (use, set, delete).
 */
function profilesDir(ctx: CommandContext): string {
  return configDirFor(ctx.env, os.homedir());
}

function list(ctx: CommandContext): number {
  const dir = profilesDir(ctx);
  const file = readProfiles(dir);
  const profiles = file.profiles ?? {};
  const names = Object.keys(profiles);
  ctx.out.emit({ ok: true, active: file.activeProfile ?? null, file: profileFilePath(dir), profiles }, () => {
    if (names.length === 0) {
      ctx.out.line(`No saved profiles (${profileFilePath(dir)}). Save the current settings with: connector-db profile save NAME`);
      return;
    }
    const rows = [['', 'PROFILE', 'TARGET']];
    for (const name of names) {
      const p = profiles[name] ?? {};
      rows.push([name === file.activeProfile ? '*' : '', name, `${p.DATABASE__USER ?? '?'}@${p.DATABASE__HOST ?? '?'}:${p.DATABASE__PORT ?? '?'}/${p.DATABASE__NAME ?? '?'}`]);
    }
    for (const line of columns(rows)) ctx.out.line(line);
  });
  return 0;
}

export function register(program: Command, action: ActionFactory): void {
  const profile = program.command('profile').description('saved profiles: list, save, use, set, delete (never a password)');
  profile.command('list', { isDefault: true }).description('list saved profiles (* = active)').action(action(async (ctx) => list(ctx)));
  profile
    .command('save <name>')
    .description('save the current settings (flags, env, .env) as a profile, without the password')
    .option('--activate', 'make it the active profile')
    .option('--save-password', 'also put the password in ~/.pgpass (0600), where libpq tools find it too')
    .action(
      action(async (ctx, { args, opts }) => {
        const name = args[0] as string;
        const settings = ctx.settings();
        const { profileValuesFrom, saveProfile, savePgpass } = await import('../core/config/profile-write.js');
        const { values, droppedPassword } = profileValuesFrom(settings);
        const file = await saveProfile(settings.configDir, name, values, { activate: Boolean(opts.activate) });
        let pgpass: string | undefined;
        if (opts.savePassword && settings.target.password !== undefined) {
          pgpass = ctx.env.PGPASSFILE || path.join(os.homedir(), '.pgpass');
          const t = settings.target;
          await savePgpass(pgpass, { host: t.host, port: t.port, database: t.database, user: t.user, password: t.password as string });
        }
        ctx.out.emit({ ok: true, profile: name, file, values, passwordSavedTo: pgpass ?? null }, () => {
          ctx.out.line(`Saved profile "${name}" in ${file}.`);
          if (pgpass) ctx.out.line(`The password is in ${pgpass} (0600), not in the profile.`);
          else if (droppedPassword) ctx.out.line('The password was not saved (profiles never hold one); add --save-password to keep it in ~/.pgpass.');
        });
      }),
    );
  profile
    .command('use <name>')
    .description('make a saved profile the active one')
    .action(
      action(async (ctx, { args }) => {
        const { useProfile } = await import('../core/config/profile-write.js');
        await useProfile(profilesDir(ctx), args[0] as string);
        ctx.out.emit({ ok: true, active: args[0] }, () => ctx.out.line(`Active profile: ${args[0]}`));
      }),
    );
  profile
    .command('set <name> <assignment>')
    .description('set one value in a profile, e.g. DATABASE__POOL_SIZE=5 (validated; never a password)')
    .action(
      action(async (ctx, { args }) => {
        const [name, assignment] = args as [string, string];
        const { isSettingKey } = await import('../core/config/spec.js');
        const eq = assignment.indexOf('=');
        const key = eq > 0 ? assignment.slice(0, eq) : '';
        if (!isSettingKey(key)) throw new ToolError('usage', `${JSON.stringify(assignment)} is not KEY=value with a known setting; allowed: e.g. DATABASE__POOL_SIZE=5 (see connector-db config)`, { exitCode: 2 });
        const { setProfileValue } = await import('../core/config/profile-write.js');
        await setProfileValue(profilesDir(ctx), name, key, assignment.slice(eq + 1));
        ctx.out.emit({ ok: true, profile: name, key }, () => ctx.out.line(`Profile "${name}": ${key} set.`));
      }),
    );
  profile
    .command('delete <name>')
    .description('delete a saved profile')
    .action(
      action(async (ctx, { args }) => {
        const { deleteProfile } = await import('../core/config/profile-write.js');
        await deleteProfile(profilesDir(ctx), args[0] as string);
        ctx.out.emit({ ok: true, deleted: args[0] }, () => ctx.out.line(`Deleted profile "${args[0]}".`));
      }),
    );
}
