/** What `docker exec` can run inside the demo's containers, with output shaped like the real tools'. */
import type {SimContainer} from './container.js';
import type {World} from './world.js';

export type ExecOutput = {stream: 'stdout' | 'stderr'; text: string; delayMs: number};
export type ExecPlan = {
	output: ExecOutput[];
	exitCode: number;
	/** Applied to the world when the process ends. */ effect?: () => void;
	/** Why the runtime could not start the process at all (runc's message); Docker prints it, the kubelet reports it as an error. */
	unstartable?: string;
};

/** The trading_bot database as mongodump sees it: collection, documents, bytes. */
const collections: Array<[string, number, number]> = [
	['trades', 48_213, 21_904_112],
	['positions', 412, 188_040],
	['market_data', 221_874, 64_221_900],
	['ai_analyses', 18_502, 9_440_811],
	['portfolio_snapshots', 8_760, 3_110_230],
	['users', 14, 6_112],
];

/** mongodump's log prefix: local time with milliseconds and offset, then a tab. */
const toolTime = (ms: number) => new Date(ms).toISOString().replace('Z', '+0000');

function option(argv: string[], name: string): string | undefined {
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		if (arg === `--${name}`) return argv[i + 1];
		if (arg.startsWith(`--${name}=`)) return arg.slice(name.length + 3);
	}
	return undefined;
}

function notFound(command: string): ExecPlan {
	// What runc reports through Docker: exec starts, prints this on stdout and the exec's ExitCode is 126.
	const unstartable = `OCI runtime exec failed: exec failed: unable to start container process: exec: "${command}": executable file not found in $PATH: unknown`;
	return {output: [{stream: 'stdout', text: `${unstartable}\r\n`, delayMs: 0}], exitCode: 126, unstartable};
}

function mongodump(world: World, argv: string[]): ExecPlan {
	const out = option(argv, 'out') ?? option(argv, 'o') ?? 'dump';
	const database = option(argv, 'db') ?? option(argv, 'd') ?? (option(argv, 'uri')?.match(/\/([A-Za-z0-9_-]+)(\?|$)/)?.[1] || undefined);
	if (!world.dbConnected) {
		return {output: [{stream: 'stderr', text: `${toolTime(world.now())}\tFailed: can't create session: failed to connect to mongodb://localhost:27017/: server selection error: context deadline exceeded\n`, delayMs: 30}], exitCode: 1};
	}
	const output: ExecOutput[] = [];
	const line = (text: string, delayMs: number) => output.push({stream: 'stderr', text, delayMs});
	let t = world.now();
	const dumped = database ? collections.map(([name, docs, bytes]) => [database, name, docs, bytes] as const) : [['admin', 'system.version', 2, 120] as const, ...collections.map(([name, docs, bytes]) => ['trading_bot', name, docs, bytes] as const)];
	for (const [db, name, docs, bytes] of dumped) {
		line(`${toolTime(t)}\twriting ${db}.${name} to ${out}/${db}/${name}.bson\n`, 8);
		t += Math.max(2, Math.round(bytes / 400_000));
		line(`${toolTime(t)}\tdone dumping ${db}.${name} (${docs} ${docs === 1 ? 'document' : 'documents'})\n`, Math.max(2, Math.round(bytes / 1_000_000)));
	}
	const documents = dumped.reduce((sum, entry) => sum + entry[2], 0);
	const bytes = dumped.reduce((sum, entry) => sum + entry[3], 0);
	return {
		output,
		exitCode: 0,
		effect: () => world.recordBackup({path: out, createdAt: world.now(), database, collections: dumped.length, documents, bytes}),
	};
}

