import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {createDockerService, maxResponseBytes} from '../../source/services/docker.js';
import {startHttpServer, type TestServer} from '../helpers/http.js';

/** An exec whose command prints without end (a runbook's docker.exec step): botops stops reading at the cap. */
describe('docker exec against an engine that streams without end', () => {
	let server: TestServer;
	let written = 0;
	let hangUp: () => void;
	/** Resolves when botops closed the output stream (the server sees it a moment after botops gave up). */
	const hungUp = new Promise<void>(resolve => (hangUp = resolve));

	beforeAll(async () => {
		server = await startHttpServer((req, res) => {
			const url = req.url ?? '';
			if (req.method === 'POST' && /\/containers\/[^/]+\/exec$/.test(url.split('?')[0]!)) {
				res.writeHead(201, {'content-type': 'application/json'});
				res.end('{"Id": "exec-1"}');
				return;
			}
			if (req.method === 'POST' && url.startsWith('/exec/exec-1/start')) {
				res.writeHead(200, {'content-type': 'application/vnd.docker.multiplexed-stream'});
				// stdout frames of 64 KiB, forever, as fast as the client reads.
				const payload = Buffer.alloc(64 * 1024, 'y');
				const header = Buffer.alloc(8);
				header[0] = 1;
				header.writeUInt32BE(payload.length, 4);
				const frame = Buffer.concat([header, payload]);
				let closed = false;
				res.once('close', () => {
					closed = true;
					hangUp();
				});
				const pump = () => {
					while (!closed) {
						written += frame.length;
						if (!res.write(frame)) return void res.once('drain', pump);
					}
				};
				pump();
				return;
			}
			res.writeHead(200, {'content-type': 'application/json'});
			res.end('{"ExitCode": 0}');
		});
	});

	afterAll(async () => {
		await server?.close();
	});

	it('fails the call with the cap in words and hangs up, instead of buffering the output', async () => {
		const docker = createDockerService({host: `tcp://127.0.0.1:${server.port}`, project: 'p', timeoutMs: 2000, execTimeoutMs: 60_000});
		await expect(docker.exec('db', ['cat', '/dev/zero'])).rejects.toThrow(`docker: exec output of cat over ${maxResponseBytes / 1024 / 1024} MB, not read`);
		await hungUp;
		expect(written).toBeGreaterThan(maxResponseBytes);
		docker.close();
	});
});
