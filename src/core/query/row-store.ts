/**
 * The rows of one result, kept in pages: the recently used pages stay in
 * memory, older full pages are written once to a private temp file and read
 * back when the user scrolls to them again. Memory stays flat however many
 * rows a cursor brings in, and scrolling back never re-runs the statement.
 * The temp file is unlinked as soon as it is opened (on POSIX systems), so a
 * crash leaves nothing behind and no other user can read the data.
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export type Row = (string | null)[];

export interface RowStoreOptions {
  pageSize?: number;
  /** Full pages kept in memory before the least recently used go to disk. */
  pagesInMemory?: number;
  tmpDir?: string;
}

interface Spilled {
  offset: number;
  length: number;
}

export class RowStore {
  private readonly pageSize: number;
  private readonly pagesInMemory: number;
  private readonly tmpDir: string;
  /**
   * Full pages as JSON text: one string per page instead of thousands of
   * small arrays and strings, so rows passing through never live long
   * enough to burden the garbage collector. undefined once spilled.
   */
  private readonly pages: (string | undefined)[] = [];
  /** The page being filled. */
  private tail: Row[] = [];
  /** A few recently read pages, parsed (what the grid is looking at). */
  private parsed = new Map<number, Row[]>();
  private readonly spilled = new Map<number, Spilled>();
  /** In-memory full pages, least recently used first. */
  private lru: number[] = [];
  private fd: number | undefined;
  private fileSize = 0;
  private count = 0;
  private closed = false;

  constructor(options: RowStoreOptions = {}) {
    this.pageSize = options.pageSize ?? 500;
    this.pagesInMemory = options.pagesInMemory ?? 8;
    this.tmpDir = options.tmpDir ?? os.tmpdir();
  }

  get length(): number {
    return this.count;
  }

  /** Pages written to disk so far (for tests and the bench). */
  get spilledPages(): number {
    return this.spilled.size;
  }

  push(rows: Row[]): void {
    for (const row of rows) {
      this.tail.push(row);
      this.count++;
      if (this.tail.length === this.pageSize) {
        const p = this.pages.length;
        this.pages.push(JSON.stringify(this.tail));
        this.tail = [];
        this.touch(p);
      }
    }
  }

  get(index: number): Row | undefined {
    if (this.closed || index < 0 || index >= this.count) return undefined;
    const p = Math.floor(index / this.pageSize);
    if (p === this.pages.length) return this.tail[index % this.pageSize];
    let page = this.parsed.get(p);
    if (!page) {
      const text = this.pages[p] ?? this.readBack(p);
      page = JSON.parse(text) as Row[];
      this.parsed.set(p, page);
      if (this.parsed.size > 3) this.parsed.delete(this.parsed.keys().next().value as number);
    }
    return page[index % this.pageSize];
  }

  close(): void {
    this.closed = true;
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    this.pages.length = 0;
    this.tail = [];
    this.parsed.clear();
    this.spilled.clear();
    this.lru = [];
  }

  private touch(p: number): void {
    this.lru = this.lru.filter((x) => x !== p);
    this.lru.push(p);
    while (this.lru.length > this.pagesInMemory) this.evict(this.lru.shift() as number);
  }

  private evict(p: number): void {
    const text = this.pages[p];
    if (text === undefined) return;
    if (!this.spilled.has(p)) {
      const fd = this.file();
      const length = writeSync(fd, text, this.fileSize, 'utf8');
      this.spilled.set(p, { offset: this.fileSize, length });
      this.fileSize += length;
    }
    this.pages[p] = undefined;
  }

  private readBack(p: number): string {
    const where = this.spilled.get(p);
    if (!where || this.fd === undefined) throw new Error(`row page ${p} is neither in memory nor on disk`);
    const buffer = Buffer.alloc(where.length);
    readSync(this.fd, buffer, 0, where.length, where.offset);
    return buffer.toString('utf8');
  }

  private file(): number {
    if (this.fd !== undefined) return this.fd;
    const dir = mkdtempSync(path.join(this.tmpDir, 'cdb-rows-'));
    const file = path.join(dir, 'rows.jsonl');
    this.fd = openSync(file, 'w+', 0o600);
    try {
      unlinkSync(file);
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // Windows keeps open files; the OS temp cleaner will take it.
    }
    return this.fd;
  }
}
