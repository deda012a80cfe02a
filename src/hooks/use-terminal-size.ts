/**
 * The terminal's size, and a redraw when it changes. Screens read
 * stdout.columns and rows when they draw; without this nothing drew again
 * after a resize, so a smaller window scrolled the title away and a larger
 * one kept the old layout until the screen was left.
 */
import { useEffect, useState } from 'react';
import { useStdout } from 'ink';

export function useTerminalSize(): { columns: number; rows: number } {
  const { stdout } = useStdout();
  const read = () => ({ columns: stdout.columns || 80, rows: stdout.rows || 24 });
  const [size, setSize] = useState(read);
  useEffect(() => {
    const onResize = () => setSize(read());
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
    // stdout is the same stream for the whole run.
  }, [stdout]);
  return size;
}
