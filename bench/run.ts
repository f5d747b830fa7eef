// `npm run bench`: every benchmark in turn, figures printed, nothing asserted.
import {spawnSync} from 'node:child_process';
import {existsSync} from 'node:fs';

// One bench per line: each pane's engineer adds one.
const benches = [
	'bench/startup.ts',
	'bench/idle.ts',
	'bench/fleet.tsx',
	'bench/logs.ts',
	'bench/logs-ingest.ts',
	'bench/logs-screen.tsx',
	'bench/demo-http.ts',
	'bench/alerts.ts',
	'bench/check.ts',
	'bench/mongo.ts',
	'bench/warroom.ts',
	'bench/k8s.ts',
	'bench/database.tsx',
].filter(file => existsSync(file));
let failed = 0;
for (const file of benches) {
	console.log(`\n== ${file}`);
	const result = spawnSync(process.execPath, ['--import', 'tsx', file], {stdio: 'inherit', env: {...process.env, NODE_ENV: 'production'}});
	if (result.status !== 0) failed++;
}
process.exit(failed > 0 ? 1 : 0);
