import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {EnvironmentConfig} from '../../source/config/schema.js';
import {startDemo, type DemoDeployment} from '../../source/demo/index.js';
import type {LogRecord} from '../../source/logs/record.js';
import {openBackends, type Backends} from '../../source/services/backends.js';
import type {Instance, Platform} from '../../source/services/platform.js';
import type {StatsSample} from '../../source/services/types.js';
import {eventually} from '../helpers/docker.js';

/**
 * One neutral-model contract, two platforms: the compose demo (its Docker API) and the Kubernetes demo (its API
 * server), both opened as botops opens them (openBackends). What the store and screens rely on must hold on both:
 * every configured service has instances, a running instance has details, stats and logs, a restart leaves the
 * service running again, and what a platform cannot do it says, with a reason.
 */
let demo: DemoDeployment;
beforeAll(async () => {
	demo = await startDemo({kubernetes: true});
}, 30_000);
afterAll(async () => {
	await demo?.stop();
});

const platforms: Array<{name: string; environment: () => EnvironmentConfig; unsupported: string}> = [
	{name: 'compose (demo Docker API)', environment: () => demo.environment, unsupported: 'scale'},
	{name: 'kubernetes (demo API server)', environment: () => demo.kubernetes!.environment, unsupported: 'stop'},
];

describe.each(platforms)('the platform contract on $name', ({environment, unsupported}) => {
	let backends: Backends;
	let platform: Platform;
	beforeAll(async () => {
		backends = await openBackends(environment(), {timeoutMs: 5000, refreshMs: 500});
		platform = backends.platform;
	});
	afterAll(() => backends?.close());

	const running = async (service: string): Promise<Instance> =>
		eventually(async () => (await platform.listInstances()).find(i => i.service === service && i.state === 'running'), {what: `a running ${service}`, timeoutMs: 20_000});
	const serviceName = (config: EnvironmentConfig['services'][number]) => config.deployment ?? config.container ?? config.name;

	it('has instances for every configured service, each with a state, a health and a creation time', async () => {
		const instances = await platform.listInstances();
		for (const service of environment().services) {
			const mine = instances.filter(i => i.service === serviceName(service) || i.name === serviceName(service));
			expect(mine.length, service.name).toBeGreaterThan(0);
			for (const instance of mine) {
				expect(['created', 'running', 'paused', 'restarting', 'removing', 'exited', 'dead']).toContain(instance.state);
				expect(['healthy', 'unhealthy', 'starting', 'none']).toContain(instance.health);
				expect(instance.createdAt).toBeGreaterThan(0);
				expect(instance.image).not.toBe('');
			}
		}
	});

	it('details a running instance: start time, restarts, environment names without values', async () => {
		const instance = await running('rust-core-engine');
		const [detail] = await platform.details([instance]);
		expect(detail!.id).toBe(instance.id);
		expect(detail!.startedAt).toBeGreaterThan(0);
		expect(detail!.restartCount).toBeGreaterThanOrEqual(0);
		expect(detail!.envNames.every(name => !name.includes('='))).toBe(true);
		expect((await platform.inspect(instance.id)).id).toBe(instance.id);
	});

	it('samples stats of a running instance', async () => {
		const instance = await running('python-ai-service');
		const sample = await new Promise<StatsSample>((resolve, reject) => {
			const stop = platform.streamStats(instance.id, s => {
				stop();
				resolve(s);
			}, error => reject(error ?? new Error('stats ended')));
		});
		expect(sample.memUsage).toBeGreaterThan(0);
		expect(sample.cpuPercent).toBeGreaterThanOrEqual(0);
		expect(sample.at).toBeGreaterThan(0);
	});

	it('gives a service\'s recent log lines, ordered', async () => {
		const source = await platform.logs();
		const records = await new Promise<LogRecord[]>(resolve => {
			const got: LogRecord[] = [];
			const stop = source.subscribe(['rust-core-engine'], {follow: false, tail: 10}, batch => void got.push(...batch), status => {
				if (status.service === '*' && status.state === 'ended') {
					stop();
					resolve(got);
				}
			});
		});
		expect(records.length).toBeGreaterThan(0);
		expect(records.every(r => r.service === 'rust-core-engine')).toBe(true);
		for (let i = 1; i < records.length; i++) expect(records[i]!.time).toBeGreaterThanOrEqual(records[i - 1]!.time);
	});

	it('runs a command in a running instance: its output and exit code', async () => {
		expect(platform.supports('exec')).toEqual({ok: true});
		const instance = await running('mongodb-primary');
		const listing = await platform.exec(instance.id, ['ls', '/backup']);
		expect(listing.exitCode).toBe(0);
		expect(listing.stdout.trim().split('\n')).toEqual(demo.world.backups.map(b => b.path.replace('/backup/', '')));
		expect((await platform.exec(instance.id, ['ls', '/backup/nope'])).exitCode).toBe(2);
	});

	it(`says why it cannot ${unsupported}, and can restart`, async () => {
		const capability = platform.supports(unsupported as 'scale' | 'stop');
		expect(capability.ok).toBe(false);
		expect(capability.ok ? '' : capability.reason).toMatch(/\w+ \w+/);
		expect(platform.supports('restart')).toEqual({ok: true});
		const before = await running('nextjs-ui-dashboard');
		await platform.restart(before.id);
		// Compose restarts the container in place (a new start time); Kubernetes replaces the pod (a new name).
		await eventually(
			async () => {
				const now = (await platform.listInstances()).filter(i => i.service === 'nextjs-ui-dashboard' && i.state === 'running');
				if (now.some(i => i.id !== before.id)) return true;
				const same = now.find(i => i.id === before.id);
				if (!same) return undefined;
				const [detail] = await platform.details([same]);
				return detail?.startedAt && detail.startedAt > (await platform.inspect(before.id)).createdAt && detail.restartCount >= 0 && same.status !== before.status ? true : undefined;
			},
			{what: 'the restarted service running again', timeoutMs: 25_000},
		);
	}, 40_000);
});
