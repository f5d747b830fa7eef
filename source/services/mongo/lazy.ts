import type {MongoDatabaseService} from '../types-mongo.js';

/**
 * A MongoDB service that loads the driver (~190 ms cold) on its first call rather than when the backends open:
 * `botops status` or a log tail on an environment that configures `mongo` never pays for it.
 */
export function lazyMongoService(uriEnv: string, options: {timeoutMs: number; env?: NodeJS.ProcessEnv}): MongoDatabaseService {
	let opened: Promise<MongoDatabaseService> | undefined;
	let service: MongoDatabaseService | undefined;
	let closed = false;
	const open = () =>
		(opened ??= import('./service.js').then(async ({openMongoService}) => {
			const created = await openMongoService(uriEnv, options);
			if (closed) await created.close();
			service = created;
			return created;
		}));
	return {
		runCommand: async (db, command) => (await open()).runCommand(db, command),
		aggregate: async (db, collection, pipeline) => (await open()).aggregate(db, collection, pipeline),
		listCollections: async db => (await open()).listCollections(db),
		pools: () => service?.pools() ?? [],
		async close() {
			closed = true;
			await service?.close();
		},
	};
}
