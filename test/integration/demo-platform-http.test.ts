import {readFileSync} from 'node:fs';
import path from 'node:path';
import axios, {type AxiosResponse} from 'axios';
import {afterAll, beforeAll, describe, expect, it, vi} from 'vitest';
import {startDemo, type DemoDeployment} from '../../source/demo/index.js';
import {environmentSchema} from '../../source/config/schema.js';
import {parseEnvFile} from '../../source/environment.js';
import {auditFilePath, createAuditLog} from '../../source/services/audit.js';

const http = axios.create({validateStatus: () => true, timeout: 8000});

describe('demo platform HTTP endpoints', () => {
	let demo: DemoDeployment;
	const url = (service: string, path: string) => {
		const health = demo.environment.services.find(s => s.name === service)!.healthUrl!;
		return new URL(path, health).toString();
	};

	beforeAll(async () => {
		demo = await startDemo({seed: 1});
	});
	afterAll(async () => {
		await demo.stop();
		expect(process.env.BOTOPS_DEMO_ADMIN_TOKEN).toBeUndefined();
	});

	it('describes itself as a valid demo environment', () => {
		const {name, ...rest} = demo.environment;
		expect(name).toBe('demo');
		expect(environmentSchema.parse(rest)).toMatchObject({backend: {type: 'compose', project: 'bot-core', socketPath: demo.dockerSocketPath}, protected: false});
		expect(demo.environment.services.map(s => s.name)).toEqual(['rust-core-engine', 'python-ai-service', 'nextjs-ui-dashboard', 'mongodb-primary']);
		expect(demo.environment.services.filter(s => s.healthUrl).every(s => s.critical)).toBe(true);
		expect(process.env[demo.environment.adminTokenEnv!]).toBe(demo.adminToken);
	});

	it('keeps its own state directory, so demo runbook runs never reach the real audit log', () => {
		expect(path.dirname(demo.environment.stateDir!)).toBe(demo.directory);
		expect(auditFilePath({XDG_STATE_HOME: '/home/op/.local/state'}, demo.environment)).toBe(path.join(demo.directory, 'state', 'audit.jsonl'));
		expect(createAuditLog({env: {}, environment: demo.environment}).file).toBe(path.join(demo.directory, 'state', 'audit.jsonl'));
		// The .env holds what the environment names, for a botops in another process.
		const values = parseEnvFile(readFileSync(demo.environment.envFile!, 'utf8'));
		expect(values.get(demo.environment.adminTokenEnv!)).toBe(demo.adminToken);
		expect(values.get(demo.environment.mongo!.uriEnv)).toBe(process.env[demo.environment.mongo!.uriEnv]);
	});

	it('serves health bodies for the three services', async () => {
		const engine = await http.get(url('rust-core-engine', '/api/health'));
		expect(engine.status).toBe(200);
		expect(engine.data).toMatchObject({status: 'healthy', version: '1.4.2', trading_enabled: true, database: 'connected', binance: 'connected', active_symbols: ['BTCUSDT', 'ETHUSDT', 'BNBUSDT', 'SOLUSDT']});
		expect(engine.data.uptime_seconds).toBeGreaterThan(3600);
		const ai = await http.get(url('python-ai-service', '/health'));
		expect(ai.data).toMatchObject({status: 'healthy', model_loaded: true, model_version: 'lstm-v2.3'});
		expect((await http.get(url('nextjs-ui-dashboard', '/health'))).data).toEqual({status: 'ok'});
		const model = await http.get(url('python-ai-service', '/api/model/info'));
		expect(model.data).toMatchObject({model_type: 'lstm', model_version: 'lstm-v2.3'});
	});

	it('requires the admin token to disable trading, and the next health body shows it', async () => {
		const disable = url('rust-core-engine', '/api/admin/trading/disable');
		const none = await http.post(disable);
		expect(none.status).toBe(401);
		expect(none.data.error).toBe('unauthorized');
		expect((await http.post(disable, undefined, {headers: {Authorization: 'Bearer wrong'}})).status).toBe(401);
		expect((await http.get(url('rust-core-engine', '/api/health'))).data.trading_enabled).toBe(true);
		const ok = await http.post(disable, undefined, {headers: {Authorization: `Bearer ${demo.adminToken}`}});
		expect(ok.status).toBe(200);
		expect(ok.data).toMatchObject({success: true, trading_enabled: false});
		expect((await http.get(url('rust-core-engine', '/api/health'))).data.trading_enabled).toBe(false);
		// The world's tick may log a line after it: the admin line is among the newest, not necessarily the last.
		expect(demo.world.get('rust-core-engine').logs.toArray().slice(-5).map(line => line.text)).toContainEqual(expect.stringMatching(/WARN bot_core::api::admin: trading disabled via admin API remote_addr=127\.0\.0\.1/));
		await http.post(url('rust-core-engine', '/api/admin/trading/enable'), undefined, {headers: {Authorization: `Bearer ${demo.adminToken}`}});
		expect((await http.get(url('rust-core-engine', '/api/health'))).data.trading_enabled).toBe(true);
	});

	it('serves market data for configured symbols and 404s the rest', async () => {
		const btc = await http.get(url('rust-core-engine', '/api/market-data/BTCUSDT'));
		expect(btc.status).toBe(200);
		expect(btc.data.symbol).toBe('BTCUSDT');
		expect(btc.data.price).toBeGreaterThan(50_000);
		expect(btc.data.klines.length).toBe(30);
		for (const k of btc.data.klines) expect(k.high).toBeGreaterThanOrEqual(Math.max(k.open, k.close));
		const ada = await http.get(url('rust-core-engine', '/api/market-data/ADAUSDT'));
		expect(ada.status).toBe(404);
		expect(ada.data).toMatchObject({error: 'symbol not configured', symbol: 'ADAUSDT'});
	});

	it('analyzes a valid body and answers 422 like FastAPI for a bad one', async () => {
		const good = await http.post(url('python-ai-service', '/api/analyze'), {symbol: 'BTCUSDT', timeframe: '1h'});
		expect(good.status).toBe(200);
		expect(['BUY', 'SELL', 'HOLD']).toContain(good.data.signal);
		expect(good.data.confidence).toBeGreaterThan(0);
		expect(good.data.confidence).toBeLessThanOrEqual(1);
		const missing = await http.post(url('python-ai-service', '/api/analyze'), {symbol: 'BTCUSDT'});
		expect(missing.status).toBe(422);
		expect(missing.data.detail).toEqual([{type: 'missing', loc: ['body', 'timeframe'], msg: 'Field required', input: {symbol: 'BTCUSDT'}}]);
		const garbage = await http.post(url('python-ai-service', '/api/analyze'), '{nope', {headers: {'Content-Type': 'application/json'}, transformRequest: [(d: unknown) => d]});
		expect(garbage.status).toBe(422);
		expect(garbage.data.detail[0].type).toBe('json_invalid');
	});

	it('refuses connections while a container is stopped, and keeps its port after start', async () => {
		const health = url('nextjs-ui-dashboard', '/health');
		demo.world.stopContainer(demo.world.get('nextjs-ui-dashboard'));
		await vi.waitFor(async () => {
			const error = await http.get(health).catch((e: {code?: string}) => e);
			expect((error as {code?: string}).code).toBe('ECONNREFUSED');
		});
		demo.world.startContainer(demo.world.get('nextjs-ui-dashboard'));
		// The same URL, so the same port, answers again.
		await vi.waitFor(async () => expect((await http.get(health).catch(() => ({status: 0}))).status).toBe(200));
	});
});

