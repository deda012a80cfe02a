/**
 * Run an async engine call and follow its state: running, done with a
 * value, or failed. `run` can be called again (retry); a stale result from
 * an earlier run never overwrites a newer one.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { useLatestRun } from './use-latest-run.js';

export type TaskState<T> = { status: 'idle' } | { status: 'running' } | { status: 'done'; value: T } | { status: 'failed'; error: unknown };

export function useTask<T>(work: () => Promise<T>, options: { auto?: boolean } = {}): [TaskState<T>, () => void] {
  const [state, setState] = useState<TaskState<T>>(options.auto === false ? { status: 'idle' } : { status: 'running' });
  const { begin } = useLatestRun();
  const workRef = useRef(work);
  workRef.current = work;
  const run = useCallback(() => {
    const current = begin();
    setState({ status: 'running' });
    workRef.current().then(
      (value) => {
        if (current()) setState({ status: 'done', value });
      },
      (error: unknown) => {
        if (current()) setState({ status: 'failed', error });
      },
    );
  }, [begin]);
  useEffect(() => {
    if (options.auto !== false) run();
    // Runs once on mount; `run` is stable.
  }, [run, options.auto]);
  return [state, run];
}
