/**
 * Every subcommand, in help order. Add a command by adding its module here.
 */
import type { CommandModule } from './registry.js';
import * as config from './config.js';
import * as monitor from './monitor.js';
import * as profile from './profile.js';
import * as migrate from './migrate.js';

export const COMMANDS: CommandModule[] = [config, profile, migrate, monitor];