describe('demo scenarios over HTTP', () => {
	// How slow is a figure for bench/demo-http.ts; the test checks the order of answers, which no load changes.
	// Eight engine answers take at least 40 ms, as long as the slowest normal AI answer, and far less than a slow one.
	it('ai-slow: the AI service answers healthy, but only after eight engine answers asked after it', async () => {
		const demo = await startDemo({scenario: 'ai-slow'});
		try {
			const health = (name: string) => demo.environment.services.find(s => s.name === name)!.healthUrl!;
			let aiAnswered = false;
			const ai = http.get(health('python-ai-service')).then((res: AxiosResponse) => ((aiAnswered = true), res));
			for (let i = 0; i < 8; i++) expect((await http.get(health('rust-core-engine'))).status).toBe(200);
			expect(aiAnswered).toBe(false);
			const res = await ai;
			expect(res.status).toBe(200);
			expect(res.data).toMatchObject({status: 'healthy'});
		} finally {
			await demo.stop();
		}
	});

	it('mongo-down: the engine is up but answers 503 with the database disconnected', async () => {
		const demo = await startDemo({scenario: 'mongo-down'});
		try {
			const res = await http.get(demo.environment.services[0].healthUrl!);
			expect(res.status).toBe(503);
			expect(res.data).toMatchObject({status: 'unhealthy', database: 'disconnected'});
			expect(res.data.reason).toMatch(/database disconnected/);
		} finally {
			await demo.stop();
		}
	});

	it('rejects an unknown scenario before starting anything', async () => {
		await expect(startDemo({scenario: 'nope'})).rejects.toThrow(/unknown demo scenario "nope" \(known: healthy, engine-crashloop, ai-latency-spike, mongo-replication-lag, disk-pressure, mongo-down, bad-deploy\)/);
	});
});
