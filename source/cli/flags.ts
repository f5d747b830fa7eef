import {acceptedScenarioNames, knownScenarios} from '../demo/scenarios.js';
import {sinceProblem} from '../logs/time.js';

/** More lines than any log view keeps (logBufferLines); Docker would be asked for a number it cannot parse beyond int64. */
const maxTailLines = 1_000_000;

/**
 * Every flag any command takes, declared once: its value type, the placeholder and text of the help, and the check
 * of its value. A command lists the names it takes (commands.ts); parsing, validation and help come from here.
 * A new flag is one entry here and its name in the commands that take it.
 */
export type FlagSpec = {
	type: 'boolean' | 'string' | 'number';
	/** Repeatable: the values are collected into a list. */
	multiple?: true;
	/** Of a repeatable flag: what must not repeat (the NAME of `--param NAME=VALUE`); a repeat is an error, not a silent last-wins. */
	keyOf?: (value: string) => string;
	/** The value's name in the help (`--env NAME`). */
	placeholder?: string;
	short?: string;
	description: string;
	/** Why the value is wrong, in plain words, or undefined when it is fine. */
	check?: (value: never) => string | undefined;
};

export const flagSpecs = {
	// Global: environment and presentation.
	env: {type: 'string', placeholder: 'NAME', description: 'environment from the config ("demo" is built in)'},
	config: {type: 'string', placeholder: 'FILE', description: 'config file (default $BOTOPS_CONFIG, then $XDG_CONFIG_HOME/botops/config.yaml)'},
	refresh: {
		type: 'number',
		placeholder: 'SECONDS',
		description: 'refresh interval (default 2)',
		check: (value: number) => (value >= 0.5 && value <= 300 ? undefined : `expected seconds between 0.5 and 300, got ${value}`),
	},
	readOnly: {type: 'boolean', description: 'refuse every mutating action (war-room screens)'},
	warRoom: {type: 'boolean', description: 'war-room mode: read-only (the runbook engine refuses every run) and the all-panes War room screen'},
	noColor: {type: 'boolean', description: 'no colour (NO_COLOR is honoured too)'},
	ascii: {type: 'boolean', description: 'ASCII glyphs only'},
	scenario: {
		type: 'string',
		placeholder: 'NAME',
		description: `demo incident drill: ${knownScenarios.join(', ')} (list: what each does and the runbook that resolves it)`,
		check: (value: string) =>
			value === 'list' || acceptedScenarioNames.includes(value) ? undefined : `unknown demo scenario "${value}"; known: ${knownScenarios.join(', ')}`,
	},
	help: {type: 'boolean', short: 'h', description: 'this help'},
	version: {type: 'boolean', description: "botops' version"},
	// demo
	serve: {type: 'boolean', description: 'run the demo deployment without the dashboard and print its endpoints as one JSON line'},
	k8s: {type: 'boolean', description: 'with --serve: also serve the demo as a Kubernetes API (its kubeconfig in the JSON line)'},
	// status, logs
	json: {type: 'boolean', description: 'machine-readable output'},
	// logs
	service: {type: 'string', multiple: true, keyOf: (value: string) => value, placeholder: 'NAME', description: 'only this service (repeatable)'},
	grep: {type: 'string', placeholder: 'RE', description: 'only lines matching the regular expression'},
	exclude: {type: 'string', placeholder: 'RE', description: 'drop lines matching the regular expression'},
	level: {type: 'string', placeholder: 'LEVEL', description: 'minimum level: trace, debug, info, warn, error, fatal'},
	since: {
		type: 'string',
		placeholder: 'WHEN',
		description: 'from this long ago (30s, 5m, 1h, 2d) or this ISO time on',
		check: (value: string) => sinceProblem(value),
	},
	tail: {
		type: 'number',
		placeholder: 'N',
		description: 'the last N lines of each service',
		check: (value: number) =>
			Number.isInteger(value) && value >= 0 && value <= maxTailLines ? undefined : `expected a whole number of lines from 0 to ${maxTailLines.toLocaleString('en-US')}, got ${value}`,
	},
	follow: {type: 'boolean', description: 'keep printing new lines until ctrl-c'},
	previous: {type: 'boolean', description: "each container's previous run: a crashed container's log before its restart (Kubernetes)"},
	file: {type: 'string', placeholder: 'PATH', description: 'read saved logs from a file'},
	stdin: {type: 'boolean', description: 'read saved logs from stdin (kubectl logs ... | botops logs --stdin)'},
	tui: {type: 'boolean', description: 'open the Logs screen instead of printing'},
	noMask: {type: 'boolean', description: 'log lines raw: secrets in them are not masked (shown, printed and saved as they are)'},
	// runbook
	param: {
		type: 'string',
		multiple: true,
		placeholder: 'NAME=VALUE',
		description: 'a runbook input (repeatable)',
		check: (value: string) => (value.indexOf('=') > 0 ? undefined : `expected NAME=VALUE, got "${value}"`),
		keyOf: (value: string) => value.slice(0, value.indexOf('=')),
	},
	dryRun: {type: 'boolean', description: 'show the plan and stop: nothing is run'},
	yes: {type: 'boolean', description: 'answer yes to every yes/no confirmation (unattended runs)'},
	confirmEnv: {type: 'string', placeholder: 'NAME', description: 'the environment name, typed ahead, for runbooks that ask for it'},
	// check
	format: {
		type: 'string',
		placeholder: 'FORMAT',
		description: 'table, json (cron, chat), junit (CI) or prom (node_exporter textfile)',
		check: (value: string) => (['table', 'json', 'junit', 'prom'].includes(value) ? undefined : `expected table, json, junit or prom, got "${value}"`),
	},
	// alerts, silence
	firing: {type: 'boolean', description: 'only alerts firing now (not silenced or inhibited); with --since, still firing'},
	matcher: {type: 'string', multiple: true, placeholder: 'MATCHER', description: 'amtool matcher(s), e.g. \'alertname="ServiceDown"\' or \'{service=~"mongo.*"}\' (repeatable)'},
	comment: {type: 'string', placeholder: 'TEXT', description: 'why the silence (required)'},
	author: {type: 'string', placeholder: 'NAME', description: 'who silences (default: the login user)'},
	duration: {
		type: 'string',
		placeholder: 'DURATION',
		description: 'how long, e.g. 30m, 1h (default 1h; capped by the environment, 2h unless configured)',
		check: (value: string) => (/^(?:\d+(?:ms|y|w|d|h|m|s))+$/.test(value.trim()) ? undefined : `expected a duration like 15m, 2h or 1h30m, got "${value}"`),
	},
	// incident, postmortem
	severity: {
		type: 'string',
		placeholder: 'P0-P3',
		description: 'the severity (manual 8.2): P0 outage 15 min, P1 major degradation 30 min, P2 partial 2 h, P3 minor next business day',
		check: (value: string) => (/^[Pp][0-3]$/.test(value.trim()) ? undefined : `expected P0, P1, P2 or P3, got "${value}"`),
	},
	title: {type: 'string', placeholder: 'TEXT', description: 'what is wrong, in a few words'},
	incident: {type: 'string', placeholder: 'ID', description: 'the incident (INC-YYYYMMDD-HHMMSS; default the open one)'},
} as const satisfies Record<string, FlagSpec>;

export type FlagName = keyof typeof flagSpecs;

type ValueOf<S> = S extends {multiple: true} ? string[] : S extends {type: 'boolean'} ? boolean : S extends {type: 'number'} ? number | undefined : string | undefined;

/** The parsed flags of a command that takes the flags N: booleans default to false, lists to []. */
export type FlagValues<N extends FlagName> = {[K in N]: ValueOf<(typeof flagSpecs)[K]>};

/** `readOnly` is `--read-only` on the command line. */
export function flagOption(name: FlagName): string {
	return `--${name.replaceAll(/[A-Z]/g, letter => `-${letter.toLowerCase()}`)}`;
}

/** `--env NAME`, `--json`, `--service NAME...` */
export function flagSynopsis(name: FlagName): string {
	const spec: FlagSpec = flagSpecs[name];
	return `${flagOption(name)}${spec.placeholder ? ` ${spec.placeholder}` : ''}`;
}
