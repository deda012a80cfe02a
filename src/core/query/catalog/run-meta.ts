/**
 * Run a catalog command (\d, \dt, \di, \dv, \dn, \l, \du) and return what
 * to show: a listing, or descriptions. Toggles (\x, \timing), help and quit
 * belong to the face that shows them and are not handled here.
 */
import { describeRelations, type Description } from './describe.js';
import { listDatabases, listRelations, listRoles, listSchemas, type CatalogRunner, type CatalogTable } from './lists.js';
import type { MetaCommand } from './meta.js';

export type CatalogOutput = { kind: 'table'; table: CatalogTable } | { kind: 'describe'; descriptions: Description[]; notFound?: string };

export function isCatalogCommand(command: MetaCommand): boolean {
  return ['d', 'dt', 'di', 'dv', 'dn', 'l', 'du'].includes(command.name);
}

export async function runCatalog(run: CatalogRunner, command: MetaCommand, serverVersionNum: number): Promise<CatalogOutput> {
  switch (command.name) {
    case 'd':
      if (command.arg) {
        const descriptions = await describeRelations(run, command.arg, command.plus);
        return descriptions.length > 0 ? { kind: 'describe', descriptions } : { kind: 'describe', descriptions, notFound: `Did not find any relation named "${command.arg}".` };
      }
      return { kind: 'table', table: await listRelations(run, command) };
    case 'dt':
    case 'di':
    case 'dv':
      return { kind: 'table', table: await listRelations(run, command) };
    case 'dn':
      return { kind: 'table', table: await listSchemas(run, command) };
    case 'l':
      return { kind: 'table', table: await listDatabases(run, command, serverVersionNum) };
    case 'du':
      return { kind: 'table', table: await listRoles(run, command, serverVersionNum) };
    default:
      throw new Error(`\\${command.name} is not a catalog command`);
  }
}
