/**
 * Ctrl-C, a closed SSH session or a `kill` during a long command must
 * cancel it cleanly (the engine stops its children and removes partial
 * files) rather than let Node die with a temporary file behind.
 */
export async function withInterrupt<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  const onSignal = () => controller.abort();
  for (const s of signals) process.on(s, onSignal);
  try {
    return await work(controller.signal);
  } finally {
    for (const s of signals) process.off(s, onSignal);
  }
}
