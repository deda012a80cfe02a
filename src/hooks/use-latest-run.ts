/**
 * For work a screen may start again before the last run has ended (a
 * reload, a re-run): `begin()` marks a new run and returns `isCurrent`,
 * true while the component is mounted and no later run has begun, so a
 * stale result never lands over a newer one. `mounted` is for outcomes that
 * cannot be stale (an action the person took).
 */
import { useCallback, useEffect, useRef, type MutableRefObject } from 'react';

export function useLatestRun(): { begin: () => () => boolean; mounted: MutableRefObject<boolean> } {
  const generation = useRef(0);
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);
  const begin = useCallback(() => {
    const mine = ++generation.current;
    return () => mounted.current && mine === generation.current;
  }, []);
  return { begin, mounted };
}
