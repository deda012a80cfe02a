// Stands in for jiti in the bundle. node-pg-migrate creates a jiti instance
// when it loads, to import .js/.ts migration files; connector-db gives it only
// .sql files, read by our own loader, so jiti is never used, and leaving it
// out of the bundle saves its load time on every migrate command.
export function createJiti() {
  return {
    import() {
      throw new Error('connector-db runs only .sql migration files');
    },
  };
}
