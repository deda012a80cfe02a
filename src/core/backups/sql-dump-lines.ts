/**
 * Reads a plain SQL dump line by line, knowing where statements start:
 * outside COPY data, quoted strings, dollar-quoted bodies and comments.
 * With that, the statements pg_dump writes on one line — `ALTER ... OWNER
 * TO role;`, `GRANT`/`REVOKE`, `SET SESSION AUTHORIZATION` — are recognised
 * without mistaking a function body or a data row that looks like one.
 * Pure: feed lines, get a classification.
 */

export type LineKind =
  /** `ALTER <object> OWNER TO role;` */
  | 'owner'
  /** GRANT / REVOKE / ALTER DEFAULT PRIVILEGES */
  | 'acl'
  | 'other';

export interface LineInfo {
  kind: LineKind;
  /** Roles the statement names (owners, grantees, FOR ROLE); PUBLIC is not a role. */
  roles: string[];
}

const OTHER: LineInfo = { kind: 'other', roles: [] };
const IDENT = String.raw`("(?:[^"]|"")+"|[A-Za-z_\u0080-\uffff][A-Za-z0-9_$\u0080-\uffff]*)`;
const OWNER = new RegExp(String.raw`^ALTER\s+.+\s+OWNER\s+TO\s+${IDENT}\s*;\s*$`);
const AUTHORIZATION = new RegExp(String.raw`^SET\s+SESSION\s+AUTHORIZATION\s+'((?:[^']|'')+)'\s*;\s*$`);
const ACL = /^(GRANT|REVOKE|ALTER\s+DEFAULT\s+PRIVILEGES)\s/;
const NOT_ROLES = new Set(['public', 'current_user', 'session_user', 'current_role']);

export function unquoteIdent(ident: string): string {
  return ident.startsWith('"') ? ident.slice(1, -1).replace(/""/g, '"') : ident.toLowerCase();
}

/** Roles named after TO / FROM / FOR ROLE / GRANTED BY in a GRANT-like statement. */
function aclRoles(statement: string): string[] {
  const roles: string[] = [];
  const re = new RegExp(String.raw`\b(?:TO|FROM|FOR\s+ROLE|GRANTED\s+BY)\s+((?:${IDENT}\s*,\s*)*${IDENT})`, 'gi');
  for (const m of statement.matchAll(re)) {
    const list = m[1] ?? '';
    for (const item of list.match(new RegExp(IDENT, 'g')) ?? []) {
      const role = unquoteIdent(item);
      if (!NOT_ROLES.has(role.toLowerCase()) || item.startsWith('"')) roles.push(role);
    }
  }
  return roles;
}

export class SqlDumpLines {
  private inCopy = false;
  /** Inside a string, identifier or dollar quote that spans lines: its closing text. */
  private openQuote: string | undefined;
  private atStatementStart = true;

  feed(line: string): LineInfo {
    if (this.inCopy) {
      if (line === '\\.') this.inCopy = false;
      return OTHER;
    }
    const startsStatement = this.atStatementStart && this.openQuote === undefined;
    const info = startsStatement ? classify(line) : OTHER;
    this.scan(line);
    if (startsStatement && /^COPY\s.+\sFROM\s+stdin;\s*$/i.test(line)) {
      this.inCopy = true;
      this.atStatementStart = true;
    }
    return info;
  }

  /** Track quotes and whether the next line starts a new statement. */
  private scan(line: string): void {
    let i = 0;
    let sawCode = false;
    let endsWithSemicolon = false;
    while (i < line.length) {
      if (this.openQuote !== undefined) {
        const close = this.openQuote;
        let at = line.indexOf(close, i);
        // '' and "" inside their quotes are escapes, not the end.
        while (at !== -1 && (close === "'" || close === '"') && line[at + 1] === close) at = line.indexOf(close, at + 2);
        if (at === -1) return;
        i = at + close.length;
        this.openQuote = undefined;
        sawCode = true;
        endsWithSemicolon = false;
        continue;
      }
      const ch = line[i] as string;
      if (ch === '-' && line[i + 1] === '-') break;
      if (ch === "'" || ch === '"') {
        this.openQuote = ch;
        i++;
        continue;
      }
      if (ch === '$') {
        const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(line.slice(i));
        if (tag) {
          this.openQuote = tag[0];
          i += tag[0].length;
          continue;
        }
      }
      if (!/\s/.test(ch)) {
        sawCode = true;
        endsWithSemicolon = ch === ';';
      }
      i++;
    }
    if (sawCode) this.atStatementStart = endsWithSemicolon;
  }
}

function classify(line: string): LineInfo {
  const owner = OWNER.exec(line);
  if (owner) return { kind: 'owner', roles: [unquoteIdent(owner[1] as string)] };
  const auth = AUTHORIZATION.exec(line);
  if (auth) return { kind: 'owner', roles: [(auth[1] as string).replace(/''/g, "'")] };
  if (ACL.test(line)) return { kind: 'acl', roles: aclRoles(line) };
  return OTHER;
}
