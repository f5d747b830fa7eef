/**
 * The manual's severity levels (§8.2): what each means and how soon it must be answered. The response time is
 * the target the header counts against; P3 has none in minutes ("next business day").
 */
export const severities = ['P0', 'P1', 'P2', 'P3'] as const;

export type Severity = (typeof severities)[number];

export type SeverityLevel = {
	severity: Severity;
	name: string;
	description: string;
	/** The manual's wording of the response time. */
	responseTime: string;
	/** The same in ms; undefined for "next business day", which no clock counts down to. */
	responseMs?: number;
	examples: string;
};

const minute = 60_000;

export const severityLevels: Readonly<Record<Severity, SeverityLevel>> = {
	P0: {severity: 'P0', name: 'Critical', description: 'Complete outage', responseTime: '15 minutes', responseMs: 15 * minute, examples: 'Service down, data loss'},
	P1: {severity: 'P1', name: 'High', description: 'Major degradation', responseTime: '30 minutes', responseMs: 30 * minute, examples: 'High error rate, slow response'},
	P2: {severity: 'P2', name: 'Medium', description: 'Partial degradation', responseTime: '2 hours', responseMs: 120 * minute, examples: 'Single feature broken'},
	P3: {severity: 'P3', name: 'Low', description: 'Minor issue', responseTime: 'Next business day', examples: 'UI bug, logging issue'},
};

export function isSeverity(value: string): value is Severity {
	return (severities as readonly string[]).includes(value);
}

/** `p1` and `P1` both name P1; anything else is undefined (the caller says what was expected). */
export function parseSeverity(value: string): Severity | undefined {
	const upper = value.trim().toUpperCase();
	return isSeverity(upper) ? upper : undefined;
}

/** The target in the header's short form: "15m", "30m", "2h", "next bd". */
export function responseTargetText(severity: Severity): string {
	const ms = severityLevels[severity].responseMs;
	if (ms === undefined) return 'next bd';
	return ms % (60 * minute) === 0 ? `${ms / (60 * minute)}h` : `${ms / minute}m`;
}
