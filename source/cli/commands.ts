import {configDirectory} from '../config/paths.js';
import {demoEnvironmentName, demoKubernetesEnvironmentName} from '../config/defaults.js';
import {loadConfig} from '../config/loader.js';
import {type Command, defineCommand, setFlags, UsageError} from './command.js';
import {flagOption} from './flags.js';
import {setLogMasking} from '../logs/sanitise.js';
import {logsFlags, runLogs} from './logs.js';
import {colourWanted, withEnvironment} from './session.js';
import {withWarRoom} from '../screens/warroom/mode.js';

/**
 * The command line: one entry per command. Each command's modules load inside its run (dynamic imports), so this
 * table stays cheap to import and `botops --help` and the dashboard's first frame pay only for what they use.
 */
export const commands: readonly Command[] = [
	defineCommand({
		name: 'dashboard',
		isDefault: true,
		summary: 'the dashboard of the default environment (--env NAME for another)',
		description: ['The live dashboard: services, containers, stats, logs and runbooks of one', 'environment. It needs a terminal.'].join('\n'),
		flags: ['env', 'config', 'scenario', 'refresh', 'readOnly', 'warRoom', 'noColor', 'ascii', 'noMask'],
		examples: ['botops', 'botops --env production --read-only', 'botops --env production --war-room'],
		opensDashboard: () => true,
		run: ({flags, stop, dashboard}) => {
			setLogMasking(!flags.noMask);
			return withEnvironment(flags, {signal: stop, awaitUse: true}, (config, environment) => dashboard({config, environment: withWarRoom(environment, flags.warRoom), flags}));
		},
	}),
	defineCommand({
		name: 'demo',
		summary: 'the dashboard on the embedded demo deployment; --serve runs the deployment alone',
		description: [
			'The dashboard on a simulated Bot Core platform, served in this process over',
			'the real protocols: no infrastructure needed.',
			'With --serve the deployment runs without the dashboard until ctrl-c, for',
			'other clients (botops --config PATH COMMAND in another terminal, tests,',
			'benchmarks); once everything answers it prints its config file and endpoints',
			'as one JSON line.',
		].join('\n'),
		flags: ['scenario', 'serve', 'k8s', 'config', 'refresh', 'readOnly', 'warRoom', 'noColor', 'ascii', 'noMask'],
		examples: ['botops demo --scenario list', 'botops demo --scenario engine-crashloop', 'botops demo --war-room --scenario disk-pressure', 'botops demo --serve --scenario ai-latency-spike', 'botops demo --serve --k8s --scenario bad-deploy'],
		opensDashboard: flags => !flags.serve && flags.scenario !== 'list',
		async run({flags, io, stop, dashboard}) {
			if (flags.scenario === 'list') {
				const {describeScenarios} = await import('../demo/scenarios.js');
				io.stdout.write(`${describeScenarios()}\n`);
				return 0;
			}
			await refuseKubernetesOnlyDrill(flags.scenario, flags.k8s);
			if (flags.serve) {
				const dashboardOnly = setFlags(flags, ['config', 'refresh', 'readOnly', 'warRoom', 'noColor', 'ascii', 'noMask']);
				if (dashboardOnly.length > 0) throw new UsageError(`--serve runs the demo without the dashboard; ${dashboardOnly.map(flagOption).join(', ')} ${dashboardOnly.length > 1 ? 'are' : 'is'} for the dashboard`);
				const {runDemoServe} = await import('../demo/serve.js');
				return runDemoServe({scenario: flags.scenario, kubernetes: flags.k8s}, {stdout: io.stdout, stderr: io.stderr, stop});
			}
			setLogMasking(!flags.noMask);
			return withEnvironment({...flags, env: flags.k8s ? demoKubernetesEnvironmentName : demoEnvironmentName}, {signal: stop, awaitUse: true}, (config, environment, active) =>
				dashboard({config, environment: withWarRoom(environment, flags.warRoom), flags, extra: {drills: active.drills}}),
			);
		},
	}),
	defineCommand({
		name: 'status',
		summary: 'services, containers and health checks, once (exit 0 when all is well)',
		description: [
			"The manual's ./scripts/bot.sh status plus its three health curls, once, as",
			'one table or JSON. Exit code 0 when every critical service is running and',
			'healthy, 1 otherwise.',
		].join('\n'),
		flags: ['json', 'env', 'config', 'scenario', 'noColor'],
		flagHelp: {json: 'one JSON document instead of the table'},
		examples: ['botops status --env production', 'botops status --json | jq .ok'],
		run: ({flags, io, stop}) =>
			withEnvironment(flags, {signal: stop}, async (config, environment) => {
				const {runStatusCommand} = await import('../commands/status.js');
				return runStatusCommand({json: flags.json, color: colourWanted(flags) && Boolean(io.stdout.isTTY)}, {config, environment, stdout: io.stdout});
			}),
	}),
	defineCommand({
		name: 'db',
		summary: "MongoDB's checks once: connections, rates, lag, longest ops, collections, last backup, trading KPIs",
		description: [
			"The manual's mongosh checks in one command: serverStatus().connections and",
			'op rates, replication lag (< 1 s), currentOp, the trading_bot collections',
			'and indexes, the last backup (< 26 h) and the trading KPIs (success rate',
			'> 95 %). Exit code 1 when a check fails or MongoDB cannot be read.',
		].join('\n'),
		flags: ['json', 'env', 'config', 'scenario', 'noColor'],
		flagHelp: {json: 'one JSON document instead of the tables'},
		examples: ['botops db --env production', 'botops db --json | jq .verdicts.replication'],
		run: ({flags, io, stop}) =>
			withEnvironment(flags, {signal: stop}, async (config, environment) => {
				const {runDbCommand} = await import('../commands/db.js');
				return runDbCommand({json: flags.json, color: colourWanted(flags) && Boolean(io.stdout.isTTY)}, {config, environment, stdout: io.stdout});
			}),
	}),
	defineCommand({
		name: 'logs',
		summary: 'merged, time-ordered logs of the services, a saved file or stdin',
		description: [
			'Container logs of the services, merged and ordered by time and filtered like',
			'the Logs screen; plain text when piped (| head is fine). --file PATH and',
			'--stdin read saved logs through the same parser; --tui opens the Logs screen',
			'instead of printing.',
		].join('\n'),
		flags: logsFlags,
		flagHelp: {
			json: 'one JSON object per line',
			refresh: 'refresh interval of the Logs screen (with --tui)',
			readOnly: 'refuse every mutating action (with --tui)',
			ascii: 'ASCII glyphs only (with --tui)',
		},
		examples: ['botops logs --service rust-core-engine --level warn --since 1h', 'botops logs --follow --grep BTCUSDT', 'kubectl logs deploy/rust-core-engine | botops logs --stdin --level error', 'botops logs --file saved.log --tui'],
		opensDashboard: flags => flags.tui,
		run: invocation => {
			setLogMasking(!invocation.flags.noMask);
			return runLogs(invocation);
		},
	}),
	defineCommand({
		name: 'runbook list',
		summary: 'the runbooks and their keys',
		description: ['The built-in runbooks (the procedures of the operations manual) and those in', 'the runbooks/ folder beside the config file; those the environment\'s platform', 'cannot run are left out (how many and why is said).'].join('\n'),
		flags: ['config', 'env', 'noColor'],
		async run({flags, io}) {
			// The list opens nothing, but a broken config file is still reported; the environment only says its platform.
			const {config} = await loadConfig({file: flags.config});
			const [{runRunbookList}, {isEmbeddedDemo}, {selectEnvironment}] = await Promise.all([import('../commands/runbook.js'), import('../environment.js'), import('../config/loader.js')]);
			const environment = flags.env ?? config.defaultEnvironment;
			const platform = isEmbeddedDemo(config, environment) ? (environment === demoKubernetesEnvironmentName ? 'kubernetes' : 'compose') : selectEnvironment(config, environment).backend.type;
			return runRunbookList({configDir: configDirectory(process.env, flags.config), stdout: io.stdout, stderr: io.stderr, platform: {kind: platform, environment}});
		},
	}),
	defineCommand({
		name: 'runbook history',
		summary: 'recent runbook runs from the audit log, and any step left in flight',
		description: [
			'The recent runs of the environment from its audit log, newest first: who ran',
			'what, the outcome, and for a run killed mid-change the step that was in flight',
			'(its effect is unknown: check it before retrying).',
		].join('\n'),
		flags: ['env', 'config', 'noColor'],
		examples: ['botops runbook history --env production'],
		run: ({flags, io, stop}) =>
			withEnvironment(flags, {signal: stop}, async (_config, environment) => {
				const {runRunbookHistory} = await import('../commands/runbook.js');
				return runRunbookHistory({environment, stdout: io.stdout});
			}),
	}),
	defineCommand({
		name: 'runbook show',
		summary: "a runbook's plan: the exact calls and their targets, nothing run",
		description: ['Validates the inputs and prints the plan of runbook ID on the environment: its', 'preconditions, steps, exact calls and targets. Nothing is run.'].join('\n'),
		operand: {name: 'ID', description: 'the runbook (see botops runbook list)'},
		flags: ['param', 'env', 'config', 'scenario', 'readOnly', 'noColor'],
		examples: ['botops runbook show restart-service --param service=python-ai-service'],
		run: ({flags, operand, io, stop}) => runRunbook('show', flags, operand!, io, stop),
	}),
	defineCommand({
		name: 'runbook run',
		summary: 'run a runbook after its plan and a confirmation',
		description: [
			'Prints the plan of runbook ID, asks for the confirmation it needs (y/N, or the',
			'environment name typed on protected environments), runs it step by step and',
			'appends an audit record. Without a terminal, pass --yes, or --confirm-env NAME',
			'where the name is asked for. Exit code 0 when it ran to the end, 1 when it',
			'failed, was aborted or cancelled, 2 for bad inputs or a refusal.',
		].join('\n'),
		operand: {name: 'ID', description: 'the runbook (see botops runbook list)'},
		flags: ['param', 'dryRun', 'yes', 'confirmEnv', 'env', 'config', 'scenario', 'readOnly', 'noColor'],
		examples: ['botops runbook run restart-service --param service=python-ai-service --yes', 'botops runbook run disable-trading --env production --confirm-env production'],
		run: ({flags, operand, io, stop}) => runRunbook('run', flags, operand!, io, stop),
	}),
	defineCommand({
		name: 'alerts',
		summary: 'the alerts Alertmanager has now, grouped; --since reads the alert journal',
		description: [
			"The Alerts screen's list once, as Alertmanager groups it (the manual's curl of",
			'/api/v2/alerts). With --since 12h: what fired in that window and when it resolved,',
			'from the alert journal the dashboard keeps ("review overnight alerts").',
		].join('\n'),
		flags: ['json', 'firing', 'since', 'env', 'config', 'scenario', 'noColor'],
		flagHelp: {json: 'one JSON document instead of the table', since: 'what fired from this long ago (12h) or this ISO time on, from the journal'},
		examples: ['botops alerts --firing', 'botops alerts --since 12h --env production', 'botops alerts --json | jq .groups'],
		run: ({flags, io, stop}) =>
			withEnvironment(flags, {signal: stop}, async (config, environment) => {
				const {runAlertsCommand} = await import('../commands/alerts.js');
				return runAlertsCommand({json: flags.json, firing: flags.firing, since: flags.since}, {config, environment, stdout: io.stdout, stderr: io.stderr});
			}),
	}),
	defineCommand({
		name: 'check',
		summary: "the manual's daily checks (morning, midday, evening), once; exit 0/1/3",
		description: [
			"The daily routines of the operations manual (section 2.1) as checks, run side by",
			'side, each under a deadline (checks.timeoutMs): services up, errors in the logs,',
			'resource usage, health endpoints, API p95, security signals, Prometheus targets,',
			'alerts firing or fired overnight, pending deployments, Kubernetes deployments.',
			'Each is pass, warn, fail or unknown (its backend did not answer: never pass),',
			'with a one-line reason and its figure; a check this environment cannot answer is',
			'left out, and the output says why. Thresholds: the config key checks.',
			'--format json: {schema: "botops.check/v1", environment, routine, at, durationMs,',
			'status, exitCode, counts, checks: [{id, title, routines, status (or "left-out"),',
			'reason, figure?, value?, durationMs?}]}; junit: one testcase per check (fail is a',
			'failure, unknown an error, left out skipped); prom: botops_check_status (0 pass,',
			'1 warn, 2 unknown, 3 fail), _value, _duration_seconds, _left_out, botops_check_run_*.',
		].join('\n'),
		operand: {name: '[morning|midday|evening|all]', description: 'the routine (default all)', optional: true},
		flags: ['format', 'env', 'config', 'scenario', 'noColor', 'ascii'],
		exitCodes: 'Exit codes: 0 all pass (warnings allowed), 1 any fail, 2 usage or config error, 3 unknowns but no fail.',
		examples: ['botops check morning', 'botops check midday --env production --format json | jq .status', 'botops check all --format prom > /var/lib/node_exporter/botops.prom.tmp'],
		run: async ({flags, operand, io, stop}) => {
			const {checkRoutines} = await import('../commands/check.js');
			const routine = operand ?? 'all';
			if (!checkRoutines.includes(routine)) throw new UsageError(`unknown routine "${routine}"; one of ${checkRoutines.join(', ')}`);
			return withEnvironment(flags, {signal: stop}, async (config, environment) => {
				const {runCheckCommand} = await import('../commands/check.js');
				const format = (flags.format ?? 'table') as 'table';
				const width = io.stdout.isTTY && io.stdout.columns ? io.stdout.columns : 80;
				return runCheckCommand({routine: routine as 'all', format, color: colourWanted(flags) && Boolean(io.stdout.isTTY), ascii: flags.ascii, width}, {config, environment, stdout: io.stdout, signal: stop});
			});
		},
	}),
	defineCommand({
		name: 'silence list',
		summary: 'the active and pending silences',
		description: 'The silences of the environment\'s Alertmanagers that have not expired, by end time.',
		flags: ['json', 'env', 'config', 'scenario', 'noColor'],
		run: ({flags, io, stop}) =>
			withEnvironment(flags, {signal: stop}, async (config, environment) => {
				const {runSilenceList} = await import('../commands/silence.js');
				return runSilenceList({json: flags.json}, {config, environment, stdout: io.stdout, stderr: io.stderr});
			}),
	}),
	defineCommand({
		name: 'silence add',
		summary: 'a silence, after the same guards as the Alerts screen',
		description: [
			'Previews the alerts the matchers catch (Alertmanager semantics), refuses empty',
			'or match-everything matchers and durations over the cap, and creates the silence',
			'with --yes. A silence over the alert limit or across services needs',
			'--confirm-env NAME instead; --yes is only allowed when the guards pass. Audited.',
		].join('\n'),
		flags: ['matcher', 'comment', 'author', 'duration', 'yes', 'confirmEnv', 'json', 'env', 'config', 'scenario', 'readOnly', 'noColor'],
		flagHelp: {yes: 'create it when the guards pass', confirmEnv: 'the environment name, for a silence across services or over the alert limit'},
		examples: ['botops silence add --matcher \'alertname="ServiceDown"\' --matcher \'service="mongodb-primary"\' --comment "db maintenance" --duration 30m --yes'],
		run: ({flags, io, stop}) =>
			withEnvironment(flags, {signal: stop}, async (config, environment) => {
				const {runSilenceAdd} = await import('../commands/silence.js');
				const {matcher, comment, author, duration, yes, confirmEnv, readOnly, json} = flags;
				return runSilenceAdd({matcher, comment, author, duration, yes, confirmEnv, readOnly, json}, {config, environment, stdout: io.stdout, stderr: io.stderr});
			}),
	}),
	defineCommand({
		name: 'silence expire',
		summary: 'expire a silence, showing what starts firing again',
		description: ['Prints the alerts the silence holds back that fire again once it ends; with', '--yes expires it on every Alertmanager of the set. Audited.'].join('\n'),
		operand: {name: 'ID', description: 'the silence (see botops silence list)'},
		flags: ['yes', 'json', 'env', 'config', 'scenario', 'readOnly', 'noColor'],
		run: ({flags, operand, io, stop}) =>
			withEnvironment(flags, {signal: stop}, async (config, environment) => {
				const {runSilenceExpire} = await import('../commands/silence.js');
				return runSilenceExpire({id: operand!, yes: flags.yes, readOnly: flags.readOnly, json: flags.json}, {config, environment, stdout: io.stdout, stderr: io.stderr});
			}),
	}),
	defineCommand({
		name: 'incident declare',
		summary: 'declare an incident: severity P0-P3 and a title',
		description: [
			'Starts an incident in the environment (one open at a time): its timeline file',
			'in the state directory, which the dashboard then writes by itself. Exit code 2',
			'for a missing or bad severity or title, or when one is open already.',
		].join('\n'),
		flags: ['severity', 'title', 'env', 'config'],
		examples: ['botops incident declare --severity P1 --title "engine crash-looping"'],
		run: ({flags, io}) => runIncident(flags, io, async (environment, m) => m.runIncidentDeclare({severity: flags.severity, title: flags.title}, environment, io)),
	}),
	defineCommand({
		name: 'incident list',
		summary: 'the incidents of the environment, newest first',
		description: 'Every incident of the environment with its severity, declaration time, state and title.',
		flags: ['json', 'env', 'config'],
		run: ({flags, io}) => runIncident(flags, io, async (environment, m) => m.runIncidentList({json: flags.json}, environment, io)),
	}),
	defineCommand({
		name: 'incident show',
		summary: "an incident's timeline (the open one, else the newest)",
		description: 'The timeline of --incident ID, else of the open incident, else of the newest one.',
		flags: ['incident', 'json', 'env', 'config'],
		run: ({flags, io}) => runIncident(flags, io, async (environment, m) => m.runIncidentShow({incident: flags.incident, json: flags.json}, environment, io)),
	}),
	defineCommand({
		name: 'incident note',
		summary: "add a note to the open incident's timeline",
		description: 'Appends TEXT (quoted) to the timeline of the open incident, or of --incident ID.',
		operand: {name: 'TEXT', description: 'the note, quoted'},
		flags: ['incident', 'env', 'config'],
		examples: ['botops incident note "engine logs show a negative BTCUSDT position"'],
		run: ({flags, operand, io}) => runIncident(flags, io, async (environment, m) => m.runIncidentNote({text: operand!, incident: flags.incident}, environment, io)),
	}),
	defineCommand({
		name: 'incident close',
		summary: 'close the open incident and write its post-mortem',
		description: ["Closes the open incident (or --incident ID) and writes its post-mortem from the", "manual's 8.4 template beside its timeline; prints where."].join('\n'),
		flags: ['incident', 'env', 'config'],
		run: ({flags, io}) => runIncident(flags, io, async (environment, m) => m.runIncidentClose({incident: flags.incident}, environment, io)),
	}),
	defineCommand({
		name: 'postmortem',
		summary: "write an incident's post-mortem again from its timeline",
		description: [
			"Renders the post-mortem (the manual's 8.4 template: summary, duration, timeline,",
			'services affected and runbooks run filled in, the rest left as prompts) of',
			'--incident ID, else the open incident, else the newest, and prints where.',
		].join('\n'),
		flags: ['incident', 'env', 'config'],
		examples: ['botops postmortem --incident INC-20261202-003120'],
		async run({flags, io}) {
			const [{incidentEnvironment}, {runPostmortem}] = await Promise.all([import('../commands/incident.js'), import('../commands/postmortem.js')]);
			return runPostmortem({incident: flags.incident}, await incidentEnvironment(flags), io);
		},
	}),
];

