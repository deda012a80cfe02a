/** The one way the tests wait for the engine's refusal. */
import { expect } from 'vitest';
import { ToolError } from '../../src/core/errors.js';

/**
 * The ToolError `promise` rejects with. The test fails if it resolves, or
 * rejects with anything else (a raw pg error, a TypeError).
 */
export async function failure(promise: Promise<unknown>): Promise<ToolError> {
  const outcome = await promise.then(
    () => ({ resolved: true as const }),
    (error: unknown) => ({ resolved: false as const, error }),
  );
  if (outcome.resolved) return expect.fail('expected a ToolError, but it succeeded');
  expect(outcome.error).toBeInstanceOf(ToolError);
  return outcome.error as ToolError;
}
