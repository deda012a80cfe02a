/** Setup's last step, `upgrade head`, when the migrations engine is part of this build. */
import type { Settings } from '../config/resolve.js';
import type { SetupDeps } from './setup.js';

export async function setupMigrateFor(_settings: Settings): Promise<Pick<SetupDeps, 'migrate'>> {
  return {};
}
