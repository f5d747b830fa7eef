import {createComposePlatform} from '../../source/services/platform.js';
import type {EnvironmentConfig} from '../../source/config/schema.js';
import type {Backends} from '../../source/services/backends.js';
import type {ContainerDetail, ContainerSummary, DockerService, HealthProber, HealthResult, StatsSample} from '../../source/services/types.js';

/**
 * A platform the test controls, behind the real interfaces (DockerService, HealthProber), so that data reaches
 * the store the way it does in production: through the monitor's pollers.
 */
export type FakePlatform = {
	containers: ContainerSummary[];
	/** Thrown by listContainers while set. */
	dockerError?: Error;
	/** The answer for a service's probe; a never-settling promise models a hanging endpoint. Default: 200 in 20 ms. */
	probe(service: string, url: string): HealthResult | Promise<HealthResult>;
	/** Sent on a container's stats stream as soon as it opens, and a one-shot sample's answer while `samples` has none. */
	firstSample?(id: string): StatsSample | undefined;
	/** What a one-shot sample of a container answers (an Error is thrown); default firstSample, else sample(0). */
	samples: Map<string, StatsSample | Error>;
	/** Open stats streams by container id: push a sample through them. */
	streams: Map<string, (sample: StatsSample) => void>;
	/** Ends a container's open stats stream, with an error or without. */
	endStream(id: string, error?: Error): void;
	ends: Map<string, (error?: Error) => void>;
	calls: {list: number; inspect: number; probes: Record<string, number>; streamsOpened: number; sampled: string[]};
};

export function fakePlatform(containers: ContainerSummary[], overrides: Partial<Pick<FakePlatform, 'probe' | 'firstSample'>> = {}): FakePlatform {
	return {
		containers,
		probe: overrides.probe ?? ((service, url) => okProbe(service, url)),
		firstSample: overrides.firstSample,
		streams: new Map(),
		samples: new Map(),
		ends: new Map(),
		endStream(id, error) {
			const end = this.ends.get(id);
			this.streams.delete(id);
			this.ends.delete(id);
			end?.(error);
		},
		calls: {list: 0, inspect: 0, probes: {}, streamsOpened: 0, sampled: []},
	};
}

export function okProbe(service: string, url: string, extra: Partial<HealthResult> = {}): HealthResult {
	return {service, url, ok: true, status: 200, latencyMs: 20, at: Date.now(), ...extra};
}

export function container(name: string, extra: Partial<ContainerSummary> = {}): ContainerSummary {
	return {id: `id-${name}`, name, service: name, project: 'p', image: 'img', state: 'running', status: 'Up', health: 'none', createdAt: 0, ...extra};
}

export function sample(cpuPercent: number, extra: Partial<StatsSample> = {}): StatsSample {
	return {at: 0, cpuPercent, memUsage: 10, memLimit: 100, memPercent: 10, netRx: 0, netTx: 0, blockRead: 0, blockWrite: 0, pids: 1, ...extra};
}

export function fakeDocker(platform: FakePlatform): DockerService {
	return {
		listContainers: async () => {
			platform.calls.list++;
			if (platform.dockerError) throw platform.dockerError;
			return platform.containers;
		},
		inspect: async id => {
			platform.calls.inspect++;
			const c = platform.containers.find(x => x.id === id);
			if (!c) throw new Error(`no such container ${id}`);
			return {...c, startedAt: 1000, restartCount: 2, oomKilled: false, command: [], ports: [], envNames: [], mounts: [], networks: [], labels: {}, healthLog: []} satisfies ContainerDetail;
		},
		restart: async () => {},
		stop: async () => {},
		start: async () => {},
		exec: async () => ({exitCode: 0, stdout: '', stderr: ''}),
		streamStats: (id, onSample, onEnd) => {
			platform.calls.streamsOpened++;
			platform.streams.set(id, onSample);
			platform.ends.set(id, onEnd);
			const first = platform.firstSample?.(id);
			if (first) queueMicrotask(() => platform.streams.get(id)?.(first));
			return () => {
				platform.streams.delete(id);
				platform.ends.delete(id);
			};
		},
		sampleStats: async id => {
			platform.calls.sampled.push(id);
			const answer = platform.samples.get(id) ?? platform.firstSample?.(id) ?? sample(0);
			if (answer instanceof Error) throw answer;
			return answer;
		},
		streamLogs: () => () => {},
		close: () => {},
	};
}

export function fakeProber(platform: FakePlatform): HealthProber {
	return {
		probe: async (service, url) => {
			platform.calls.probes[service] = (platform.calls.probes[service] ?? 0) + 1;
			return platform.probe(service, url);
		},
	};
}

export function fakeBackends(environment: EnvironmentConfig, platform: FakePlatform): Backends {
	const docker = fakeDocker(platform);
	return {environment, platform: createComposePlatform(docker, 'bot-core'), docker, health: fakeProber(platform), close: () => {}};
}

/** For `createDashboardRuntime({openBackends})`. */
export function openFakeBackends(platform: FakePlatform) {
	return async (environment: EnvironmentConfig) => fakeBackends(environment, platform);
}
