import { defineConfig } from 'vitest/config';

// Two projects: `unit` (pure code and Ink screens with fake services, no
// server) and `pg` (real PostgreSQL: a throwaway cluster started by the
// global setup; end-to-end tmux tests run here too, against the built bin).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          sequence: { groupOrder: 0 },
          globalSetup: ['test/harness/tmpdir-setup.ts'],
          include: ['test/unit/**/*.test.ts', 'test/ui/**/*.test.tsx', 'test/cli/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'pg',
          sequence: { groupOrder: 1 },
          include: ['test/pg/**/*.test.ts', 'test/e2e/**/*.test.ts'],
          globalSetup: ['test/harness/tmpdir-setup.ts', 'test/harness/global-setup.ts'],
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 60_000,
          maxWorkers: 2,
        },
      },
    ],
  },
});
