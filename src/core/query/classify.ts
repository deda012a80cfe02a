/**
 * What a statement does, read from PostgreSQL's own parser (libpg-query,
 * compiled to WASM): whether it returns rows, whether it can be wrapped in
 * COPY (...) TO STDOUT, and whether it destroys data in bulk (DROP,
 * TRUNCATE, UPDATE or DELETE without WHERE, ALTER TABLE ... DROP) so the
 * faces ask first. They also ask when the tree cannot show what a statement
 * does (a DO block, CALL, EXECUTE, a statement the parser cannot read that
 * names a destructive command): "cannot tell" must never mean "harmless".
 * The parser is loaded on the first call only, so no other command pays
 * for it at start-up.
 */
import v8 from 'node:v8';
import { nextToken } from '../sql/scan.js';

/** `opaque`: the statement runs code or text the parse tree does not show, so it may destroy data too. */
export type RiskKind = 'drop' | 'truncate' | 'delete_all' | 'update_all' | 'opaque';

export interface Risk {
  kind: RiskKind;
  /** For the question: "DELETE without WHERE on jobs". */
  description: string;
}

export interface StatementInfo {
  /** The top-level node ("SelectStmt", "DeleteStmt"...), or "unparsed" when the parser rejects it. */
  node: string;
  /** true: rows come back; false: only a command tag; "maybe": only the server knows (CALL, EXECUTE, a syntax error). */
  returnsRows: boolean | 'maybe';
  /** A plain query that `COPY (...) TO STDOUT` accepts. */
  copyable: boolean;
  /** COPY ... FROM STDIN or TO STDOUT: needs the copy sub-protocol. */
  copyStdio: 'in' | 'out' | undefined;
  risks: Risk[];
}

type Node = Record<string, unknown>;

interface Parser {
  parse(sql: string): Promise<{ stmts?: { stmt: Node }[] }>;
}

let parserPromise: Promise<Parser> | undefined;

/**
 * The WASM parser, loaded once on first use. `compileAhead` (the one-shot
 * `query` command, which starts loading it before anything else): compile
 * the whole module while it is instantiated, which V8 does on its background
 * threads, instead of function by function at the first parse on the main
 * thread (~40 ms); the compile then overlaps start-up and the connection.
 * The console leaves it lazy: only the functions it uses get compiled, which
 * keeps its memory down.
 */
export function loadParser(options: { compileAhead?: boolean } = {}): Promise<Parser> {
  // V8 would later recompile the 1.1 MB module with its optimising tier in the
  // background: +40 MB of resident memory for parses that take microseconds
  // anyway. The baseline compiler alone keeps the console within its memory
  // budget (bench/results/query.md). libpg-query is the only WASM we load.
  v8.setFlagsFromString('--liftoff-only');
  if (options.compileAhead && !parserPromise) v8.setFlagsFromString('--no-wasm-lazy-compilation');
  parserPromise ??= import('libpg-query').then(async (m) => {
    await m.loadModule();
    return { parse: (sql: string) => m.parse(sql) as Promise<{ stmts?: { stmt: Node }[] }> };
  });
  return parserPromise;
}

/** Classify one statement (or a script: the answers are merged). Never throws for bad SQL. */
export async function classifyStatement(sql: string): Promise<StatementInfo> {
  const parser = await loadParser();
  let stmts: { stmt: Node }[];
  try {
    stmts = (await parser.parse(sql)).stmts ?? [];
  } catch (error) {
    // Mostly a typo the server will report with its position. But a newer server
    // accepts syntax this parser does not know, so a statement naming a
    // destructive command is asked about rather than waved through.
    return { node: 'unparsed', returnsRows: 'maybe', copyable: false, copyStdio: undefined, risks: unparsedRisks(sql, error) };
  }
  if (stmts.length === 0) return { node: 'empty', returnsRows: false, copyable: false, copyStdio: undefined, risks: [] };
  const infos = stmts.map((s) => classifyNode(s.stmt));
  if (infos.length === 1) return infos[0] as StatementInfo;
  return {
    node: 'multiple',
    returnsRows: 'maybe',
    copyable: false,
    copyStdio: infos.find((i) => i.copyStdio)?.copyStdio,
    risks: infos.flatMap((i) => i.risks),
  };
}

