/**
 * The Backups screen's listing: a quick one first (sizes against the
 * manifests), then the full one with every file's sha256, so the list
 * appears at once and a damaged file is flagged moments later.
 */
import { useCallback, useEffect, useState } from 'react';
import { useLatestRun } from './use-latest-run.js';
import type { BackupListing } from '../core/backups/backup-list.js';
import type { BackupsFailure, BackupsService } from '../app/services-backups-types.js';

export type ListingState = { status: 'loading' } | { status: 'ready'; listing: BackupListing; verified: boolean } | { status: 'failed'; failure: BackupsFailure };

export function useBackupListing(service: BackupsService): { state: ListingState; reload: () => void } {
  const [state, setState] = useState<ListingState>({ status: 'loading' });
  const { begin } = useLatestRun();
  const reload = useCallback(() => {
    const current = begin();
    void (async () => {
      const quick = await service.list({ verify: false });
      if (!current()) return;
      if (!quick.ok) return setState({ status: 'failed', failure: quick });
      setState({ status: 'ready', listing: quick.listing, verified: false });
      const full = await service.list({ verify: true });
      if (!current()) return;
      setState(full.ok ? { status: 'ready', listing: full.listing, verified: true } : { status: 'failed', failure: full });
    })();
  }, [service, begin]);
  useEffect(() => {
    reload();
  }, [reload]);
  return { state, reload };
}
