/**
 * Ctrl-C, a closed SSH session or a `kill` during a long command must
 * cancel it cleanly (the engine stops its children and removes partial
 * files) rather than let Node die with a temporary file behind. A second
 * signal means "now": the handler steps aside and the signal is raised
 * again, so the default action ends the process even if cleanup is stuck.
 */
export async function withInterrupt<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  const detach = () => {
    for (const s of signals) process.off(s, onSignal);
  };
  function onSignal(signal: NodeJS.Signals): void {
    if (!controller.signal.aborted) {
      controller.abort();
      return;
    }
    detach();
    process.kill(process.pid, signal);
  }
  for (const s of signals) process.on(s, onSignal);
  try {
    return await work(controller.signal);
  } finally {
    detach();
  }
}
