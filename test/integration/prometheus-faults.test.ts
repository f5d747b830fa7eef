import type {IncomingMessage, ServerResponse} from 'node:http';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {createAlertmanagerClient} from '../../source/services/alertmanager.js';
import {createPrometheusClient} from '../../source/services/prometheus.js';
import {startHttpServer, type TestServer} from '../helpers/http.js';

/** A backend whose next answers the test chooses: a 500, garbage, a wrong shape, silence past the timeout. */
type Mode = 'ok' | '500' | 'malformed' | 'lying' | 'slow' | 'huge' | 'html-502';

describe('monitoring clients against a misbehaving backend: each fault a clear error, then recovery', () => {
	let server: TestServer;
	let mode: Mode = 'ok';
	const okAlerts = {status: 'success', data: {alerts: [{labels: {alertname: 'X', service: 's'}, annotations: {}, state: 'firing', activeAt: '2026-12-01T00:00:00Z', value: '1e+00'}]}};

	beforeAll(async () => {
		server = await startHttpServer((req: IncomingMessage, res: ServerResponse) => {
			const send = (status: number, type: string, body: string) => {
				res.writeHead(status, {'Content-Type': type});
				res.end(body);
			};
			switch (mode) {
				case 'ok':
					if (req.url?.startsWith('/api/v2/alerts')) return send(200, 'application/json', '[]');
					return send(200, 'application/json', JSON.stringify(okAlerts));
				case '500':
					return send(500, 'application/json', JSON.stringify({status: 'error', errorType: 'internal', error: 'query processing would load too many samples into memory'}));
				case 'html-502':
					return send(502, 'text/html', '<html><body>Bad Gateway</body></html>');
				case 'malformed':
					return send(200, 'application/json', '{"status":"success","data":{"alerts":[{');
				case 'lying':
					return send(200, 'application/json', JSON.stringify({status: 'success', data: {alerts: [{labels: {alertname: 7}, state: 'burning'}]}}));
				case 'huge':
					return send(200, 'application/json', JSON.stringify({status: 'success', data: {alerts: [], padding: 'x'.repeat(300_000)}}));
				case 'slow':
					// Never answers; the client's deadline has to end it.
					return;
			}
		});
	});
	afterAll(() => server?.close());

	const prometheus = () => createPrometheusClient({url: server.url, timeoutMs: 400, maxBytes: 200_000});

	it.each([
		['500', /^prometheus: \/api\/v1\/alerts: HTTP 500: query processing would load too many samples into memory$/],
		['html-502', /^prometheus: \/api\/v1\/alerts: HTTP 502: <html><body>Bad Gateway<\/body><\/html>$/],
		['malformed', /^prometheus: \/api\/v1\/alerts: malformed JSON \(HTTP 200, \d+ bytes\)$/],
		['lying', /^prometheus: \/api\/v1\/alerts: unexpected answer \(/],
		['slow', /^prometheus: \/api\/v1\/alerts: timeout after 400 ms$/],
		['huge', /^prometheus: \/api\/v1\/alerts: answer larger than/],
	] as const)('%s: a clear error, and the next answer after it is read again', async (fault, message) => {
		mode = fault;
		await expect(prometheus().alerts()).rejects.toThrow(message);
		mode = 'ok';
		expect((await prometheus().alerts()).map(a => a.labels['alertname'])).toEqual(['X']);
	});

	it('a wrong shape from Alertmanager is an error naming the field, not a crash', async () => {
		mode = 'lying';
		const client = createAlertmanagerClient({url: server.url, timeoutMs: 400});
		await expect(client.alerts()).rejects.toThrow(/^alertmanager 127\.0\.0\.1:\d+: \/api\/v2\/alerts: unexpected answer \(body: /);
		mode = 'ok';
		expect(await client.alerts()).toEqual([]);
	});
});
