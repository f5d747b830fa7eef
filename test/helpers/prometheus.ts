/**
 * Real Prometheus and Alertmanager for integration tests: Debian's binaries on 127.0.0.1, ephemeral ports, temp
 * storage, evaluation and scrapes every second and alerts resent every second (otherwise an alert takes over a
 * minute to reach Alertmanager). Each process is killed by its own handle at the end.
 */
import {spawn, type ChildProcess} from 'node:child_process';
import {accessSync, constants, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {createServer} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {stringify} from 'yaml';
import {eventually} from './docker.js';

export const prometheusBinary = process.env['BOTOPS_TEST_PROMETHEUS'] ?? '/usr/bin/prometheus';
export const alertmanagerBinary = process.env['BOTOPS_TEST_ALERTMANAGER'] ?? '/usr/bin/prometheus-alertmanager';

export type Availability = {available: true; reason?: undefined} | {available: false; reason: string};

/** In CI the binaries are required (a silent skip would hide that nothing ran); elsewhere skip and say why. */
export function monitoringForTests(): Availability {
	const missing = [prometheusBinary, alertmanagerBinary].filter(file => {
		try {
			accessSync(file, constants.X_OK);
			return false;
		} catch {
			return true;
		}
	});
	if (missing.length === 0) return {available: true};
	const reason = `missing ${missing.join(' and ')} (Debian packages prometheus, prometheus-alertmanager)`;
	if (process.env['CI'] === 'true' || process.env['CI'] === '1') throw new Error(`Prometheus integration tests need the real servers in CI: ${reason}. Run .ci/run.`);
	process.stderr.write(`[skip] Prometheus/Alertmanager integration tests: ${reason}\n`);
	return {available: false, reason};
}

/** A port that was free a moment ago: bound on port 0, then released for the server to take. */
export async function freePort(): Promise<number> {
	const server = createServer();
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', resolve);
	});
	const address = server.address();
	const port = typeof address === 'object' && address ? address.port : 0;
	await new Promise<void>(resolve => server.close(() => resolve()));
	return port;
}

export type RunningServer = {
	url: string;
	port: number;
	directory: string;
	/** stderr so far (both servers log there), for a failing test's message. */
	log(): string;
	/** SIGTERM, then SIGKILL if it has not exited in 5 s. */
	stop(): Promise<void>;
	/** Starts it again on the same port and storage (after stop). */
	restart(): Promise<void>;
	/** Stops it and removes its storage. */
	dispose(): Promise<void>;
	readonly running: boolean;
};

async function startServer(name: string, binary: string, args: (port: number) => string[], directory: string): Promise<RunningServer> {
	const port = await freePort();
	let child: ChildProcess | undefined;
	let output = '';
	const url = `http://127.0.0.1:${port}`;

	const launch = async () => {
		output = '';
		const spawned = spawn(binary, args(port), {cwd: directory, stdio: ['ignore', 'ignore', 'pipe']});
		child = spawned;
		spawned.stderr?.setEncoding('utf8');
		spawned.stderr?.on('data', (chunk: string) => {
			output = (output + chunk).slice(-20_000);
		});
		const exited = new Promise<never>((_, reject) => spawned.once('exit', code => reject(new Error(`${name} exited with ${code}: ${output.slice(-2000)}`))));
		exited.catch(() => {});
		await Promise.race([
			exited,
			eventually(
				async () => {
					const response = await fetch(`${url}/-/ready`, {signal: AbortSignal.timeout(1000)});
					await response.arrayBuffer();
					return response.ok ? true : undefined;
				},
				{timeoutMs: 15_000, everyMs: 50, what: `${name} ready on ${url}`},
			),
		]);
	};

	const stop = async () => {
		const running = child;
		child = undefined;
		if (!running || running.exitCode !== null) return;
		const exited = new Promise<void>(resolve => running.once('exit', () => resolve()));
		running.kill('SIGTERM');
		const timer = setTimeout(() => running.kill('SIGKILL'), 5000);
		await exited;
		clearTimeout(timer);
	};

	await launch();
	return {
		url,
		port,
		directory,
		log: () => output,
		stop,
		restart: launch,
		async dispose() {
			await stop();
			rmSync(directory, {recursive: true, force: true});
		},
		get running() {
			return child !== undefined && child.exitCode === null;
		},
	};
}

export type AlertmanagerOptions = {groupBy?: string[]};

export async function startAlertmanager(options: AlertmanagerOptions = {}): Promise<RunningServer> {
	const directory = mkdtempSync(join(tmpdir(), 'botops-am-'));
	const config = {
		route: {receiver: 'blackhole', group_by: options.groupBy ?? ['alertname', 'service'], group_wait: '0s', group_interval: '1s', repeat_interval: '1h'},
		receivers: [{name: 'blackhole'}],
		inhibit_rules: [{source_matchers: ['alertname="InhibitorAlert"'], target_matchers: ['inhibited="yes"'], equal: ['service']}],
	};
	writeFileSync(join(directory, 'alertmanager.yml'), stringify(config));
	const server: RunningServer = await startServer(
		'alertmanager',
		alertmanagerBinary,
		port => [
			`--config.file=${join(directory, 'alertmanager.yml')}`,
			`--storage.path=${join(directory, 'data')}`,
			`--web.listen-address=127.0.0.1:${port}`,
			// Empty disables clustering: no gossip port, no waiting for peers.
			'--cluster.listen-address=',
			'--log.level=warn',
		],
		directory,
	);
	return server;
}

export type ScrapeJob = {job: string; targets: string[]; metricsPath?: string};

export type PrometheusOptions = {jobs: ScrapeJob[]; rules: string; alertmanagers: string[]};

export async function startPrometheus(options: PrometheusOptions): Promise<RunningServer> {
	const directory = mkdtempSync(join(tmpdir(), 'botops-prom-'));
	writeFileSync(join(directory, 'rules.yml'), options.rules);
	const config = {
		global: {scrape_interval: '1s', scrape_timeout: '900ms', evaluation_interval: '1s'},
		rule_files: [join(directory, 'rules.yml')],
		alerting: {alertmanagers: [{static_configs: [{targets: options.alertmanagers.map(url => new URL(url).host)}]}]},
		scrape_configs: options.jobs.map(job => ({job_name: job.job, metrics_path: job.metricsPath ?? '/metrics', static_configs: [{targets: job.targets}]})),
	};
	writeFileSync(join(directory, 'prometheus.yml'), stringify(config));
	const server: RunningServer = await startServer(
		'prometheus',
		prometheusBinary,
		port => [
			`--config.file=${join(directory, 'prometheus.yml')}`,
			`--storage.tsdb.path=${join(directory, 'data')}`,
			`--web.listen-address=127.0.0.1:${port}`,
			'--rules.alert.resend-delay=1s',
			'--log.level=warn',
		],
		directory,
	);
	return server;
}
