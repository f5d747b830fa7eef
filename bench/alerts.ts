// Alerts refresh cost with 5,000 alerts from an Alertmanager HA pair and 500 Prometheus targets (fetch, validate,
// merge, group, preview), and the alert journal's size after a simulated day. Figures only; nothing asserted.
import {mkdtempSync, rmSync, statSync} from 'node:fs';
import http from 'node:http';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {performance} from 'node:perf_hooks';
import {groupAlerts} from '../source/alerts/grouping.js';
import {parseMatchers} from '../source/alerts/matchers.js';
import {previewSilence} from '../source/alerts/silence-guard.js';
import {createAlertmanagerSet} from '../source/services/alertmanager.js';
import {createAlertJournal, type FiringAlert} from '../source/services/alert-journal.js';
import {createPrometheusClient} from '../source/services/prometheus.js';
import {median} from './terminal.js';

const runs = Number(process.env.BENCH_RUNS ?? 15);
const alertCount = 5000;
const targetCount = 500;

const services = ['rust-core-engine', 'python-ai-service', 'nextjs-ui-dashboard', 'mongodb-primary', ...Array.from({length: 46}, (_, i) => `worker-${i}`)];
const names = ['HighLatencyP95', 'ServiceDown', 'ContainerRestarting', 'HighErrorRate', 'DiskFilling', 'MemoryHigh', 'CPUThrottled', 'TargetMissing'];
const alerts = Array.from({length: alertCount}, (_, i) => ({
	labels: {alertname: names[i % names.length], service: services[i % services.length], severity: i % 7 === 0 ? 'critical' : 'warning', instance: `10.0.${Math.floor(i / 250)}.${i % 250}:9100`, pod: `pod-${i}`},
	annotations: {summary: `alert ${i} summary text`, runbook_url: 'https://runbooks.example/alert'},
	startsAt: new Date(Date.now() - i * 1000).toISOString(),
	endsAt: new Date(Date.now() + 3_600_000).toISOString(),
	updatedAt: new Date().toISOString(),
	generatorURL: `http://prometheus:9090/graph?g0.expr=up&i=${i}`,
	fingerprint: i.toString(16).padStart(16, '0'),
	receivers: [{name: 'oncall'}],
	status: {state: i % 11 === 0 ? 'suppressed' : 'active', silencedBy: i % 11 === 0 ? ['s-1'] : [], inhibitedBy: []},
}));
const targets = {
	status: 'success',
	data: {
		activeTargets: Array.from({length: targetCount}, (_, i) => ({
			discoveredLabels: {__address__: `10.0.1.${i % 250}:9100`},
			labels: {instance: `10.0.1.${i % 250}:9100`, job: services[i % services.length]},
			scrapePool: services[i % services.length],
			scrapeUrl: `http://10.0.1.${i % 250}:9100/metrics`,
			globalUrl: `http://10.0.1.${i % 250}:9100/metrics`,
			lastError: i % 50 === 0 ? 'context deadline exceeded' : '',
			lastScrape: new Date().toISOString(),
			lastScrapeDuration: 0.002,
			health: i % 50 === 0 ? 'down' : 'up',
			scrapeInterval: '15s',
			scrapeTimeout: '10s',
		})),
		droppedTargets: [],
	},
};

const alertsBody = JSON.stringify(alerts);
const targetsBody = JSON.stringify(targets);

async function serve(body: string): Promise<{url: string; close(): Promise<void>}> {
	const server = http.createServer((_req, res) => {
		res.writeHead(200, {'Content-Type': 'application/json'});
		res.end(body);
	});
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	const address = server.address() as {port: number};
	return {url: `http://127.0.0.1:${address.port}`, close: () => new Promise(resolve => server.close(() => resolve()))};
}

const peers = await Promise.all([serve(alertsBody), serve(alertsBody)]);
const prometheus = await serve(targetsBody);
const set = createAlertmanagerSet(peers.map(p => p.url), {timeoutMs: 10_000});
const client = createPrometheusClient({url: prometheus.url, timeoutMs: 10_000});
const matchers = parseMatchers('{service=~"worker-1.*", severity!="critical"}');

const phases: Record<string, number[]> = {fetchAndMerge: [], targets: [], group: [], preview: [], total: []};
for (let i = 0; i < runs; i++) {
	const start = performance.now();
	const [answer] = await Promise.all([set.alerts(), client.targets().then(() => phases.targets.push(performance.now() - start))]);
	const fetched = performance.now();
	const groups = groupAlerts(answer.alerts);
	const grouped = performance.now();
	previewSilence(matchers, answer.alerts);
	const previewed = performance.now();
	phases.fetchAndMerge.push(fetched - start);
	phases.group.push(grouped - fetched);
	phases.preview.push(previewed - grouped);
	phases.total.push(previewed - start);
	if (i === 0) console.log(`${answer.alerts.length} alerts (2 x ${alertCount} fetched, ${(alertsBody.length / 1e6).toFixed(1)} MB each), ${groups.length} groups, ${targetCount} targets`);
}
console.log(`alerts refresh, median of ${runs} (render not included: the Alerts screen is not built yet):`);
for (const [phase, values] of Object.entries(phases)) console.log(`  ${phase.padEnd(14)} ${median(values).toFixed(1).padStart(7)} ms`);
await Promise.all([...peers, prometheus].map(p => p.close()));

// A simulated day, one snapshot every 2 s: 30 alerts that fire and resolve a few times a day, a flapping one every
// 10 minutes, and 5 that fire all day.
const dir = mkdtempSync(join(tmpdir(), 'botops-bench-journal-'));
try {
	const journal = createAlertJournal({environment: 'production', file: join(dir, 'alerts.jsonl')});
	const day = 86_400_000;
	const step = 2000;
	const t0 = Date.parse('2026-12-01T00:00:00Z');
	const label = (i: number) => ({alertname: names[i % names.length], service: services[i % services.length], severity: 'warning', instance: `10.0.0.${i}:9100`});
	let records = 0;
	const started = performance.now();
	for (let t = 0; t < day; t += step) {
		const firing: FiringAlert[] = [];
		for (let i = 0; i < 30; i++) {
			// Each of these fires 4 times a day for 20 minutes, at its own offset.
			const phase = (t + i * 2_000_000) % (day / 4);
			if (phase < 20 * 60_000) firing.push({labels: label(i), startsAt: new Date(t0 + t - phase).toISOString(), annotations: {summary: 'something is wrong'}});
		}
		if (t % 600_000 < 120_000) firing.push({labels: label(99), annotations: {summary: 'flapping'}});
		for (let i = 100; i < 105; i++) firing.push({labels: label(i)});
		records += journal.observe(firing, t0 + t).length;
	}
	const seconds = (performance.now() - started) / 1000;
	const bytes = statSync(journal.file).size;
	console.log(`alert journal, a simulated day (43,200 snapshots, 36 alerts): ${records} records, ${(bytes / 1024).toFixed(0)} KB, ${(bytes / records).toFixed(0)} B/record; ${seconds.toFixed(1)} s to write with fsync`);
} finally {
	rmSync(dir, {recursive: true, force: true});
}
