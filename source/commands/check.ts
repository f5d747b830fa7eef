import {checkCatalog} from '../checks/catalog.js';
import {checkRunJson, checkRunJunit, checkRunProm, checkRunTable} from '../checks/format.js';
import {createLiveCheckContext} from '../checks/live-context.js';
import {checkExitCode, runChecks} from '../checks/run.js';
import {checkSettings} from '../checks/settings.js';
import {routines, type Routine} from '../checks/types.js';
import type {Config, EnvironmentConfig} from '../config/schema.js';
import {openBackends} from '../services/backends.js';

export const checkFormats = ['table', 'json', 'junit', 'prom'] as const;
export type CheckFormat = (typeof checkFormats)[number];
export const checkRoutines: readonly string[] = [...routines, 'all'];

export type CheckOptions = {routine: Routine | 'all'; format: CheckFormat; color: boolean; ascii: boolean; width: number};
export type CheckCommandContext = {config: Config; environment: EnvironmentConfig; stdout: NodeJS.WritableStream; signal?: AbortSignal; now?: () => number};

/**
 * `botops check`: the routine's checks (manual §2.1) side by side, each under its deadline, printed in one format.
 * Exit 0 when all pass (warnings allowed), 1 on any fail, 3 on unknowns without a fail; bad usage or config is 2
 * before anything runs (the thresholds are read first).
 */
export async function runCheckCommand(options: CheckOptions, context: CheckCommandContext): Promise<number> {
	const {config, environment, stdout} = context;
	const settings = checkSettings(config);
	const backends = await openBackends(environment, config);
	let run;
	try {
		const checkContext = createLiveCheckContext(backends, {config, environment, settings, now: context.now});
		run = await runChecks(checkCatalog, options.routine, checkContext, {signal: context.signal});
	} finally {
		backends.close();
	}
	const text =
		options.format === 'json'
			? JSON.stringify(checkRunJson(run), null, 2) + '\n'
			: options.format === 'junit'
				? checkRunJunit(run)
				: options.format === 'prom'
					? checkRunProm(run)
					: checkRunTable(run, {width: options.width, color: options.color, ascii: options.ascii});
	stdout.write(text);
	return checkExitCode(run);
}