function mongorestore(world: World, argv: string[]): ExecPlan {
	const dir = option(argv, 'dir') ?? argv.find((arg, i) => i > 0 && !arg.startsWith('-')) ?? 'dump';
	const backup = world.backups.find(b => b.path === dir);
	const now = world.now();
	if (!backup) return {output: [{stream: 'stderr', text: `${toolTime(now)}\tFailed: mongorestore target '${dir}' invalid: stat ${dir}: no such file or directory\n`, delayMs: 20}], exitCode: 1};
	if (!world.dbConnected) return {output: [{stream: 'stderr', text: `${toolTime(now)}\tFailed: can't create session: failed to connect to mongodb://localhost:27017/: server selection error: context deadline exceeded\n`, delayMs: 30}], exitCode: 1};
	return {
		output: [
			{stream: 'stderr', text: `${toolTime(now)}\tpreparing collections to restore from\n`, delayMs: 10},
			{stream: 'stderr', text: `${toolTime(now + 40)}\tfinished restoring ${backup.database ?? 'trading_bot'} (${backup.documents} documents, 0 failures)\n`, delayMs: 120},
			{stream: 'stderr', text: `${toolTime(now + 41)}\t${backup.documents} document(s) restored successfully. 0 document(s) failed to restore.\n`, delayMs: 1},
		],
		exitCode: 0,
	};
}

/** Where a command runs: a compose container, or a pod (whose hostname is its name, not a container id). */
export type ExecTarget = Pick<SimContainer, 'id' | 'spec'> & {hostname?: string};

export function planExec(world: World, container: ExecTarget, argv: string[]): ExecPlan {
	const [command = '', ...args] = argv;
	const base = command.split('/').at(-1) ?? command;
	const isMongo = container.spec.logKind === 'mongo';
	switch (base) {
		case 'echo':
			return {output: [{stream: 'stdout', text: `${args.join(' ')}\n`, delayMs: 1}], exitCode: 0};
		case 'true':
			return {output: [], exitCode: 0};
		case 'false':
			return {output: [], exitCode: 1};
		case 'hostname':
			return {output: [{stream: 'stdout', text: `${container.hostname ?? container.id.slice(0, 12)}\n`, delayMs: 1}], exitCode: 0};
		case 'ls':
			if (isMongo && args.some(arg => arg.replace(/\/$/, '') === '/backup')) {
				const names = world.backups.map(b => b.path.replace(/^\/backup\//, '')).filter(name => !name.includes('/'));
				return {output: names.length > 0 ? [{stream: 'stdout', text: `${names.join('\n')}\n`, delayMs: 1}] : [], exitCode: 0};
			}
			if (isMongo) {
				// A dump directory holds one folder per database, as mongodump lays it out.
				const backup = world.backups.find(b => args.some(arg => arg.replace(/\/$/, '') === b.path));
				if (backup) {
					const databases = backup.database ? [backup.database] : ['admin', 'trading_bot'];
					const stamp = new Date(backup.createdAt).toISOString().slice(0, 16).replace('T', ' ');
					const rows = ['.', '..', ...databases].map(name => `drwxr-xr-x    2 root     root          4096 ${stamp} ${name}`);
					return {output: [{stream: 'stdout', text: `total ${databases.length * 4 + 8}\n${rows.join('\n')}\n`, delayMs: 1}], exitCode: 0};
				}
			}
			return {output: [{stream: 'stderr', text: `ls: cannot access '${args.at(-1) ?? '.'}': No such file or directory\n`, delayMs: 1}], exitCode: 2};
		case 'mongodump':
			return isMongo ? mongodump(world, args) : notFound(command);
		case 'mongorestore':
			return isMongo ? mongorestore(world, args) : notFound(command);
		case 'mongosh':
			return isMongo ? {output: [{stream: 'stdout', text: '{ ok: 1 }\n', delayMs: 300}], exitCode: 0} : notFound(command);
		case 'redis-cli':
			return container.spec.logKind === 'redis' ? {output: [{stream: 'stdout', text: 'PONG\n', delayMs: 2}], exitCode: 0} : notFound(command);
		default:
			return notFound(command);
	}
}
