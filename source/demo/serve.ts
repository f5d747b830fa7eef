/**
 * `botops demo --serve`: the demo deployment without the dashboard, for botops in other processes, tests and
 * benchmarks. It writes a config whose default environment is the served demo and prints one JSON line saying
 * where everything is, then serves until `stop` aborts (SIGINT, SIGTERM or SIGHUP in the CLI).
 */
import {writeFileSync} from 'node:fs';
import http from 'node:http';
import {join} from 'node:path';
import {stringify} from 'yaml';
import {demoEnvironmentName} from '../config/defaults.js';
import type {ConfigInput} from '../config/schema.js';
import {startDemo, type DemoDeployment} from './index.js';

export type DemoServeOptions = {scenario?: string; kubernetes?: boolean};
export type DemoServeIo = {stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream; stop: AbortSignal};

/** The JSON line a client reads; each later backend (kubeconfig, mongodbUri, prometheusUrl…) adds one field. */
export type ServedDemo = {
	config: string;
	envFile: string;
	dockerSocket: string;
	/** Base URL of each service's HTTP API, by service name. */
	http: Record<string, string>;
	/** The kubeconfig of the demo's Kubernetes API (with --k8s). */
	kubeconfig?: string;
	prometheusUrl: string;
	/** The demo's Alertmanager HA pair. */
	alertmanagerUrls: string[];
	/** The demo MongoDB's URI with its user and password (the config's `mongo.uriEnv` names the variable holding it, set in the .env). */
	mongodbUri: string;
};

const answerTimeoutMs = 5000;

/**
 * Exit codes: 0 stopped (by `stop`, or a reader that closed the pipe), 1 the deployment did not answer, 2 bad options
 * (an unknown scenario). The CLI turns a stop by a signal into 128 + the signal, as for every command.
 */
export async function runDemoServe(options: DemoServeOptions, io: DemoServeIo): Promise<number> {
	const stopRequested = waitForStop(io.stop);
	let demo: DemoDeployment;
	try {
		demo = await startDemo({scenario: options.scenario, kubernetes: options.kubernetes});
	} catch (error) {
		stopRequested.cancel();
		const message = error instanceof Error ? error.message : String(error);
		io.stderr.write(`botops: ${message}\n`);
		return /unknown demo scenario/.test(message) ? 2 : 1;
	}
	try {
		const served = describeServed(demo, writeServedConfig(demo));
		await everythingAnswers(demo, served);
		// A reader that closed the pipe before the line arrived has gone: end quietly, as every command does.
		io.stdout.once('error', () => stopRequested.stop('stdout closed'));
		io.stdout.write(`${JSON.stringify(served)}\n`);
		const reason = await stopRequested.promise;
		io.stderr.write(`botops: ${reason}: stopping the demo\n`);
		return 0;
	} catch (error) {
		io.stderr.write(`botops: demo --serve: ${error instanceof Error ? error.message : String(error)}\n`);
		return 1;
	} finally {
		stopRequested.cancel();
		await demo.stop();
	}
}

function describeServed(demo: DemoDeployment, config: string): ServedDemo {
	return {
		config,
		envFile: demo.environment.envFile!,
		dockerSocket: demo.dockerSocketPath,
		http: Object.fromEntries(demo.environment.services.filter(s => s.healthUrl).map(s => [s.name, new URL(s.healthUrl!).origin])),
		...(demo.kubernetes ? {kubeconfig: demo.kubernetes.kubeconfig} : {}),
		prometheusUrl: demo.environment.prometheusUrl!,
		alertmanagerUrls: demo.environment.alertmanagerUrls!,
		mongodbUri: demo.mongo.uris.botuser,
	};
}

/** A config file whose default environment is this deployment: `botops --config FILE …` from any process uses it. */
function writeServedConfig(demo: DemoDeployment): string {
	const {name: _name, ...environment} = demo.environment;
	const config: ConfigInput = {defaultEnvironment: demoEnvironmentName, environments: {[demoEnvironmentName]: environment}};
	if (demo.kubernetes) {
		const {name: kubernetesName, ...kubernetesEnvironment} = demo.kubernetes.environment;
		config.environments[kubernetesName] = kubernetesEnvironment;
	}
	const file = join(demo.directory, 'config.yaml');
	writeFileSync(file, `# botops demo --serve (pid ${process.pid}); removed when it stops.\n${stringify(config)}`, {mode: 0o600});
	return file;
}

/** The Docker API answers its ping, Prometheus and the Alertmanagers are ready, and every HTTP service answers at all (a 503 of a drill is an answer). */
async function everythingAnswers(demo: DemoDeployment, served: ServedDemo): Promise<void> {
	await Promise.all([
		ping(demo.dockerSocketPath),
		...(demo.kubernetes ? [kubernetesAnswers(demo.kubernetes.url)] : []),
		...[served.prometheusUrl, ...served.alertmanagerUrls].map(async url => {
			try {
				const res = await fetch(`${url}/-/ready`, {signal: AbortSignal.timeout(answerTimeoutMs)});
				await res.arrayBuffer();
				if (!res.ok) throw new Error(`HTTP ${res.status}`);
			} catch (error) {
				throw new Error(`${url} is not ready: ${error instanceof Error ? error.message : String(error)}`);
			}
		}),
		...demo.environment.services.filter(s => s.healthUrl).map(async service => {
			try {
				const res = await fetch(service.healthUrl!, {signal: AbortSignal.timeout(answerTimeoutMs)});
				await res.arrayBuffer();
			} catch (error) {
				throw new Error(`${service.name} at ${served.http[service.name]} does not answer: ${error instanceof Error ? error.message : String(error)}`);
			}
		}),
	]);
}

async function kubernetesAnswers(url: string): Promise<void> {
	try {
		const res = await fetch(`${url}/readyz`, {signal: AbortSignal.timeout(answerTimeoutMs)});
		if (res.status !== 200) throw new Error(`/readyz answered ${res.status}`);
		await res.arrayBuffer();
	} catch (error) {
		throw new Error(`the Kubernetes API at ${url} does not answer: ${error instanceof Error ? error.message : String(error)}`);
	}
}

function ping(socketPath: string): Promise<void> {
	return new Promise((resolve, reject) => {
		const req = http.get({socketPath, path: '/_ping', timeout: answerTimeoutMs}, res => {
			res.resume();
			res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`Docker API ping answered ${res.statusCode}`))));
		});
		req.on('timeout', () => req.destroy(new Error('Docker API ping timed out')));
		req.on('error', error => reject(new Error(`Docker API at ${socketPath} does not answer: ${error.message}`)));
	});
}

/** Resolves with the reason of the first stop (the signal's name, or `stop`); a signal during start-up is not lost. */
function waitForStop(signal: AbortSignal): {promise: Promise<string>; stop(reason: string): void; cancel(): void} {
	let stop: (reason: string) => void = () => {};
	const promise = new Promise<string>(resolve => {
		stop = resolve;
	});
	const onAbort = () => stop(String(signal.reason));
	if (signal.aborted) onAbort();
	else signal.addEventListener('abort', onAbort, {once: true});
	return {promise, stop, cancel: () => signal.removeEventListener('abort', onAbort)};
}
