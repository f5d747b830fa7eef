// The War room idle on a 200x60 pty at 2 s refresh: CPU, bytes written to the terminal and RSS, next to the
// ordinary dashboard at the same size (and htop, when installed) measured in the same run.
import {existsSync} from 'node:fs';
import {processUsage, sleep, spawnOnPty, stop} from './terminal.js';

const seconds = Number(process.env.BENCH_WARROOM_SECONDS ?? 60);
const size = {columns: 200, rows: 60};

async function measure(label: string, command: string) {
	const {child, output} = spawnOnPty(command, size);
	// Warm-up: the demo starts, the first polls land and the war room's log stream has caught up.
	await sleep(5000);
	const before = processUsage(child.pid!);
	const bytesBefore = output.bytes;
	await sleep(seconds * 1000);
	const after = processUsage(child.pid!);
	const bytes = output.bytes - bytesBefore;
	await stop(child);
	const cpu = ((after.cpuSeconds - before.cpuSeconds) / seconds) * 100;
	console.log(
		'  %s %s%% of a core   %s KB/s to the terminal   RSS %s MB',
		label.padEnd(28),
		cpu.toFixed(2).padStart(5),
		(bytes / seconds / 1024).toFixed(2).padStart(6),
		(after.rssBytes / 2 ** 20).toFixed(0).padStart(4),
	);
	return {cpu, bytesPerSecond: bytes / seconds};
}

console.log('idle over %d s at %dx%d, 2 s refresh (after 5 s warm-up; the demo deployment runs in the same process):', seconds, size.columns, size.rows);
const warRoom = await measure('botops demo --war-room', 'node bin/botops.js demo --war-room --refresh 2');
const dashboard = await measure('botops demo (Dashboard)', 'node bin/botops.js demo --refresh 2');
console.log('  war room / dashboard: CPU %sx, bytes %sx', (warRoom.cpu / dashboard.cpu).toFixed(2), (warRoom.bytesPerSecond / dashboard.bytesPerSecond).toFixed(2));
if (existsSync('/usr/bin/htop')) {
	const htop = await measure('htop -d 20', 'htop -d 20');
	console.log('  war room / htop: CPU %sx, bytes %sx', (warRoom.cpu / htop.cpu).toFixed(2), (warRoom.bytesPerSecond / htop.bytesPerSecond).toFixed(2));
} else {
	console.log('  htop not installed — no peer outside botops in this run');
}
