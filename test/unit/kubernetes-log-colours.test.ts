import {describe, expect, it} from 'vitest';
import {makeRecord} from '../../source/logs/record.js';
import {serviceColour} from '../../source/screens/logs/colours.js';
import {recordLines} from '../../source/screens/logs/lines.js';

describe('log colours per pod', () => {
	it('a record with an instance takes that instance colour; without one, its service colour; none under NO_COLOR', () => {
		// Pod names whose colours differ (the palette has eight colours): found, not assumed.
		const pods = Array.from({length: 20}, (_, i) => `rust-core-engine-7688d5dcfd-p${i}`);
		const a = pods[0]!;
		const b = pods.find(pod => serviceColour('rust-core-engine', false, pod) !== serviceColour('rust-core-engine', false, a))!;
		expect(b).toBeDefined();
		expect(serviceColour('rust-core-engine', false, a)).toBe(serviceColour('other-service', false, a));
		expect(serviceColour('rust-core-engine', false)).toBe(serviceColour('rust-core-engine', false, undefined));
		expect(serviceColour('rust-core-engine', true, a)).toBeUndefined();

		const layout = {width: 80, serviceWidth: 16, timestamps: false, wrap: false, pretty: false, ellipsis: '…', serviceColour: (service: string, instance?: string) => serviceColour(service, false, instance)};
		const colourOf = (instance: string | undefined) => recordLines(makeRecord(0, 'rust-core-engine', 'stdout', 'info', 'hello', false, false, instance), layout, 1)[0]!.spans.find(span => span.text.startsWith('rust-core-engine'))!.colour;
		expect(colourOf(a)).toBe(serviceColour('', false, a));
		expect(colourOf(b)).toBe(serviceColour('', false, b));
		expect(colourOf(a)).not.toBe(colourOf(b));
		expect(colourOf(undefined)).toBe(serviceColour('rust-core-engine', false));
	});
});
