import v8 from 'node:v8';
if (process.env.FLAGS) for (const f of process.env.FLAGS.split(' ')) v8.setFlagsFromString(f);
const m = await import('libpg-query');
const t1 = performance.now();
const loading = m.loadModule();
// 60 ms of main-thread work, in 5 ms slices with turns for the event loop
for (let k = 0; k < 12; k++) { const e = performance.now() + 5; while (performance.now() < e); await new Promise(r => setImmediate(r)); }
const t2 = performance.now();
await loading; await m.parse('SELECT 1');
const t3 = performance.now();
console.log(process.env.FLAGS, 'busy', (t2-t1).toFixed(1), 'total', (t3-t1).toFixed(1));