function classifyNode(stmt: Node): StatementInfo {
  const [node, body] = Object.entries(stmt)[0] ?? ['unknown', {}];
  const b = (body ?? {}) as Node;
  const risks: Risk[] = [];
  walk(stmt, (name, value) => {
    const risk = riskOf(name, value);
    if (risk) risks.push(risk);
  });
  return {
    node,
    returnsRows: returnsRows(node, b),
    copyable: node === 'SelectStmt' && b.intoClause === undefined,
    copyStdio: node === 'CopyStmt' && b.filename === undefined && b.is_program === undefined ? (b.is_from ? 'in' : 'out') : undefined,
    risks,
  };
}

function returnsRows(node: string, b: Node): boolean | 'maybe' {
  switch (node) {
    case 'SelectStmt':
      return b.intoClause === undefined;
    case 'InsertStmt':
    case 'UpdateStmt':
    case 'DeleteStmt':
    case 'MergeStmt':
      return Array.isArray(b.returningList) && b.returningList.length > 0;
    case 'ExplainStmt':
    case 'VariableShowStmt':
    case 'FetchStmt':
      return !(node === 'FetchStmt' && b.ismove === true);
    case 'CallStmt':
    case 'ExecuteStmt':
      return 'maybe';
    default:
      return false;
  }
}

