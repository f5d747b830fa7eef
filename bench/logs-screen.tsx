// The Logs screen while 5,000 lines/s arrive: CPU, store commits and frames per second, bytes written, RSS.
// The real store, stream controller and screen, rendered to a fake 120x40 terminal as `botops` renders.
import {performance} from 'node:perf_hooks';
import {render} from 'ink';
import React from 'react';
import {configSchema} from '../source/config/schema.js';
import {createDashboardRuntime, DashboardRoot} from '../source/dashboard.js';
import {type Level, type LogRecord, makeRecord} from '../source/logs/record.js';
import type {LogSource} from '../source/services/log-source.js';
import {median} from './terminal.js';
import {FakeStdin, FakeStdout} from '../test/helpers/fake-terminal.js';

const linesPerSecond = Number(process.env.BENCH_LOG_RATE ?? 5000);
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const batchesPerSecond = 50;
const services = ['rust-core-engine', 'python-ai-service', 'nextjs-ui-dashboard', 'mongodb-primary'];
const texts: Array<[Level, string]> = [
	['info', 'bot_core::market_data: received kline symbol=BTCUSDT interval=1m close=97312.5 volume=12.4'],
	['debug', 'bot_core::binance::websocket: ping/pong ok stream=btcusdt@kline_1m rtt_ms=41'],
	['info', 'INFO:     172.18.0.3:33371 - "POST /api/analyze HTTP/1.1" 200 OK'],
	['warn', 'bot_core::trading: slippage above limit symbol=ETHUSDT expected=3412.1 filled=3419.8'],
	['error', 'bot_core::storage::mongodb: failed to persist trade err=Kind: Server selection timeout'],
	['info', '{"t":{"$date":"2026-11-25T12:50:07.717+00:00"},"s":"I","c":"NETWORK","id":22943,"msg":"Connection accepted"}'],
];

/** Emits synthetic batches at the configured rate, merged and ordered as a real source delivers them. */
const source: LogSource = {
	subscribe(_services, _options, onRecords, onStatus) {
		for (const service of services) onStatus({service, state: 'streaming', at: Date.now()});
		let seq = 0;
		const started = Date.now();
		const timer = setInterval(() => {
			const now = Date.now();
			// What is owed by now: timers drift under load, the rate must not.
			const perBatch = Math.floor(((now - started) / 1000) * linesPerSecond) - seq;
			const batch: LogRecord[] = new Array(perBatch);
			for (let i = 0; i < perBatch; i++) {
				const [level, text] = texts[(seq * 7) % texts.length]!;
				const record = makeRecord(now - perBatch + i, services[seq % services.length]!, 'stdout', level, `${text} n=${seq}`);
				record.seq = ++seq;
				batch[i] = record;
			}
			onRecords(batch);
		}, 1000 / batchesPerSecond);
		return () => clearInterval(timer);
	},
};


const config = configSchema.parse({environments: {bench: {backend: {type: 'compose', project: 'bot-core'}, services: services.map(name => ({name}))}}});
const runtime = createDashboardRuntime({
	config,
	environment: {...config.environments.bench!, name: 'bench'},
	refreshMs: 2000,
	readOnly: false,
	color: true,
	ascii: false,
	initialScreen: 'logs',
	logSource: {source, services},
});
void runtime.connect();
let commits = 0;
runtime.store.subscribe((state, previous) => {
	if (state.logs.version !== previous.logs.version) commits++;
});

const stdout = new FakeStdout(120, 40, false);
const baseline = process.memoryUsage().rss;
const renderTimes: number[] = [];
const instance = render(<DashboardRoot runtime={runtime} />, {
	stdout: stdout as unknown as NodeJS.WriteStream,
	stdin: new FakeStdin() as unknown as NodeJS.ReadStream,
	patchConsole: false,
	exitOnCtrlC: false,
	incrementalRendering: true,
	maxFps: 8,
	onRender: ({renderTime}) => renderTimes.push(renderTime),
});

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));
// Warm up (JIT, the buffer's first growth), then measure.
await sleep(2000);
const start = {cpu: process.cpuUsage(), wall: performance.now(), bytes: stdout.bytes, commits, total: runtime.store.getState().logs.total};
renderTimes.length = 0;
await sleep(seconds * 1000);
const cpu = process.cpuUsage(start.cpu);
const wall = (performance.now() - start.wall) / 1000;
const logs = runtime.store.getState().logs;
const frames = renderTimes.length;
const memory = process.memoryUsage();
instance.unmount();
runtime.close();

const perSecond = (n: number) => (n / wall).toFixed(1);
console.log('Logs screen at 120x40, %d lines/s arriving in %d batches/s, over %s s (ink maxFps 8, incremental):', linesPerSecond, batchesPerSecond, wall.toFixed(1));
console.log('  lines ingested          %s/s   (buffer %s of %s, %s dropped)', perSecond(logs.total - start.total), logs.buffer.size, logs.buffer.capacity, logs.dropped);
console.log('  CPU                     %s%% of a core (generating the lines included)', (((cpu.user + cpu.system) / 1e6 / wall) * 100).toFixed(1));
console.log('  store commits           %s/s   (target <= 10)', perSecond(commits - start.commits));
console.log('  frames rendered         %s/s   (target <= 10), %s KB/s written', perSecond(frames), ((stdout.bytes - start.bytes) / 1024 / wall).toFixed(1));
console.log('  ink render              %s ms median per frame', median(renderTimes).toFixed(1));
console.log('  RSS                     %s MB (%s MB before the screen opened), heap used %s MB', (memory.rss / 2 ** 20).toFixed(0), (baseline / 2 ** 20).toFixed(0), (memory.heapUsed / 2 ** 20).toFixed(0));
process.exit(0);
