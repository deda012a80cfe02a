/**
 * How far a pg_dump run has got, estimated without touching anything:
 * the catalog says which tables hold data and how big they are; pg_dump's
 * `--verbose` lines on stderr say which table it has reached; and, when
 * available, the server's pg_stat_progress_copy says how many rows of the
 * current table have gone out. Pure: feed it lines and samples, read the
 * fraction.
 */

/** A table whose data pg_dump will copy out, as the catalog describes it. */
export interface DumpTable {
  oid: number;
  schema: string;
  name: string;
  /** pg_table_size: heap + TOAST (indexes are rebuilt on restore, not dumped). */
  bytes: number;
  /** pg_class.reltuples: an estimate; -1 when the table was never analysed. */
  rows: number;
}

/** A sample of pg_stat_progress_copy for pg_dump's backend. */
export interface CopySample {
  relid: number;
  tuples: number;
  bytes: number;
}

/** What one stderr line of `pg_dump --verbose` means. */
export type DumpLine =
  | { kind: 'table'; qualified: string }
  | { kind: 'step'; text: string }
  | { kind: 'problem'; text: string };

/** Every table counts at least one page, so a database of empty tables still moves the bar. */
const MIN_WEIGHT = 8192;
/** The share of the bar left for what follows the data (constraints, indexes: text only). */
const POST_DATA_SHARE = 0.01;

export function parseDumpLine(line: string, program = 'pg_dump'): DumpLine | undefined {
  const text = line.trimEnd();
  if (text === '') return undefined;
  const prefix = `${program}: `;
  if (!text.startsWith(prefix)) return { kind: 'problem', text };
  const rest = text.slice(prefix.length);
  if (/^(error|fatal|warning|detail|hint):/.test(rest)) return { kind: 'problem', text };
  // `dumping contents of table "schema.name"` (names unquoted inside, so take first to last quote).
  const m = /^dumping contents of table "(.*)"$/.exec(rest);
  if (m) return { kind: 'table', qualified: m[1] as string };
  return { kind: 'step', text: rest };
}

export class DumpProgress {
  private readonly byName = new Map<string, DumpTable>();
  private readonly byOid = new Map<number, DumpTable>();
  private readonly total: number;
  private doneWeight = 0;
  private current: DumpTable | undefined;
  private currentShare = 0;
  private tablesStarted = 0;
  private lastStep = '';
  private blockedBy: number[] = [];

  constructor(
    tables: DumpTable[],
    private readonly schemaOnly: boolean,
  ) {
    for (const t of tables) {
      this.byName.set(`${t.schema}.${t.name}`, t);
      this.byOid.set(t.oid, t);
    }
    this.total = tables.reduce((sum, t) => sum + weight(t), 0);
  }

  get tableCount(): number {
    return this.byName.size;
  }

  /** Estimated bytes of table data in the database (what the bar is measured against). */
  get estimatedBytes(): number {
    return this.total;
  }

  /** Feed one stderr line; returns what it meant. */
  onLine(line: string, program = 'pg_dump'): DumpLine | undefined {
    const parsed = parseDumpLine(line, program);
    if (parsed?.kind === 'table') {
      this.finishCurrent();
      this.tablesStarted++;
      this.current = this.byName.get(parsed.qualified);
      this.currentShare = 0;
      // A table the catalog did not list (created after we looked) still counts as a step.
      this.lastStep = parsed.qualified;
    } else if (parsed?.kind === 'step') {
      this.lastStep = parsed.text;
    }
    return parsed;
  }

  /** Feed a pg_stat_progress_copy sample: how far into the current table pg_dump is. */
  onCopySample(sample: CopySample): void {
    const table = this.byOid.get(sample.relid);
    if (!table || table !== this.current) return;
    // Rows against the estimate when there is one; else output bytes against the on-disk size (rough, so capped).
    const share = table.rows > 0 ? sample.tuples / table.rows : sample.bytes / Math.max(table.bytes, MIN_WEIGHT);
    this.currentShare = Math.max(this.currentShare, Math.min(0.99, share));
  }

  /** 0..1, or undefined when there is no way to know (schema only: no table data to measure). */
  fraction(): number | undefined {
    if (this.schemaOnly) return undefined;
    if (this.total === 0) return this.tablesStarted > 0 ? 1 - POST_DATA_SHARE : 0;
    const current = this.current ? weight(this.current) * this.currentShare : 0;
    return Math.min(1 - POST_DATA_SHARE, ((this.doneWeight + current) / this.total) * (1 - POST_DATA_SHARE));
  }

  /** pg_dump's backend waits for a lock held by these pids (empty: not waiting). */
  onWait(blockedBy: number[]): void {
    this.blockedBy = blockedBy;
  }

  /** The table being dumped (`schema.name`), the last step pg_dump named, or the lock it waits for. */
  get activity(): string {
    if (this.blockedBy.length > 0) return `waiting for a lock held by pid ${this.blockedBy.join(', ')} (${this.lastStep})`;
    return this.lastStep;
  }

  get tablesDone(): number {
    return this.tablesStarted;
  }

  private finishCurrent(): void {
    if (this.current) this.doneWeight += weight(this.current);
    this.current = undefined;
  }
}

function weight(t: DumpTable): number {
  return Math.max(t.bytes, 0) + MIN_WEIGHT;
}
