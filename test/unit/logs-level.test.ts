import {readdirSync, readFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {describe, expect, it} from 'vitest';
import {detectJsonLevel, detectTextLevel, levelFromNumber, levelFromWord} from '../../source/logs/level.js';
import {parseLine} from '../../source/logs/parse.js';

const directory = fileURLToPath(new URL('../fixtures/logs/levels/', import.meta.url));

/** Each fixture line is "<expected level><TAB><a real log line of that format>". */
function samples(file: string): Array<{expected: string; line: string}> {
	return readFileSync(directory + file, 'utf8')
		.split('\n')
		.filter(line => line !== '')
		.map(line => {
			const tab = line.indexOf('\t');
			return {expected: line.slice(0, tab), line: line.slice(tab + 1)};
		});
}

describe('level detection on real samples', () => {
	const files = readdirSync(directory).filter(file => file.endsWith('.txt'));

	it('has a fixture for every format the issue lists', () => {
		expect(files.sort()).toEqual(
			[
				'ansi',
				'compose',
				'docker-desktop',
				'docker-json-file',
				'go-json',
				'grafana-2',
				'klog',
				'kubectl-prefix',
				'log15',
				'logfmt',
				'logrus',
				'minikube',
				'mongodb',
				'mongodb-legacy',
				'nextjs',
				'nextjs-legacy',
				'nginx',
				'nginx-entrypoint',
				'python-logging',
				'redis',
				'rust-env-logger',
				'rust-tracing',
				'swarm',
				'syslog',
				'uvicorn',
				'zap-console',
			]
				.map(name => `${name}.txt`)
				.sort(),
		);
	});

	for (const file of files) {
		describe(file, () => {
			for (const {expected, line} of samples(file)) {
				it(`${expected}: ${line.slice(0, 70)}`, () => {
					expect(parseLine({stream: 'stdout', text: line}, 'svc', 0).level).toBe(expected);
				});
			}
		});
	}
});

describe('level words and numbers', () => {
	it('maps Grafana short forms and syslog names', () => {
		expect(levelFromWord('eror')).toBe('error');
		expect(levelFromWord('dbug')).toBe('debug');
		expect(levelFromWord('crit')).toBe('fatal');
		expect(levelFromWord('Warning')).toBe('warn');
		expect(levelFromWord('INFO-4')).toBe('info');
		expect(levelFromWord('banana')).toBe('unknown');
	});

	it('maps pino/bunyan numbers', () => {
		expect([10, 20, 30, 40, 50, 60].map(levelFromNumber)).toEqual(['trace', 'debug', 'info', 'warn', 'error', 'fatal']);
	});

	it('reads MongoDB "s" only when it is a severity letter', () => {
		expect(detectJsonLevel({s: 'W'})).toBe('warn');
		expect(detectJsonLevel({s: 'D3'})).toBe('debug');
		expect(detectJsonLevel({s: 'hello'})).toBe('unknown');
	});

	it('prefers the logfmt level over a level word inside the message', () => {
		expect(detectTextLevel('ts=x level=info msg="counted ERROR lines" n=3')).toBe('info');
	});

	it('does not take prose or identifiers for levels', () => {
		expect(detectTextLevel('processed 12 orders, no errors')).toBe('unknown');
		expect(detectTextLevel('ERR_CONNECTION_RESET while fetching')).toBe('unknown');
		expect(detectTextLevel('INFORMATION_SCHEMA queried')).toBe('unknown');
	});
});
