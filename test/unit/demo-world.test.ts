import {describe, expect, it} from 'vitest';
import {LogRing} from '../../source/demo/log-ring.js';
import {knownScenarios} from '../../source/demo/scenarios.js';
import {rfc3339Nano, rfc3339NanoFixed} from '../../source/demo/time-format.js';
import {humanDuration} from '../../source/util/human-duration.js';
import {World} from '../../source/demo/world.js';

const t0 = Date.parse('2026-11-25T12:00:00Z');

function manualClock() {
	let now = t0;
	return {clock: () => now, advance: (ms: number) => (now += ms)};
}

/** Advances a world second by second, as the unref'd timer would. */
function run(world: World, clock: ReturnType<typeof manualClock>, seconds: number) {
	for (let i = 0; i < seconds; i++) {
		clock.advance(1000);
		world.tick();
	}
}

const texts = (world: World, name: string) => world.get(name).logs.toArray().map(e => `${e.time} ${e.stream} ${e.text}`);

describe('demo world', () => {
	it('replays the same world for the same seed, and a different one for another seed', () => {
		const a = manualClock();
		const b = manualClock();
		const c = manualClock();
		const one = new World({seed: 7, clock: a.clock});
		const two = new World({seed: 7, clock: b.clock});
		const other = new World({seed: 8, clock: c.clock});
		run(one, a, 20);
		run(two, b, 20);
		run(other, c, 20);
		expect(one.containers.map(x => x.id)).toEqual(two.containers.map(x => x.id));
		expect(texts(one, 'rust-core-engine')).toEqual(texts(two, 'rust-core-engine'));
		expect(one.get('python-ai-service').counters).toEqual(two.get('python-ai-service').counters);
		expect(other.containers.map(x => x.id)).not.toEqual(one.containers.map(x => x.id));
		expect(texts(other, 'rust-core-engine')).not.toEqual(texts(one, 'rust-core-engine'));
	});

	it('models the compose project with realistic ids, images, labels and sizes', () => {
		const world = new World({clock: manualClock().clock});
		expect(world.containers.map(c => c.name)).toEqual(['rust-core-engine', 'python-ai-service', 'nextjs-ui-dashboard', 'mongodb-primary', 'redis', 'prometheus', 'grafana']);
		for (const c of world.containers) {
			expect(c.id).toMatch(/^[0-9a-f]{64}$/);
			expect(c.status).toBe('running');
			expect(c.logs.size).toBeGreaterThanOrEqual(200);
		}
		expect(world.get('mongodb-primary').spec.image).toBe('mongo:7.0');
		const ai = world.get('python-ai-service');
		expect(ai.memoryLimit).toBe(2 * 1024 ** 3);
		expect((ai.memUsage - ai.inactiveFile) / 1024 ** 2).toBeGreaterThan(750);
		expect((ai.memUsage - ai.inactiveFile) / 1024 ** 2).toBeLessThan(1050);
		const engine = world.get('rust-core-engine');
		expect((engine.memUsage - engine.inactiveFile) / 1024 ** 2).toBeGreaterThan(140);
		expect((engine.memUsage - engine.inactiveFile) / 1024 ** 2).toBeLessThan(230);
		expect(engine.logs.toArray().at(-1)!.text).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z {1,2}(INFO|WARN|ERROR|DEBUG) bot_core/);
		expect(world.get('mongodb-primary').logs.toArray().at(-1)!.text).toMatch(/^\{"t":\{"\$date":"/);
	});

	it('grows cumulative counters and keeps CPU wandering around the service mean', () => {
		const clock = manualClock();
		const world = new World({seed: 3, clock: clock.clock});
		const engine = world.get('rust-core-engine');
		engine.integrate(clock.clock());
		const before = {...engine.counters};
		const cpu: number[] = [];
		for (let i = 0; i < 120; i++) {
			run(world, clock, 1);
			cpu.push(engine.cpuRate);
		}
		engine.integrate(clock.clock());
		expect(engine.counters.cpuTotalNs).toBeGreaterThan(before.cpuTotalNs);
		expect(engine.counters.rxBytes).toBeGreaterThan(before.rxBytes);
		expect(engine.counters.blkWrite).toBeGreaterThan(before.blkWrite);
		const mean = cpu.reduce((a, b) => a + b, 0) / cpu.length;
		expect(mean).toBeGreaterThan(0.05);
		expect(mean).toBeLessThan(0.3);
		expect(new Set(cpu.map(v => v.toFixed(4))).size).toBeGreaterThan(100);
	});

	it('restarts like docker restart: StartedAt moves, RestartCount does not, shutdown and startup lines appear', () => {
		const clock = manualClock();
		const world = new World({clock: clock.clock});
		const engine = world.get('rust-core-engine');
		const started = engine.startedAt!;
		const lines = engine.logs.size;
		clock.advance(5000);
		world.restartContainer(engine);
		expect(engine.startedAt).toBeGreaterThan(started);
		expect(engine.restartCount).toBe(0);
		expect(engine.health?.status).toBe('starting');
		run(world, clock, 2);
		const recent = engine.logs.toArray().slice(lines - engine.logs.size - 1).map(e => e.text).join('\n');
		expect(recent).toContain('received SIGTERM, shutting down gracefully');
		expect(recent).toContain('starting rust-core-engine version=1.4.2');
		run(world, clock, 4);
		expect(engine.health?.status).toBe('healthy');
	});

	it('stops a container: exit code, unhealthy, and silence until started', () => {
		const clock = manualClock();
		const world = new World({clock: clock.clock});
		const next = world.get('nextjs-ui-dashboard');
		expect(world.stopContainer(next)).toBe(true);
		expect(world.stopContainer(next)).toBe(false);
		expect(next.status).toBe('exited');
		expect(next.exitCode).toBe(143);
		expect(next.health?.status).toBe('unhealthy');
		const size = next.logs.size;
		const last = next.logs.toArray().at(-1);
		run(world, clock, 60);
		expect(next.logs.toArray().at(-1)).toBe(last);
		expect(next.logs.size).toBe(size);
		expect(world.startContainer(next)).toBe(true);
		expect(world.startContainer(next)).toBe(false);
		expect(next.status).toBe('running');
	});

	it('runs the engine crash loop through its restart policy with Docker backoff', () => {
		const clock = manualClock();
		const world = new World({scenario: 'engine-crashloop', clock: clock.clock});
		const engine = world.get('rust-core-engine');
		const initial = engine.restartCount;
		const seen = new Set<string>();
		for (let i = 0; i < 240; i++) {
			run(world, clock, 1);
			seen.add(engine.status);
		}
		expect(engine.restartCount).toBeGreaterThan(initial);
		expect(seen).toContain('restarting');
		expect(seen).toContain('running');
		expect(engine.health?.log.some(entry => entry.exitCode !== 0)).toBe(true);
		const text = engine.logs.toArray().map(e => e.text).join('\n');
		expect(text).toContain("panicked at src/trading/position_manager.rs");
		expect(engine.logs.toArray().filter(e => / ERROR /.test(e.text)).length).toBeGreaterThan(5);
		expect(world.engineHealth().ok).toBe(false);
	});

	it('starts mongo-down with mongodb-primary exited and the engine reporting its database disconnected', () => {
		const clock = manualClock();
		const world = new World({scenario: 'mongo-down', clock: clock.clock});
		const mongo = world.get('mongodb-primary');
		expect(mongo.status).toBe('exited');
		expect(mongo.exitCode).not.toBe(0);
		expect(world.engineHealth()).toMatchObject({ok: false, database: 'disconnected'});
		expect(world.get('rust-core-engine').health?.status).toBe('unhealthy');
		world.startContainer(mongo);
		run(world, clock, 1);
		expect(world.engineHealth()).toEqual({ok: true, database: 'connected'});
		expect(world.get('rust-core-engine').logs.toArray().at(-1)?.text).toContain('reconnected to MongoDB');
	});

	it('boots MongoDB before its clients: the healthy scenario logs no server selection timeout', () => {
		const world = new World({clock: manualClock().clock});
		for (const container of world.containers) expect(texts(world, container.name).filter(line => /Server selection timeout/.test(line))).toEqual([]);
		const mongoReady = world.get('mongodb-primary').logs.toArray().find(e => e.text.includes('"Waiting for connections"'))!.time;
		const engine = world.get('rust-core-engine');
		expect(engine.startedAt).toBeGreaterThan(mongoReady);
		expect(engine.logs.toArray().find(e => e.text.includes('connected to MongoDB'))!.time).toBeGreaterThan(mongoReady);
		expect(world.get('python-ai-service').startedAt).toBeGreaterThan(mongoReady);
		expect(world.get('nextjs-ui-dashboard').startedAt).toBeGreaterThan(engine.startedAt!);
	});

	it('logs the database errors of mongo-down only after mongodb-primary exited', () => {
		const world = new World({scenario: 'mongo-down', clock: manualClock().clock});
		const died = world.get('mongodb-primary').finishedAt!;
		const engine = world.get('rust-core-engine').logs.toArray();
		const timeouts = engine.filter(e => /Server selection timeout/.test(e.text));
		expect(timeouts.length).toBeGreaterThan(0);
		expect(timeouts.every(e => e.time >= died)).toBe(true);
		const lost = engine.find(e => e.text.includes('connection to mongodb-primary:27017 lost'));
		expect(lost!.time).toBeGreaterThanOrEqual(died);
		expect(engine.filter(e => e.time < died).some(e => e.text.includes('connected to MongoDB'))).toBe(true);
	});

	it('keeps health-log entries, exit codes and health status in agreement in every scenario', () => {
		for (const scenario of knownScenarios) {
			const clock = manualClock();
			const world = new World({scenario, clock: clock.clock});
			const check = () => {
				for (const container of world.containers) {
					const health = container.health;
					if (!health) continue;
					for (const entry of health.log) {
						if (entry.exitCode === 0) expect(entry.output, `${scenario} ${container.name}`).not.toMatch(/curl: \(\d+\)|error/i);
						else expect(entry.output, `${scenario} ${container.name}`).toMatch(/^curl: \(22\) The requested URL returned error: 503\n$/);
						expect(entry.end).toBeGreaterThanOrEqual(entry.start);
					}
					const last = health.log.at(-1);
					if (health.status === 'healthy') expect(last?.exitCode, `${scenario} ${container.name} healthy`).toBe(0);
					if (health.status === 'unhealthy' && container.isUp) expect(health.failingStreak, `${scenario} ${container.name}`).toBeGreaterThanOrEqual(container.spec.healthcheck!.retries);
					// An exited container ran its last check before it exited.
					if (!container.isUp && container.finishedAt !== undefined && last && last.start <= container.finishedAt + 1) expect(last.start).toBeLessThanOrEqual(container.finishedAt);
				}
			};
			check();
			run(world, clock, 45);
			check();
		}
	});

	it('makes the AI service slow in ai-slow and fast otherwise', () => {
		const slow = new World({scenario: 'ai-slow', clock: manualClock().clock});
		const fast = new World({clock: manualClock().clock});
		for (let i = 0; i < 50; i++) {
			expect(slow.httpLatencyMs('python-ai-service')).toBeGreaterThanOrEqual(1500);
			expect(slow.httpLatencyMs('python-ai-service')).toBeLessThanOrEqual(4000);
			expect(fast.httpLatencyMs('python-ai-service')).toBeLessThanOrEqual(40);
		}
	});

	it('rejects an unknown scenario, naming the known ones', () => {
		expect(() => new World({scenario: 'meteor-strike'})).toThrow(`unknown demo scenario "meteor-strike" (known: ${knownScenarios.join(', ')})`);
		expect(knownScenarios).toEqual(['healthy', 'engine-crashloop', 'ai-slow', 'mongo-down', 'bad-deploy', 'mongo-replication-lag']);
	});

	it('adds extra labelled containers for benchmarks', () => {
		const world = new World({extraContainers: 1000, clock: manualClock().clock});
		expect(world.containers).toHaveLength(1007);
		expect(world.resolve('worker-0001')).toBe(world.get('worker-0001'));
		expect(world.resolve(world.get('worker-0001').id.slice(0, 12))).toBe(world.get('worker-0001'));
		expect(world.get('worker-1000').spec.service).toBe('worker-1000');
	});

	it('logs a trading toggle in the engine and emits an event', () => {
		const world = new World({clock: manualClock().clock});
		const events: unknown[] = [];
		world.on(event => events.push(event));
		world.setTradingEnabled(false, '127.0.0.1');
		expect(world.trading.enabled).toBe(false);
		expect(events).toEqual([{type: 'trading', enabled: false}]);
		expect(world.get('rust-core-engine').logs.toArray().at(-1)?.text).toContain('trading disabled via admin API remote_addr=127.0.0.1');
	});
});

describe('demo helpers', () => {
	it('keeps only the newest lines in the ring', () => {
		const ring = new LogRing(3);
		for (let i = 0; i < 5; i++) ring.push({time: i, nanos: 0, stream: 'stdout', text: `line ${i}`});
		expect(ring.toArray().map(e => e.text)).toEqual(['line 2', 'line 3', 'line 4']);
	});

	it('keeps timestamps rising within a stream, even for lines written in the same or an earlier millisecond', () => {
		const ring = new LogRing(10);
		ring.push({time: 1000.7, nanos: 5, stream: 'stdout', text: 'a'});
		ring.push({time: 1000, nanos: 5, stream: 'stdout', text: 'same instant'});
		ring.push({time: 999, nanos: 0, stream: 'stdout', text: 'earlier'});
		ring.push({time: 1000, nanos: 999_999, stream: 'stderr', text: 'other stream keeps its own time'});
		ring.push({time: 1000, nanos: 999_999, stream: 'stderr', text: 'carries into the next ms'});
		ring.push({time: 2000, nanos: 1, stream: 'stdout', text: 'later stays'});
		expect(ring.toArray().map(e => [e.stream, e.time, e.nanos])).toEqual([
			['stdout', 1000, 5],
			['stdout', 1000, 6],
			['stdout', 1000, 7],
			['stderr', 1000, 999_999],
			['stderr', 1001, 0],
			['stdout', 2000, 1],
		]);
	});

	it('rises in every container stream of a running world', () => {
		const clock = manualClock();
		const world = new World({scenario: 'engine-crashloop', clock: clock.clock});
		run(world, clock, 30);
		world.setTradingEnabled(false);
		run(world, clock, 2);
		for (const container of world.containers) {
			for (const stream of ['stdout', 'stderr'] as const) {
				const stamps = container.logs.toArray().filter(e => e.stream === stream).map(e => rfc3339NanoFixed(e.time, e.nanos));
				for (let i = 1; i < stamps.length; i++) expect(stamps[i] > stamps[i - 1], `${container.name} ${stream} ${i}`).toBe(true);
			}
		}
	});

	it('formats times as Go and Docker do', () => {
		expect(rfc3339NanoFixed(Date.parse('2026-11-25T13:04:58.736Z'), 0)).toBe('2026-11-25T13:04:58.736000000Z');
		expect(rfc3339NanoFixed(Date.parse('2026-11-25T13:04:58Z'), 41)).toBe('2026-11-25T13:04:58.000000041Z');
		expect(rfc3339Nano(Date.parse('2026-11-25T12:33:01.262Z'), 507_041)).toBe('2026-11-25T12:33:01.262507041Z');
		expect(rfc3339Nano(Date.parse('2026-11-25T12:33:01.500Z'), 0)).toBe('2026-11-25T12:33:01.5Z');
		expect(rfc3339Nano(Date.parse('2026-11-25T12:33:01Z'), 0)).toBe('2026-11-25T12:33:01Z');
		expect(humanDuration(400)).toBe('Less than a second');
		expect(humanDuration(1000)).toBe('1 second');
		expect(humanDuration(90_000)).toBe('About a minute');
		expect(humanDuration(3 * 60_000)).toBe('3 minutes');
		expect(humanDuration(6 * 3_600_000)).toBe('6 hours');
		expect(humanDuration(3 * 86_400_000)).toBe('3 days');
	});
});
