// A MongoDB client nobody here wrote: Debian's python3-pymongo against the demo's wire server (skipped where the
// package is not installed; .ci/run installs it).
import {execFile, execFileSync} from 'node:child_process';
import {promisify} from 'node:util';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {defaultMongoUsers, startDemoMongo, type DemoMongo} from '../../source/demo/mongo/server.js';
import {World} from '../../source/demo/world.js';

const run = promisify(execFile);

/** The first python3 that can import pymongo (Debian's lives in /usr/bin; a pyenv shim on PATH may not have it). */
function pythonWithPymongo(): string | undefined {
	for (const candidate of ['/usr/bin/python3', 'python3']) {
		try {
			execFileSync(candidate, ['-c', 'import pymongo'], {stdio: 'ignore'});
			return candidate;
		} catch {
			// not this one
		}
	}
	return undefined;
}

const python = pythonWithPymongo();

// The URI travels in the environment, never on a command line where `ps` would show its password.
const script = `
import json, os, pymongo
from pymongo.errors import OperationFailure
client = pymongo.MongoClient(os.environ["DEMO_MONGODB_URI"], serverSelectionTimeoutMS=5000)
db = client.trading_bot
out = {}
out["ping"] = client.admin.command("ping")["ok"]
out["version"] = client.server_info()["version"]
status = client.admin.command("replSetGetStatus")
out["members"] = [m["stateStr"] for m in status["members"]]
out["connections"] = sorted(client.admin.command("serverStatus")["connections"].keys())
out["count"] = db.trades.count_documents({})
out["paged"] = len(list(db.trades.find({}, batch_size=250)))
out["byStatus"] = {row["_id"]: row["n"] for row in db.trades.aggregate([{"$group": {"_id": "$status", "n": {"$sum": 1}}}])}
out["indexes"] = [index["name"] for index in db.trades.list_indexes()]
out["collections"] = sorted(db.list_collection_names())
try:
    db.command("frobnicate")
except OperationFailure as error:
    out["unknown"] = [error.code, error.details["codeName"]]
bad = pymongo.MongoClient(os.environ["DEMO_MONGODB_BAD_URI"], serverSelectionTimeoutMS=5000)
try:
    bad.admin.command("ping")
except OperationFailure as error:
    out["wrongPassword"] = [error.code, error.details["codeName"]]
print(json.dumps(out))
`;

describe.skipIf(python === undefined)('demo MongoDB through pymongo', () => {
	let mongo: DemoMongo;
	beforeAll(async () => {
		mongo = await startDemoMongo(new World({backlogLines: 5}), {users: defaultMongoUsers('py-app-password', 'py-read-password')});
	});
	afterAll(async () => mongo?.close());

	it('connects, authenticates with SCRAM-SHA-256, reads, pages, aggregates and gets MongoDB errors back', async () => {
		const {stdout} = await run(python!, ['-c', script], {env: {...process.env, DEMO_MONGODB_URI: mongo.uris.botuser, DEMO_MONGODB_BAD_URI: mongo.uris.botuser.replace('py-app-password', 'wrong')}, timeout: 30_000});
		const out = JSON.parse(stdout) as Record<string, unknown>;
		const count = mongo.data.trades.count;
		expect(out).toMatchObject({ping: 1, version: '7.0.14', members: ['PRIMARY', 'SECONDARY', 'SECONDARY'], count, paged: count, unknown: [59, 'CommandNotFound'], wrongPassword: [18, 'AuthenticationFailed']});
		expect(out.connections).toEqual(expect.arrayContaining(['active', 'available', 'current', 'totalCreated']));
		const byStatus = out.byStatus as Record<string, number>;
		expect(byStatus.executed + byStatus.failed).toBe(count);
		expect(out.indexes).toContain('symbol_1_timestamp_-1');
		expect(out.collections).toEqual(['ai_analyses', 'market_data', 'portfolio_snapshots', 'positions', 'trades', 'users']);
	});
});
