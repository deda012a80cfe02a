/**
 * Setup's last step, `upgrade head`, when the migrations engine is in this
 * build. Kept apart so wiring it is one file.
 */
import type { CommandContext } from './context.js';
import type { SetupDeps } from '../core/setup/setup.js';

export async function setupMigrate(_ctx: CommandContext): Promise<Pick<SetupDeps, 'migrate'>> {
  return {};
}
