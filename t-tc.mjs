const t0 = performance.now();
const files = await import('./dist/chunks/' + (await import('node:fs')).readdirSync('./dist/chunks').find(f => /^files-/.test(f)));
const t1 = performance.now();
const { loadMigrationFiles } = files;
const fl = await loadMigrationFiles('/tmp/prof/sql');
const t2 = performance.now();
console.log('import', (t1-t0).toFixed(1), 'load', (t2 - t1).toFixed(1), Object.keys(files));
