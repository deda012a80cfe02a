/**
 * Rows arrive as the server's text (every type parser is the identity), so
 * what the grid shows is what psql shows. This module turns that text into
 * CSV exactly as `COPY ... (FORMAT csv)` writes it, and into JSON values by
 * column type: numbers and booleans as JSON, json/jsonb embedded, arrays as
 * JSON arrays, int8 and numeric as strings when a JS number would round
 * them, and everything else (timestamps, uuid, bytea's \x...) as the
 * server's own text.
 */
import { parse as parseArray } from 'postgres-array';

export interface ColumnInfo {
  name: string;
  /** pg_type OID of the column. */
  typeId: number;
  /** A readable type name for headers ("int4", "jsonb", "text[]"), or "oid 12345" when not a built-in. */
  typeName: string;
}

const BASE_TYPES: Record<number, string> = {
  16: 'bool', 17: 'bytea', 18: 'char', 19: 'name', 20: 'int8', 21: 'int2', 23: 'int4', 25: 'text', 26: 'oid',
  114: 'json', 142: 'xml', 700: 'float4', 701: 'float8', 790: 'money', 869: 'inet', 650: 'cidr', 829: 'macaddr',
  1042: 'bpchar', 1043: 'varchar', 1082: 'date', 1083: 'time', 1114: 'timestamp', 1184: 'timestamptz',
  1186: 'interval', 1266: 'timetz', 1560: 'bit', 1562: 'varbit', 1700: 'numeric', 2950: 'uuid', 3802: 'jsonb',
  3614: 'tsvector', 2249: 'record', 2278: 'void', 705: 'unknown', 24: 'regproc', 2205: 'regclass', 3220: 'pg_lsn',
};

/** Array type OID → element type OID, for the built-in types above. */
const ARRAY_OF: Record<number, number> = {
  1000: 16, 1001: 17, 1002: 18, 1003: 19, 1016: 20, 1005: 21, 1007: 23, 1009: 25, 1028: 26, 199: 114, 143: 142,
  1021: 700, 1022: 701, 791: 790, 1041: 869, 651: 650, 1040: 829, 1014: 1042, 1015: 1043, 1182: 1082, 1183: 1083,
  1115: 1114, 1185: 1184, 1187: 1186, 1270: 1266, 1561: 1560, 1563: 1562, 1231: 1700, 2951: 2950, 3807: 3802,
};

export function typeNameOf(typeId: number): string {
  const base = BASE_TYPES[typeId];
  if (base) return base;
  const element = ARRAY_OF[typeId];
  if (element !== undefined) return `${BASE_TYPES[element] ?? `oid ${element}`}[]`;
  return `oid ${typeId}`;
}

/**
 * One CSV field as PostgreSQL's COPY writes it: NULL is nothing, the empty
 * string is "", and a lone `\.` in a one-column row is quoted (unquoted it
 * would read as COPY's end-of-data marker).
 */
export function csvField(value: string | null, singleColumn = false): string {
  if (value === null) return '';
  if (value === '' || (singleColumn && value === '\\.') || /[",\r\n]/.test(value)) return '"' + value.replace(/"/g, '""') + '"';
  return value;
}

export function csvLine(values: (string | null)[]): string {
  if (values.length === 1) return csvField(values[0] ?? null, true) + '\n';
  return values.map((v) => csvField(v)).join(',') + '\n';
}

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** A converter from the server's text to a JSON value, chosen once per column. */
export function jsonConverter(typeId: number): (text: string | null) => JsonValue {
  const element = ARRAY_OF[typeId];
  if (element !== undefined) {
    const convert = scalarConverter(element);
    return (text) => (text === null ? null : (parseArray(text, (v) => convert(v)) as JsonValue[]));
  }
  const convert = scalarConverter(typeId);
  return (text) => (text === null ? null : convert(text));
}

function scalarConverter(typeId: number): (text: string) => JsonValue {
  switch (typeId) {
    case 16:
      return (t) => t === 't' || t === 'true';
    case 21:
    case 23:
    case 26:
    case 700:
    case 701:
      return (t) => {
        const n = Number(t);
        return Number.isFinite(n) ? n : t; // NaN and Infinity have no JSON number
      };
    case 20:
      return (t) => {
        const n = Number(t);
        return Number.isSafeInteger(n) ? n : t;
      };
    case 114:
    case 3802:
      return (t) => JSON.parse(t) as JsonValue;
    default:
      // numeric stays text: a JS number would round 0.1 + 0.2 and 20-digit values.
      return (t) => t;
  }
}

/** One row as a JSON object line (duplicate column names get a _2, _3 suffix so no value is lost). */
export function jsonRowWriter(columns: ColumnInfo[]): (row: (string | null)[]) => string {
  const converters = columns.map((c) => jsonConverter(c.typeId));
  const keys = uniqueNames(columns.map((c) => c.name));
  const encodedKeys = keys.map((k) => JSON.stringify(k));
  return (row) => '{' + encodedKeys.map((k, i) => `${k}:${JSON.stringify((converters[i] as (t: string | null) => JsonValue)(row[i] ?? null))}`).join(',') + '}';
}

export function uniqueNames(names: string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((name) => {
    const n = (seen.get(name) ?? 0) + 1;
    seen.set(name, n);
    return n === 1 ? name : `${name}_${n}`;
  });
}
