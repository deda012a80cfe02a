/**
 * The two parts of React's scheduler (the `scheduler` package, the one
 * react-reconciler itself schedules renders with) that the key dispatcher
 * uses; the package ships no types.
 */
declare module 'scheduler' {
  export const unstable_IdlePriority: number;
  export function unstable_scheduleCallback(priority: number, callback: () => void): unknown;
}
