import {describe, expect, it} from 'vitest';
import {silencePolicyFor} from '../../source/alerts/silence-guard.js';
import {ConfigError, selectEnvironment} from '../../source/config/loader.js';
import {parseConfig} from '../../source/config/parse.js';
import {alertmanagerUrls} from '../../source/services/alertmanager.js';
import {defaultServiceQueries, prometheusSettings, serviceQuery} from '../../source/services/prometheus.js';

const config = (monitoring: string) => `
defaultEnvironment: production
environments:
  production:
    backend: {type: kubernetes}
    services: [{name: rust-core-engine}]
${monitoring
	.split('\n')
	.map(line => `    ${line}`)
	.join('\n')}
`;

function environment(monitoring: string) {
	return selectEnvironment(parseConfig(config(monitoring), '/etc/botops.yaml'), 'production');
}

function errorOf(monitoring: string): string {
	try {
		parseConfig(config(monitoring), '/etc/botops.yaml');
	} catch (error) {
		expect(error).toBeInstanceOf(ConfigError);
		return (error as Error).message;
	}
	throw new Error('expected a ConfigError');
}

describe('monitoring config', () => {
	it('keeps the older prometheusUrl and alertmanagerUrl working', () => {
		const env = environment('prometheusUrl: http://prom:9090\nalertmanagerUrl: http://am:9093');
		expect(prometheusSettings(env)).toEqual({url: 'http://prom:9090', queries: defaultServiceQueries});
		expect(alertmanagerUrls(env)).toEqual(['http://am:9093']);
		expect(silencePolicyFor(env)).toEqual({maxAlerts: 10, maxDurationMs: 7_200_000, serviceLabel: 'service'});
	});

	it('takes prometheus.url and per-environment queries, and an Alertmanager HA pair', () => {
		const env = environment(
			[
				'prometheus:',
				'  url: http://prom:9090',
				'  queries: {p95: "histogram_quantile(0.95, sum by (le) (rate(latency_bucket{app=\\"$service\\"}[1m])))"}',
				'alertmanagerUrls: [http://am-0:9093, http://am-1:9093]',
				'alertmanagerUrl: http://am-0:9093',
				'silences: {maxDuration: 4h, maxAlerts: 3}',
			].join('\n'),
		);
		const settings = prometheusSettings(env)!;
		expect(settings.queries.requestRate).toBe(defaultServiceQueries.requestRate);
		expect(serviceQuery(settings.queries.p95, 'rust-core-engine')).toBe('histogram_quantile(0.95, sum by (le) (rate(latency_bucket{app="rust-core-engine"}[1m])))');
		expect(alertmanagerUrls(env)).toEqual(['http://am-0:9093', 'http://am-1:9093']);
		expect(silencePolicyFor(env)).toMatchObject({maxAlerts: 3, maxDurationMs: 4 * 3_600_000});
	});

	it('says what is wrong with a bad entry', () => {
		expect(errorOf('alertmanagerUrls: [am-0:9093]')).toMatch(/alertmanagerUrls/);
		expect(errorOf('prometheus: {queries: {latency: "x"}}')).toMatch(/latency/);
		expect(errorOf('silences: {maxDuration: 2 hours}')).toMatch(/a duration like 2h or 90m/);
	});

	it('has no Prometheus when none is configured', () => {
		expect(prometheusSettings(environment('protected: true'))).toBeUndefined();
		expect(alertmanagerUrls(environment('protected: true'))).toEqual([]);
	});
});
