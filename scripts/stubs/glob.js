// Stands in for glob in the bundle: node-pg-migrate uses it only with its
// `useGlob` option, which connector-db never sets (it lists one folder).
export function glob() {
  throw new Error('connector-db does not use glob patterns for migrations');
}
