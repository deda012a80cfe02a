/**
 * One throwaway cluster for the integration and end-to-end tests; each test
 * file creates its own database in it (see pg.ts). Torn down at the end.
 */
import type { TestProject } from 'vitest/node';
import { startCluster, stopCluster, type ClusterInfo } from './cluster.js';

declare module 'vitest' {
  export interface ProvidedContext {
    cluster: ClusterInfo;
  }
}

let cluster: ClusterInfo | undefined;

export async function setup(project: TestProject): Promise<void> {
  cluster = await startCluster();
  project.provide('cluster', cluster);
}

export async function teardown(): Promise<void> {
  if (cluster) stopCluster(cluster);
}
