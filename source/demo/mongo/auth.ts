/** The demo's users and roles, and the privilege check each command passes before it runs (as mongod's authorization does). */
import type {Document} from 'bson';
import {commandError} from './errors.js';
import type {ScramCredential} from './scram.js';

export type RoleGrant = {role: 'read' | 'readWrite' | 'clusterMonitor' | 'hostManager'; db: string};
export type DemoMongoUser = {user: string; db: 'admin'; roles: RoleGrant[]; credential: ScramCredential};

/** What a command needs: reading or writing a database, or an action on the cluster. */
export type Privilege = {kind: 'read' | 'write'; db: string} | {kind: 'cluster'; action: 'serverStatus' | 'replSetGetStatus' | 'inprog' | 'top' | 'killop' | 'indexStats'};

const clusterActions: Record<RoleGrant['role'], string[]> = {
	read: [],
	readWrite: [],
	clusterMonitor: ['serverStatus', 'replSetGetStatus', 'inprog', 'top', 'indexStats'],
	hostManager: ['killop'],
};

export function hasPrivilege(user: DemoMongoUser, privilege: Privilege): boolean {
	return user.roles.some(grant => {
		if (privilege.kind === 'cluster') return grant.db === 'admin' && clusterActions[grant.role].includes(privilege.action);
		// clusterMonitor reads the replication state in `local` (rs.printReplicationInfo reads local.oplog.rs).
		if (privilege.db === 'local' && privilege.kind === 'read' && grant.role === 'clusterMonitor') return true;
		if (grant.db !== privilege.db) return false;
		return privilege.kind === 'read' ? grant.role === 'read' || grant.role === 'readWrite' : grant.role === 'readWrite';
	});
}

/** mongod's message: `not authorized on admin to execute command { currentOp: 1, $db: "admin" }` (code 13). */
export function unauthorized(db: string, command: Document): Error {
	return commandError('Unauthorized', `not authorized on ${db} to execute command ${shellForm(command)}`);
}

export function requiresAuthentication(name: string): Error {
	return commandError('Unauthorized', `Command ${name} requires authentication`);
}

/** The command as the server's messages print it: the shell's notation, without the cluster-time signature. */
export function shellForm(value: unknown): string {
	if (value === null) return 'null';
	if (value === undefined) return 'undefined';
	if (typeof value === 'string') return JSON.stringify(value);
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	if (value instanceof Date) return `new Date(${value.getTime()})`;
	if (Array.isArray(value)) return `[ ${value.map(shellForm).join(', ')} ]`;
	const bsonType = (value as {_bsontype?: string})._bsontype;
	if (bsonType === 'Binary' && (value as {sub_type?: number}).sub_type === 4) return `UUID("${(value as {toUUID(): {toHexString(dashes: boolean): string}}).toUUID().toHexString(true)}")`;
	if (bsonType) return `${bsonType}(${JSON.stringify(String(value))})`;
	const entries = Object.entries(value as Record<string, unknown>).filter(([key]) => key !== '$clusterTime');
	return entries.length === 0 ? '{}' : `{ ${entries.map(([key, item]) => `${key}: ${shellForm(item)}`).join(', ')} }`;
}
