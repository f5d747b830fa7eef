import {afterEach, describe, expect, it} from 'vitest';
import {createHealthProber} from '../../source/services/health.js';
import {closedPort, reply, startHttpServer, type TestServer} from '../helpers/http.js';

const servers: TestServer[] = [];

async function serve(handler: Parameters<typeof startHttpServer>[0]): Promise<TestServer> {
	const server = await startHttpServer(handler);
	servers.push(server);
	return server;
}

afterEach(async () => {
	await Promise.all(servers.splice(0).map(server => server.close()));
});

describe('health prober', () => {
	const prober = createHealthProber({timeoutMs: 3000});

	it('reports a healthy JSON endpoint with status, latency and its top-level fields', async () => {
		const server = await serve(reply(200, 'application/json; charset=utf-8', JSON.stringify({status: 'healthy', uptime: 42, deps: {mongo: 'ok'}})));
		const before = Date.now();
		const result = await prober.probe('rust', `${server.url}/api/health`);
		expect(result).toMatchObject({service: 'rust', url: `${server.url}/api/health`, ok: true, status: 200});
		expect(result.error).toBeUndefined();
		expect(result.body).toEqual({status: 'healthy', uptime: 42, deps: {mongo: 'ok'}});
		expect(result.latencyMs).toBeGreaterThanOrEqual(0);
		expect(Number.isFinite(result.latencyMs)).toBe(true);
		expect(result.at).toBeGreaterThanOrEqual(before);
	});

	it('treats a plain-text 200 as healthy without a body', async () => {
		const server = await serve(reply(200, 'text/plain', 'OK'));
		const result = await prober.probe('frontend', `${server.url}/health`);
		expect(result.ok).toBe(true);
		expect(result.status).toBe(200);
		expect(result.body).toBeUndefined();
		expect(result.error).toBeUndefined();
	});

	it('keeps only JSON objects as body (an array is not one)', async () => {
		const server = await serve(reply(200, 'application/json', '[1,2,3]'));
		const result = await prober.probe('x', server.url);
		expect(result.ok).toBe(true);
		expect(result.body).toBeUndefined();
	});

	it('reads 503 as not ok with "HTTP 503" and keeps the body', async () => {
		const server = await serve(reply(503, 'application/json', JSON.stringify({status: 'degraded', mongo: 'down'})));
		const result = await prober.probe('python', `${server.url}/health`);
		expect(result.ok).toBe(false);
		expect(result.status).toBe(503);
		expect(result.error).toBe('HTTP 503');
		expect(result.body).toEqual({status: 'degraded', mongo: 'down'});
	});

	it('reports malformed JSON under a JSON content type but keeps status and latency', async () => {
		const server = await serve(reply(200, 'application/json', '{"status": "ok",'));
		const url = `${server.url}/api/health`;
		const result = await prober.probe('rust', url);
		expect(result.ok).toBe(false);
		expect(result.status).toBe(200);
		expect(result.error?.startsWith(`malformed JSON from ${url}: `)).toBe(true);
		expect(result.error?.length).toBeGreaterThan(`malformed JSON from ${url}: `.length);
		expect(result.body).toBeUndefined();
		expect(Number.isFinite(result.latencyMs)).toBe(true);
	});

	it('times out a hanging endpoint with the configured deadline', async () => {
		const server = await serve(() => {
			// Never answers.
		});
		const quick = createHealthProber({timeoutMs: 300});
		const result = await quick.probe('rust', `${server.url}/api/health`);
		expect(result.ok).toBe(false);
		expect(result.status).toBeUndefined();
		expect(result.error).toBe('timeout after 300 ms');
	});

	it('times out an endpoint that sends headers and then trickles the body', async () => {
		const server = await serve((_req, res) => {
			res.writeHead(200, {'content-type': 'application/json'});
			res.write('{');
		});
		const result = await createHealthProber({timeoutMs: 300}).probe('rust', server.url);
		expect(result.ok).toBe(false);
		expect(result.error).toBe('timeout after 300 ms');
	});

	it('reports a refused connection as the system error', async () => {
		const port = await closedPort();
		const result = await prober.probe('rust', `http://127.0.0.1:${port}/api/health`);
		expect(result.ok).toBe(false);
		expect(result.status).toBeUndefined();
		expect(result.error).toBe(`connect ECONNREFUSED 127.0.0.1:${port}`);
	});

	it('reports a refused connection to "localhost" (both address families fail) without an empty message', async () => {
		const port = await closedPort();
		const result = await prober.probe('rust', `http://localhost:${port}/`);
		expect(result.ok).toBe(false);
		expect(result.error).toMatch(new RegExp(`^connect ECONNREFUSED (127\\.0\\.0\\.1|::1):${port}$`));
	});

	it('never throws, even for a URL that cannot be parsed, and masks credentials in the URL', async () => {
		const bad = await prober.probe('x', 'not a url');
		expect(bad.ok).toBe(false);
		expect(bad.error).toBeTruthy();
		const server = await serve(reply(500, 'text/plain', 'boom'));
		const withSecret = server.url.replace('http://', 'http://admin:hunter2@');
		const result = await prober.probe('x', withSecret);
		expect(result.error).toBe('HTTP 500');
		expect(result.url).not.toContain('hunter2');
		expect(JSON.stringify(result)).not.toContain('hunter2');
	});
});
