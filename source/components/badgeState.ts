import type {Theme, ThemeToken} from '../theme/theme.js';

export type StateTone = Extract<ThemeToken, 'ok' | 'warn' | 'crit' | 'muted'>;

// Docker states and health, Kubernetes phases and reasons, health checks and alert states, lower-cased.
const tones: Record<string, StateTone> = {
	running: 'ok',
	healthy: 'ok',
	up: 'ok',
	ok: 'ok',
	ready: 'ok',
	active: 'ok',
	available: 'ok',
	succeeded: 'ok',
	passing: 'ok',
	resolved: 'ok',
	enabled: 'ok',
	starting: 'warn',
	restarting: 'warn',
	created: 'warn',
	paused: 'warn',
	pending: 'warn',
	removing: 'warn',
	progressing: 'warn',
	terminating: 'warn',
	containercreating: 'warn',
	degraded: 'warn',
	slow: 'warn',
	recover: 'warn',
	recovering: 'warn',
	warning: 'warn',
	suppressed: 'warn',
	silenced: 'warn',
	disabled: 'warn',
	exited: 'crit',
	unhealthy: 'crit',
	down: 'crit',
	dead: 'crit',
	failed: 'crit',
	error: 'crit',
	crashloopbackoff: 'crit',
	imagepullbackoff: 'crit',
	errimagepull: 'crit',
	oomkilled: 'crit',
	evicted: 'crit',
	firing: 'crit',
	critical: 'crit',
	stopped: 'crit',
	unreachable: 'crit',
	timeout: 'crit',
	missing: 'crit',
	none: 'muted',
	unknown: 'muted',
};

/** The tone of a state word; unknown words are muted rather than guessed. */
export function stateTone(state: string): StateTone {
	return tones[state.toLowerCase()] ?? 'muted';
}

/** "● running" / "X exited" (ascii): glyph shapes differ per tone so the state reads without colour. */
export function badgeText(state: string, theme: Theme, tone: StateTone = stateTone(state)): string {
	return `${theme.glyph.status[tone]} ${state}`;
}
