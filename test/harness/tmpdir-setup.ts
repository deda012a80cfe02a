/**
 * Every temp file and folder of a test run (throwaway clusters, devdb data,
 * project folders, HOMEs) goes under one folder that is removed at the end,
 * so runs do not pile up thousands of folders in /tmp. Set before the
 * workers start, so they and the programs they spawn inherit TMPDIR.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';

let dir: string | undefined;
// Each project's setup runs in the same process: remember the machine's own temp folder so a second
// project does not nest its folder inside the first one's. A short name keeps paths on 80-column screens.
const machineTmp = process.env.TMPDIR || '/tmp';

export function setup(): void {
  dir = mkdtempSync(path.join(machineTmp, 'cdbt-'));
  chmodSync(dir, 0o755); // clusters and devdbs under it run as the postgres user
  process.env.TMPDIR = dir;
}

export function teardown(): void {
  if (dir) rmSync(dir, { recursive: true, force: true });
}
