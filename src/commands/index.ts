/**
 * Every subcommand, in help order. Add a command by adding its module here.
 */
import type { CommandModule } from './registry.js';
import * as config from './config.js';
import * as devdb from './devdb.js';
import * as doctor from './doctor.js';
import * as monitor from './monitor.js';
import * as profile from './profile.js';
import * as migrate from './migrate.js';
import * as setup from './setup.js';
import * as query from './query.js';
import * as backup from './backup.js';
import * as restore from './restore.js';
import * as reset from './reset.js';

export const COMMANDS: CommandModule[] = [config, doctor, setup, devdb, migrate, query, backup, restore, reset, profile, monitor];
