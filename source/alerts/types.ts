/** What botops knows about alerts and silences, whichever server (Prometheus, Alertmanager, the demo) said it. */
import type {Labels, Matcher} from './matchers.js';

export type {Labels, Matcher} from './matchers.js';

/** An alert as Alertmanager's v2 API reports it. */
export type AmAlert = {
	fingerprint: string;
	labels: Labels;
	annotations: Labels;
	startsAt: string;
	endsAt: string;
	updatedAt: string;
	generatorURL?: string;
	receivers: string[];
	state: 'active' | 'suppressed' | 'unprocessed';
	silencedBy: string[];
	inhibitedBy: string[];
};

/** One alert seen by one or more Alertmanagers of an HA pair, shown once. */
export type MergedAlert = AmAlert & {
	/** The Alertmanager URLs that reported it, in configuration order. */
	sources: string[];
};

export type SilenceState = 'active' | 'pending' | 'expired';

export type Silence = {
	id: string;
	matchers: Matcher[];
	startsAt: string;
	endsAt: string;
	updatedAt: string;
	createdBy: string;
	comment: string;
	state: SilenceState;
};

/** An alert as Prometheus's /api/v1/alerts reports it (rule evaluation, before Alertmanager). */
export type PromAlert = {
	labels: Labels;
	annotations: Labels;
	state: 'firing' | 'pending' | 'inactive';
	activeAt?: string;
	value?: string;
};
