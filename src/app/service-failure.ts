/** Any error as the value the screens show: they never see an exception. */
import { isToolError } from '../core/errors.js';
import type { ServiceFailure } from './services.js';

export function failureOf(error: unknown): ServiceFailure {
  if (isToolError(error)) return { ok: false, code: error.code, message: error.message, evidence: error.evidence, fixes: error.fixes };
  return { ok: false, code: 'internal', message: error instanceof Error ? error.message : String(error), evidence: [], fixes: [] };
}
