import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startDemo, type DemoDeployment} from '../../source/demo/index.js';
import {createAlertmanagerClient} from '../../source/services/alertmanager.js';
import {createPrometheusClient, type PrometheusClient} from '../../source/services/prometheus.js';
import {eventually} from '../helpers/docker.js';
import {closedPort} from '../helpers/http.js';
import {monitoringForTests, startAlertmanager, startPrometheus, type RunningServer} from '../helpers/prometheus.js';

const availability = monitoringForTests();

/** Alerts that fire at once (a target that is down, the demo services up) and one that stays pending (for: 1h). */
const rules = `groups:
- name: botops-test
  rules:
  - alert: TargetMissing
    expr: up{job="missing"} == 0
    labels: {severity: critical, service: missing}
    annotations: {summary: "target {{ $labels.job }} is down"}
  - alert: ServiceScraped
    expr: label_replace(up{job=~"rust-core-engine|python-ai-service"} == 1, "service", "$1", "job", "(.*)")
    labels: {severity: info}
  - alert: StaysPending
    expr: vector(1)
    for: 1h
    labels: {severity: warning, service: never}
`;

async function raw(url: string): Promise<any> {
	const response = await fetch(url, {signal: AbortSignal.timeout(3000)});
	return response.json();
}

describe.skipIf(!availability.available)(`Prometheus service against the real Prometheus scraping the demo${availability.reason ? ` (skipped: ${availability.reason})` : ''}`, () => {
	let demo: DemoDeployment;
	let alertmanager: RunningServer;
	let prometheus: RunningServer;
	let client: PrometheusClient;
	const services = ['rust-core-engine', 'python-ai-service', 'nextjs-ui-dashboard'];

	beforeAll(async () => {
		demo = await startDemo();
		alertmanager = await startAlertmanager();
		const missing = await closedPort();
		prometheus = await startPrometheus({
			jobs: [...services.map(service => ({job: service, targets: [new URL(demo.environment.services.find(s => s.name === service)!.healthUrl!).host]})), {job: 'missing', targets: [`127.0.0.1:${missing}`]}],
			rules,
			alertmanagers: [alertmanager.url],
		});
		client = createPrometheusClient({url: prometheus.url, timeoutMs: 3000});
		await eventually(async () => ((await client.alerts()).filter(a => a.state === 'firing').length >= 3 ? true : undefined), {timeoutMs: 20_000, what: 'three firing alerts'});
	});
	afterAll(async () => {
		await prometheus?.dispose();
		await alertmanager?.dispose();
		await demo?.stop();
	});

	it('reads the same alerts as the API answers: firing ones with labels and activeAt, the long for: one pending', async () => {
		const alerts = await client.alerts();
		const answer = await raw(`${prometheus.url}/api/v1/alerts`);
		expect(alerts.map(a => a.labels).sort(byJson)).toEqual(answer.data.alerts.map((a: {labels: unknown}) => a.labels).sort(byJson));
		const byName = (name: string) => alerts.filter(a => a.labels['alertname'] === name);
		expect(byName('TargetMissing')).toEqual([expect.objectContaining({state: 'firing', annotations: {summary: 'target missing is down'}, activeAt: expect.stringMatching(/^\d{4}-/)})]);
		expect(byName('ServiceScraped').map(a => a.labels['service']).sort()).toEqual(['python-ai-service', 'rust-core-engine']);
		expect(byName('StaysPending')).toEqual([expect.objectContaining({state: 'pending'})]);
	});

	it('reads targets per job: the demo services up after a scrape, the missing one down with its error', async () => {
		const targets = await eventually(async () => {
			const list = await client.targets();
			return list.filter(t => t.health === 'up').length === 3 ? list : undefined;
		}, {what: 'three targets up'});
		expect(targets.map(t => t.job).sort()).toEqual([...services, 'missing'].sort());
		const missing = targets.find(t => t.job === 'missing')!;
		expect(missing.health).toBe('down');
		expect(missing.lastError).toMatch(/connection refused/);
		expect(Date.parse(missing.lastScrape)).toBeGreaterThan(Date.now() - 60_000);
	});

	it('reads rules with their for: duration and state', async () => {
		const rulesRead = await client.rules();
		expect(rulesRead.map(r => [r.name, r.type, r.duration]).sort()).toEqual([
			['ServiceScraped', 'alerting', 0],
			['StaysPending', 'alerting', 3600],
			['TargetMissing', 'alerting', 0],
		]);
		expect(rulesRead.find(r => r.name === 'StaysPending')!.state).toBe('pending');
		expect(rulesRead.find(r => r.name === 'TargetMissing')!.alerts[0].state).toBe('firing');
	});

	it('the demo metrics are scraped: request rate, error rate and p95 per service, the same as the raw query', async () => {
		const metrics = await eventually(async () => {
			const list = await client.serviceMetrics(['rust-core-engine']);
			return list[0].requestRate !== undefined && list[0].p95Seconds !== undefined ? list[0] : undefined;
		}, {timeoutMs: 20_000, what: 'a request rate and a p95 for rust-core-engine'});
		expect(metrics.requestRate).toBeGreaterThan(0);
		expect(metrics.p95Seconds).toBeGreaterThan(0);
		expect(metrics.p95Seconds).toBeLessThan(0.5);
		expect(metrics.errorRate).toBe(0);
		const time = new Date();
		const [sample] = await client.query('sum(rate(http_requests_total{job="rust-core-engine"}[5m]))', time);
		const answer = await raw(`${prometheus.url}/api/v1/query?query=${encodeURIComponent('sum(rate(http_requests_total{job="rust-core-engine"}[5m]))')}&time=${time.getTime() / 1000}`);
		expect(sample.value).toBe(Number(answer.data.result[0].value[1]));
		const up = await client.query('up');
		expect(up.filter(s => s.value === 1).map(s => s.metric['job']).sort()).toEqual(services.sort());
		const series = await eventually(async () => {
			const answer = await client.serviceSeries('rust-core-engine', 'requestRate', {start: new Date(Date.now() - 30_000), end: new Date(), stepSeconds: 1});
			return answer.length === 1 && answer[0].points.length > 1 ? answer : undefined;
		}, {timeoutMs: 20_000, what: 'a range of request rates'});
		expect(series[0].points.every(p => p.value > 0)).toBe(true);
	});

	it('an invalid query is the server\'s error message', async () => {
		await expect(client.query('sum(')).rejects.toThrow(/^prometheus: \/api\/v1\/query: HTTP 400: .*parse error/);
	});

	it('the alerts reach the real Alertmanager (resend every second)', async () => {
		const am = createAlertmanagerClient({url: alertmanager.url, timeoutMs: 3000});
		const alerts = await eventually(async () => {
			const list = await am.alerts();
			return list.some(a => a.labels['alertname'] === 'TargetMissing') ? list : undefined;
		}, {timeoutMs: 20_000, what: 'TargetMissing in Alertmanager'});
		expect(alerts.find(a => a.labels['alertname'] === 'TargetMissing')!.generatorURL).toMatch(/\/graph\?g0\.expr=/);
		expect(alerts.some(a => a.labels['alertname'] === 'StaysPending')).toBe(false);
	});

	it('Prometheus stopped mid-refresh is a clear error, and the next refresh after it is back succeeds', async () => {
		const refresh = Promise.allSettled([client.alerts(), client.targets(), client.rules()]);
		await prometheus.stop();
		const results = await refresh;
		await expect(client.alerts()).rejects.toThrow(/^prometheus: \/api\/v1\/alerts: connect ECONNREFUSED 127\.0\.0\.1:\d+$/);
		for (const result of results) if (result.status === 'rejected') expect(String(result.reason.message)).toMatch(/^prometheus: /);
		await prometheus.restart();
		// Its rules are evaluated again from the restart on: the pending alert comes back at their first evaluation.
		const alerts = await eventually(async () => {
			const list = await client.alerts();
			return list.some(a => a.labels['alertname'] === 'StaysPending') ? list : undefined;
		}, {timeoutMs: 20_000, what: 'StaysPending after the restart'});
		expect(alerts.find(a => a.labels['alertname'] === 'StaysPending')?.state).toBe('pending');
	});
});

function byJson(a: unknown, b: unknown): number {
	return JSON.stringify(a).localeCompare(JSON.stringify(b));
}
