import type {Config, EnvironmentConfig} from '../config/schema.js';
import type {DashboardOptions} from '../dashboard.js';
import type {FlagName, FlagValues} from './flags.js';

/** Bad usage found while a command runs (a combination of flags, an unknown service): exit code 2 with the message. */
export class UsageError extends Error {
	override name = 'UsageError';
}

export type Stdio = {stdout: NodeJS.WriteStream; stderr: NodeJS.WriteStream; stdin: NodeJS.ReadStream};

/** What the dashboard needs from a command: the rest of DashboardOptions comes from the flags. */
export type DashboardLaunch = {
	config: Config;
	environment: EnvironmentConfig;
	flags: {config?: string; refresh?: number; readOnly: boolean; noColor: boolean; ascii: boolean};
	extra?: Partial<DashboardOptions>;
};

export type Invocation<N extends FlagName> = {
	flags: FlagValues<N>;
	/** The command's operand (a runbook ID) when it takes one. */
	operand?: string;
	io: Stdio;
	/**
	 * Aborted by SIGINT, SIGTERM or SIGHUP (cli/shutdown.ts): the command winds down as on a normal end (aborts a run
	 * after its step, stops the demo) and returns; the process then exits with 128 + the signal. Every command that can
	 * wait must stop on it (or run inside withEnvironment, which stops waiting for a reading command): the CLI keeps
	 * listening for the signals, so a signal alone never ends the process.
	 */
	stop: AbortSignal;
	/** Renders the dashboard until it quits (or `stop` aborts); resolves with the exit code. */
	dashboard(launch: DashboardLaunch): Promise<number>;
};

/**
 * One command of the command line. The table in commands.ts is the only list: dispatch, flag validation, and both
 * `botops --help` and `botops NAME --help` are derived from it, so a new command is one entry there.
 */
export type Command<N extends FlagName = FlagName> = {
	/** One word, or two for a subcommand (`runbook run`). */
	name: string;
	/** Runs when no command is named (`botops` alone). */
	isDefault?: true;
	/** One line in `botops --help`. */
	summary: string;
	/** The paragraph under the usage in `botops NAME --help`. */
	description: string;
	operand?: {name: string; description: string; optional?: true};
	/** The flags it takes, its own first; --help is taken by every command. */
	flags: readonly N[];
	/** A command's own wording of a shared flag's help line. */
	flagHelp?: Partial<Record<N, string>>;
	examples?: readonly string[];
	/** The help's exit-code line, for a command whose codes differ from the common ones. */
	exitCodes?: string;
	/** Whether this run renders the dashboard: its modules then load while the config is read. */
	opensDashboard?(flags: FlagValues<N>): boolean;
	run(invocation: Invocation<N>): Promise<number>;
};

/** Keeps the flag names of one command as a literal union, so its run sees exactly the flags it declared. */
export function defineCommand<const N extends FlagName>(command: Command<N>): Command<N> {
	return command;
}

/** `--refresh, --ascii` of the given flags that were set: for messages about flags that do not go together. */
export function setFlags<N extends FlagName>(flags: FlagValues<N>, names: readonly N[]): N[] {
	return names.filter(name => {
		const value: unknown = flags[name];
		return Array.isArray(value) ? value.length > 0 : value !== undefined && value !== false;
	});
}

/** `runbook list`, `runbook show`, … of the group `runbook`. */
export function subcommandsOf(group: string, table: readonly Command[]): Command[] {
	return table.filter(entry => entry.name.startsWith(`${group} `));
}
