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
  private readonly pages: (Row[] | undefined)[] = [];
  private readonly spilled = new Map<number, Spilled>();
  /** In-memory full pages, least recently used first. */
  private lru: number[] = [];
  private fd: number | undefined;
  private fileSize = 0;
  private count = 0;
  private closed = false;

  constructor(options: RowStoreOptions = {}) {
    this.pageSize = options.pageSize ?? 500;
    this.pagesInMemory = options.pagesInMemory ?? 40;
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
      const p = Math.floor(this.count / this.pageSize);
      let page = this.pages[p];
      if (!page) {
        page = [];
        this.pages[p] = page;
      }
      page.push(row);
      this.count++;
      if (page.length === this.pageSize) this.touch(p);
    }
  }

  get(index: number): Row | undefined {
    if (this.closed || index < 0 || index >= this.count) return undefined;
    const p = Math.floor(index / this.pageSize);
    let page = this.pages[p];
    if (!page) {
      page = this.readBack(p);
      this.pages[p] = page;
    }
    if (page.length === this.pageSize) this.touch(p);
    return page[index % this.pageSize];
  }

  close(): void {
    this.closed = true;
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    this.pages.length = 0;
    this.spilled.clear();
    this.lru = [];
  }

  private touch(p: number): void {
    this.lru = this.lru.filter((x) => x !== p);
    this.lru.push(p);
    while (this.lru.length > this.pagesInMemory) {
      const victim = this.lru.shift() as number;
      this.evict(victim);
    }
  }

  private evict(p: number): void {
    const page = this.pages[p];
    if (!page) return;
    if (!this.spilled.has(p)) {
      const bytes = Buffer.from(JSON.stringify(page), 'utf8');
      const fd = this.file();
      writeSync(fd, bytes, 0, bytes.length, this.fileSize);
      this.spilled.set(p, { offset: this.fileSize, length: bytes.length });
      this.fileSize += bytes.length;
    }
    this.pages[p] = undefined;
  }

  private readBack(p: number): Row[] {
    const where = this.spilled.get(p);
    if (!where || this.fd === undefined) throw new Error(`row page ${p} is neither in memory nor on disk`);
    const buffer = Buffer.alloc(where.length);
    readSync(this.fd, buffer, 0, where.length, where.offset);
    return JSON.parse(buffer.toString('utf8')) as Row[];
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
