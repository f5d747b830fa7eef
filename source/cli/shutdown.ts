import {constants} from 'node:os';

/** The signals that ask botops to stop: ctrl-c, `kill`, and the hang-up of a closed terminal or a dropped SSH session. */
export const stopSignals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
export type StopSignal = (typeof stopSignals)[number];

/** 130 for SIGINT, 143 for SIGTERM, 129 for SIGHUP: what a shell reports for a process the signal ended. */
export function signalExitCode(signal: StopSignal): number {
	return 128 + constants.signals[signal];
}

export type Shutdown = {
	/** Aborted by the first stop signal; its reason is the signal's name. Every command stops on it. */
	readonly signal: AbortSignal;
	/** The signal's exit code (128 + its number) once one came. */
	exitCode(): number | undefined;
	/** Stops as if `signal` had come: for news that arrives otherwise (the keyboard's end when the terminal hangs up). */
	request(signal: StopSignal): void;
	dispose(): void;
};

/**
 * The one place botops listens for stop signals. A signal does not end the process: it aborts `signal`, the
 * command then winds down the way `q` does (a runbook is aborted after its step and writes its run-end, the demo
 * stops and removes its directory, the terminal is restored), and the process exits with 128 + the signal.
 * The listeners stay until the process exits, so a repeated signal (an SSH drop sends SIGHUP more than once) never
 * kills the process halfway through its clean-up: the default action of a signal runs only when no one listens,
 * and Ink's signal-exit re-sends the signal the moment it finds itself the last listener.
 */
export function watchShutdownSignals(target: Pick<NodeJS.Process, 'on' | 'off'> = process): Shutdown {
	const controller = new AbortController();
	let received: StopSignal | undefined;
	const onSignal = (signal: NodeJS.Signals) => {
		if (received) return;
		received = signal as StopSignal;
		controller.abort(signal);
	};
	for (const signal of stopSignals) target.on(signal, onSignal);
	return {
		signal: controller.signal,
		exitCode: () => (received ? signalExitCode(received) : undefined),
		request: signal => onSignal(signal),
		dispose: () => {
			for (const signal of stopSignals) target.off(signal, onSignal);
		},
	};
}

/** Resolves when `signal` aborts (at once when it already has); for racing a wait that has no signal of its own. */
export function whenAborted(signal: AbortSignal): Promise<void> {
	return new Promise(resolve => {
		if (signal.aborted) resolve();
		else signal.addEventListener('abort', () => resolve(), {once: true});
	});
}
