import {describe, expect, it} from 'vitest';
import {z} from 'zod';
import {alertSchema, gettableAlerts, toAlert} from '../../source/services/alertmanager.js';

const good = {
	annotations: {summary: 's'},
	endsAt: '2026-12-01T11:00:00.000Z',
	fingerprint: '0123456789abcdef',
	receivers: [{name: 'oncall'}],
	startsAt: '2026-12-01T10:00:00.000Z',
	status: {inhibitedBy: [], silencedBy: ['s-1'], state: 'suppressed'},
	updatedAt: '2026-12-01T10:00:01.000Z',
	generatorURL: 'http://prom/graph',
	labels: {alertname: 'X', service: 'y'},
};

const zodCheck = {safeParse: (value: unknown) => z.array(alertSchema).safeParse(value)};

describe('the hand-written alert list check agrees with the zod schema', () => {
	it('reads a valid list to the same alerts', () => {
		const minimal = {...good, annotations: undefined, receivers: undefined, generatorURL: undefined, status: {state: 'active', silencedBy: null, inhibitedBy: null}};
		const hand = gettableAlerts.safeParse([good, minimal]);
		const reference = zodCheck.safeParse([good, minimal]);
		expect(hand.success && reference.success).toBe(true);
		if (hand.success && reference.success) expect(hand.data).toEqual(reference.data.map(toAlert));
	});

	it.each([
		['not a list', {alerts: []}],
		['a label value that is not a string', [{...good, labels: {alertname: 7}}]],
		['an unknown state', [{...good, status: {...good.status, state: 'burning'}}]],
		['no fingerprint', [{...good, fingerprint: undefined}]],
		['silencedBy not ids', [{...good, status: {...good.status, silencedBy: [1]}}]],
		['receivers without names', [{...good, receivers: ['oncall']}]],
		['no status', [{...good, status: undefined}]],
	])('both refuse %s', (_what, value) => {
		expect(gettableAlerts.safeParse(value).success).toBe(false);
		expect(zodCheck.safeParse(value).success).toBe(false);
	});
});
