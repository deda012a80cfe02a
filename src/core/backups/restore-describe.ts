/** A restore plan in words, for the person who must confirm it (command and screen alike). */
import { formatBytes, formatUtc } from '../format-units.js';
import { describeSession } from '../db/database-sessions.js';
import type { RestorePlan } from './restore-plan.js';

export function describeRestorePlan(plan: RestorePlan): string[] {
  const lines: string[] = [];
  const m = plan.manifest;
  lines.push(`file:    ${plan.path} (${formatBytes(plan.size)}, ${plan.kind === 'custom' ? 'pg_dump custom archive' : plan.kind === 'gzip' ? 'gzip-compressed SQL' : 'plain SQL'})`);
  if (m) {
    lines.push(`backup:  ${m.database} on ${m.host}:${m.port}, taken ${formatUtc(new Date(m.startedAt))}, PostgreSQL ${m.server.version}, revision ${m.migration ? (m.migration.current ?? 'base') : 'not recorded'}${m.format.schemaOnly ? ', schema only (no data)' : ''}`);
    lines.push(`check:   size and sha256 match the manifest`);
  } else {
    lines.push(`check:   no manifest beside the file: its integrity cannot be checked (the restore still stops at the first error)`);
  }
  const tool = `${plan.tool.program} ${plan.tool.version}`;
  switch (plan.mode) {
    case 'create':
      lines.push(`target:  ${plan.target} does not exist: it will be created (owner ${plan.rights.role}) and filled with ${tool} in one transaction`);
      break;
    case 'empty':
      lines.push(`target:  ${plan.target} is empty: it will be filled with ${tool} in one transaction`);
      break;
    case 'replace': {
      const o = plan.targetObjects;
      lines.push(`target:  ${plan.target} holds ${o?.relations ?? 0} relations${o?.schemas ? ` in ${o.schemas + 1} schemas` : ''}: they will be REPLACED`);
      lines.push(`how:     restored with ${tool} into a scratch database first; only when that succeeded, swapped in by renaming, and the old database dropped`);
      break;
    }
  }
  if (plan.noOwner) lines.push(`owners:  --no-owner: every object will belong to ${plan.rights.role}${plan.missingOwners.length ? ` (the dump's ${plan.missingOwners.join(', ')} do not exist here)` : ''}`);
  if (plan.noAcl) lines.push(`grants:  --no-acl: GRANT and REVOKE statements are skipped`);
  for (const s of plan.sessions) lines.push(`in use:  ${describeSession(s)}`);
  return lines;
}