/** Visit every node of the tree: name is the node type ("DeleteStmt"), value its fields. */
function walk(value: unknown, visit: (name: string, fields: Node) => void): void {
  if (Array.isArray(value)) {
    for (const v of value) walk(v, visit);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  for (const [key, child] of Object.entries(value as Node)) {
    if (/^[A-Z]/.test(key) && child !== null && typeof child === 'object' && !Array.isArray(child)) visit(key, child as Node);
    walk(child, visit);
  }
}

function riskOf(name: string, f: Node): Risk | undefined {
  switch (name) {
    case 'DeleteStmt':
      return f.whereClause === undefined ? { kind: 'delete_all', description: `DELETE without WHERE on ${relationName(f.relation)}: every row goes` } : undefined;
    case 'UpdateStmt':
      return f.whereClause === undefined ? { kind: 'update_all', description: `UPDATE without WHERE on ${relationName(f.relation)}: every row changes` } : undefined;
    case 'MergeStmt': {
      // ON is a join, not a filter the reader can judge (ON true matches every row): any MERGE that updates or deletes asks.
      const actions = Array.isArray(f.mergeWhenClauses) ? (f.mergeWhenClauses as Node[]).map((c) => String(((c.MergeWhenClause ?? {}) as Node).commandType)) : [];
      const verbs = [actions.includes('CMD_DELETE') ? 'deletes' : '', actions.includes('CMD_UPDATE') ? 'updates' : ''].filter(Boolean);
      return verbs.length > 0 ? { kind: 'opaque', description: `MERGE into ${relationName(f.relation)} ${verbs.join(' and ')} every row its ON condition matches; how many cannot be seen before it runs` } : undefined;
    }
    case 'TruncateStmt':
      return { kind: 'truncate', description: `TRUNCATE ${listOf(f.relations, relationName)}: every row goes` };
    case 'DropStmt':
      return { kind: 'drop', description: `DROP ${objectWord(f.removeType)} ${listOf(f.objects, objectName)}${f.behavior === 'DROP_CASCADE' ? ' CASCADE' : ''}` };
    case 'DropdbStmt':
      return { kind: 'drop', description: `DROP DATABASE ${String(f.dbname)}` };
    case 'DropRoleStmt':
      return { kind: 'drop', description: `DROP ROLE ${listOf(f.roles, (r) => String(((r as Node).RoleSpec as Node | undefined)?.rolename ?? '?'))}` };
    case 'DropOwnedStmt':
      return { kind: 'drop', description: 'DROP OWNED: every object the roles own' };
    case 'DropTableSpaceStmt':
      return { kind: 'drop', description: `DROP TABLESPACE ${String(f.tablespacename)}` };
    case 'DropSubscriptionStmt':
      return { kind: 'drop', description: `DROP SUBSCRIPTION ${String(f.subname)}` };
    case 'DoStmt':
      return { kind: 'opaque', description: `DO block: ${doLanguage(f)} code; what it changes cannot be seen before it runs` };
    case 'CallStmt':
      return { kind: 'opaque', description: `CALL ${objectName(((f.funccall ?? {}) as Node).funcname)}: a procedure; what it changes cannot be seen before it runs` };
    case 'ExecuteStmt':
      return { kind: 'opaque', description: `EXECUTE ${String(f.name)}: a prepared statement; its text is not shown here` };
    case 'AlterTableCmd':
      if (f.subtype === 'AT_DropColumn') return { kind: 'drop', description: `ALTER TABLE ... DROP COLUMN ${String(f.name)}` };
      if (f.subtype === 'AT_DropConstraint') return { kind: 'drop', description: `ALTER TABLE ... DROP CONSTRAINT ${String(f.name)}` };
      return undefined;
    default:
      return undefined;
  }
}

function doLanguage(f: Node): string {
  const args = Array.isArray(f.args) ? (f.args as Node[]) : [];
  const language = args.map((a) => (a.DefElem ?? {}) as Node).find((d) => d.defname === 'language');
  const name = ((language?.arg as Node | undefined)?.String as Node | undefined)?.sval;
  return typeof name === 'string' ? name : 'plpgsql';
}

/** Words that make an unreadable statement worth a question (outside strings and comments). */
const RISKY_WORDS = new Set(['delete', 'update', 'truncate', 'drop', 'merge', 'do', 'call', 'execute']);

function unparsedRisks(sql: string, error: unknown): Risk[] {
  const words = new Set<string>();
  for (let at = 0; at < sql.length; ) {
    const token = nextToken(sql, at);
    if (token.kind === 'word') {
      const word = sql.slice(token.start, token.end).toLowerCase();
      if (RISKY_WORDS.has(word)) words.add(word.toUpperCase());
    }
    at = Math.max(token.end, at + 1);
  }
  if (words.size === 0) return [];
  const why = error instanceof Error ? error.message : 'a syntax error';
  return [{ kind: 'opaque', description: `the parser cannot read it (${why}), and it names ${[...words].join(', ')}` }];
}

/** The question's first line, for one statement or several. */
export function riskHeadline(risks: Risk[], plural = false): string {
  const opaque = risks.some((r) => r.kind === 'opaque');
  const destroys = risks.some((r) => r.kind !== 'opaque');
  if (!opaque) return plural ? 'These statements destroy data:' : 'This statement destroys data:';
  if (!destroys) return plural ? 'Cannot tell what these statements change before they run:' : 'Cannot tell what this statement changes before it runs:';
  return plural ? 'These statements destroy data, or may:' : 'This statement destroys data, or may:';
}

function relationName(rel: unknown): string {
  const r = (rel ?? {}) as Node;
  const inner = (r.RangeVar ?? r) as Node;
  return [inner.schemaname, inner.relname].filter((p) => typeof p === 'string').join('.') || '?';
}

function objectName(obj: unknown): string {
  const strings: string[] = [];
  walkStrings(obj, strings);
  return strings.join('.') || '?';
}

function walkStrings(value: unknown, out: string[]): void {
  if (Array.isArray(value)) return value.forEach((v) => walkStrings(v, out));
  if (value === null || typeof value !== 'object') return;
  const node = value as Node;
  if (node.String && typeof (node.String as Node).sval === 'string') {
    out.push((node.String as Node).sval as string);
    return;
  }
  // Function arguments (ObjectWithArgs.objargs) are types, not part of the name.
  for (const [key, child] of Object.entries(node)) if (key !== 'objargs' && key !== 'objfuncargs') walkStrings(child, out);
}

function listOf(values: unknown, name: (v: unknown) => string): string {
  return Array.isArray(values) ? values.map(name).join(', ') : '?';
}

function objectWord(removeType: unknown): string {
  return typeof removeType === 'string' ? removeType.replace(/^OBJECT_/, '').replace(/_/g, ' ') : 'OBJECT';
}
