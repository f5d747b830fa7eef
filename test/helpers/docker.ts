import {execFile} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {fileURLToPath} from 'node:url';
import {promisify} from 'node:util';
import Docker from 'dockerode';

export const testImage = 'botops-test/busybox:latest';
export const socketPath = process.env['BOTOPS_TEST_DOCKER_SOCKET'] ?? '/var/run/docker.sock';
export const testLabel = 'botops.test';

const run = promisify(execFile);
const imageScript = fileURLToPath(new URL('../../scripts/test-image.sh', import.meta.url));

export function engine(): Docker {
	return new Docker({socketPath});
}

export type DockerAvailability = {available: true; reason?: undefined} | {available: false; reason: string};

/** Whether the engine answers, with the reason when it does not (for a visible skip or a clear CI failure). */
export async function dockerAvailable(timeoutMs = 3000): Promise<DockerAvailability> {
	const controller = new AbortController();
	const timer = setTimeout(() => controller.abort(), timeoutMs);
	try {
		// The typings omit ping's options, which do take an abort signal.
		const docker = engine() as unknown as {ping(options: {abortSignal: AbortSignal}): Promise<unknown>};
		await docker.ping({abortSignal: controller.signal});
		return {available: true};
	} catch (error) {
		const code = (error as {code?: string}).code;
		const detail = controller.signal.aborted ? `no answer within ${timeoutMs} ms` : (code ?? (error as Error).message);
		return {available: false, reason: `no Docker engine at ${socketPath} (${detail})`};
	} finally {
		clearTimeout(timer);
	}
}

/**
 * For a test file's top level: in CI a missing engine is a failure with a clear message (a silent skip would
 * hide that nothing ran); elsewhere the suite is skipped and says why.
 */
export async function dockerForTests(): Promise<DockerAvailability> {
	const availability = await dockerAvailable();
	if (availability.available) return availability;
	if (process.env['CI'] === 'true' || process.env['CI'] === '1') {
		throw new Error(`Docker integration tests need an engine in CI: ${availability.reason}. Run .ci/run, or start dockerd.`);
	}
	process.stderr.write(`[skip] Docker integration tests: ${availability.reason}\n`);
	return availability;
}

let imageReady: Promise<void> | undefined;

/** Builds botops-test/busybox:latest from the host's static busybox (no registry needed); once per process. */
export function ensureBusyboxImage(): Promise<void> {
	imageReady ??= run('bash', [imageScript], {timeout: 60_000}).then(
		() => undefined,
		(error: {stderr?: string; message: string}) => {
			imageReady = undefined;
			throw new Error(`could not build ${testImage}: ${error.stderr?.trim() || error.message}`);
		},
	);
	return imageReady;
}

/** A project name no other test run uses, so parallel files and stale runs never see each other's containers. */
export function uniqueProject(prefix: string): string {
	return `botops-t-${prefix}-${process.pid}-${randomBytes(3).toString('hex')}`;
}

export type ComposeContainerOptions = {
	project: string;
	service: string;
	/** argv of the container's process (busybox applets). */
	cmd: string[];
	env?: string[];
	healthcheck?: {test: string[]; intervalMs?: number; timeoutMs?: number; retries?: number; startPeriodMs?: number};
	restartPolicy?: {name: '' | 'no' | 'always' | 'unless-stopped' | 'on-failure'; maximumRetryCount?: number};
	/** Start it right away (default true). */
	start?: boolean;
	/** Seconds `docker stop` waits before SIGKILL; busybox sh ignores SIGTERM as PID 1, so keep it short. */
	stopTimeout?: number;
};

/** A container labelled as docker compose labels it, without a network (the engine runs with --bridge=none). */
export async function createComposeContainer(options: ComposeContainerOptions): Promise<{id: string; name: string}> {
	const name = `${options.project}-${options.service}-1`;
	const ns = (ms: number | undefined) => (ms === undefined ? undefined : ms * 1_000_000);
	const container = await engine().createContainer({
		name,
		Image: testImage,
		Cmd: options.cmd,
		Env: options.env,
		StopTimeout: options.stopTimeout ?? 1,
		Labels: {
			'com.docker.compose.project': options.project,
			'com.docker.compose.service': options.service,
			'com.docker.compose.container-number': '1',
			'com.docker.compose.oneoff': 'False',
			[testLabel]: '1',
		},
		Healthcheck: options.healthcheck && {
			Test: options.healthcheck.test,
			Interval: ns(options.healthcheck.intervalMs),
			Timeout: ns(options.healthcheck.timeoutMs),
			Retries: options.healthcheck.retries,
			StartPeriod: ns(options.healthcheck.startPeriodMs),
		},
		HostConfig: {
			NetworkMode: 'none',
			RestartPolicy: options.restartPolicy && {Name: options.restartPolicy.name, MaximumRetryCount: options.restartPolicy.maximumRetryCount},
		},
	});
	if (options.start !== false) await container.start();
	return {id: container.id, name};
}

/** Removes every container of the project, running or not. */
export async function removeProject(project: string): Promise<void> {
	const docker = engine();
	const list = await docker.listContainers({all: true, filters: {label: [`com.docker.compose.project=${project}`]}});
	await Promise.all(
		list.map(c =>
			docker
				.getContainer(c.Id)
				.remove({force: true, v: true})
				.catch((error: {statusCode?: number}) => {
					// Already gone (or being removed by the engine): nothing left to clean.
					if (error.statusCode !== 404 && error.statusCode !== 409) throw error;
				}),
		),
	);
}

/** Polls until `check` returns a value (not undefined), for states that settle asynchronously in the engine. */
export async function eventually<T>(check: () => Promise<T | undefined>, options: {timeoutMs?: number; everyMs?: number; what: string}): Promise<T> {
	const deadline = Date.now() + (options.timeoutMs ?? 15_000);
	let last: unknown;
	for (;;) {
		try {
			const value = await check();
			if (value !== undefined) return value;
		} catch (error) {
			last = error;
		}
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${options.what}${last ? `: ${(last as Error).message}` : ''}`);
		await new Promise(resolve => setTimeout(resolve, options.everyMs ?? 100));
	}
}