/** The incident commands read and write files in the environment's state directory: the environment is not started. */
async function runIncident(
	flags: {env?: string; config?: string},
	io: {stdout: NodeJS.WriteStream; stderr: NodeJS.WriteStream},
	use: (environment: Awaited<ReturnType<typeof import('../commands/incident.js').incidentEnvironment>>, module: typeof import('../commands/incident.js')) => Promise<number>,
): Promise<number> {
	const module = await import('../commands/incident.js');
	return use(await module.incidentEnvironment(flags), module);
}

/** A drill that exists only on the demo's Kubernetes face would silently do nothing on compose: say so instead. */
async function refuseKubernetesOnlyDrill(scenario: string | undefined, kubernetes: boolean): Promise<void> {
	if (scenario === undefined || kubernetes) return;
	const {lookupScenario, scenarioSpecs} = await import('../demo/scenarios.js');
	const name = lookupScenario(scenario);
	if (name && scenarioSpecs[name].backends === 'kubernetes') throw new UsageError(`--scenario ${name} is a Kubernetes drill: add --k8s`);
}

async function runRunbook(
	sub: 'show' | 'run',
	flags: {param: string[]; dryRun?: boolean; yes?: boolean; confirmEnv?: string; readOnly: boolean; env?: string; config?: string; scenario?: string},
	id: string,
	io: {stdout: NodeJS.WriteStream; stderr: NodeJS.WriteStream; stdin: NodeJS.ReadStream},
	stop: AbortSignal,
): Promise<number> {
	// A run is aborted after its step and writes its run-end before the environment stops; a plan is just left.
	return withEnvironment(flags, {signal: stop, awaitUse: sub === 'run'}, async (config, environment) => {
		const [{runRunbookCommand}, {openBackends}] = await Promise.all([import('../commands/runbook.js'), import('../services/backends.js')]);
		let backends: Awaited<ReturnType<typeof openBackends>> | undefined;
		try {
			return await runRunbookCommand(
				{sub, id, params: flags.param, dryRun: flags.dryRun ?? false, yes: flags.yes ?? false, confirmEnv: flags.confirmEnv, readOnly: flags.readOnly},
				{
					environment,
					configDir: configDirectory(process.env, flags.config),
					stdout: io.stdout,
					stderr: io.stderr,
					stdin: io.stdin,
					signal: stop,
					isTTY: Boolean(io.stdin.isTTY && io.stdout.isTTY),
					async openBackends() {
						backends ??= await openBackends(environment, config);
						return backends;
					},
				},
			);
		} finally {
			backends?.close();
		}
	});
}
