import {readdir} from 'node:fs/promises';
import type {EnvironmentConfig} from '../../config/schema.js';
import {dumpTime, parseDumpDirectory, parseS3Listing} from '../../database/backups.js';
import type {BackupListing} from '../../store/slices/database.js';
import {scrub} from '../../util/secrets.js';
import {ServiceError} from '../errors.js';
import type {Platform} from '../platform.js';
import {runArgv} from '../shell.js';

export type BackupLister = {readonly source: string; list(): Promise<BackupListing>};

/**
 * The configured backup listing (`backups:`): a local directory, a directory inside a service's container
 * (`ls` through the platform, as `docker exec mongodb-primary ls /backup`), or a command's output (argv, no
 * shell), read as `aws s3 ls` lines or as bare dump names.
 */
export function createBackupLister(environment: EnvironmentConfig, deps: {platform?: Platform; timeoutMs: number}): BackupLister | undefined {
	const config = environment.backups;
	if (!config) return undefined;
	if (config.command) {
		const argv = config.command;
		const source = argv.join(' ');
		return {
			source,
			async list() {
				const result = await runArgv({argv, timeoutMs: Math.max(deps.timeoutMs, 10_000)});
				if (result.timedOut) throw new ServiceError(`backups: ${argv[0]} timed out`);
				if (result.exitCode !== 0) throw new ServiceError(`backups: ${argv[0]} exited ${result.exitCode ?? result.signal}: ${scrub(lastLine(result.stderr) || lastLine(result.stdout))}`);
				return {source, ...parseCommandOutput(result.stdout)};
			},
		};
	}
	const dir = config.dir!;
	if (config.service) {
		const service = config.service;
		const source = `${service}:${dir}`;
		return {
			source,
			async list() {
				if (!deps.platform) throw new ServiceError(`backups: no platform to reach ${service}`);
				const instances = await deps.platform.listInstances();
				const instance = instances.find(i => i.service === service && i.state === 'running');
				if (!instance) throw new ServiceError(`backups: no running ${deps.platform.instanceNoun} of ${service} to list ${dir} in`);
				const result = await deps.platform.exec(instance.id, ['ls', '-1', dir]);
				if (result.exitCode !== 0) throw new ServiceError(`backups: ls ${dir} in ${instance.name} exited ${result.exitCode}: ${scrub(lastLine(result.stderr))}`);
				return {source, entries: parseDumpDirectory(names(result.stdout)), problems: []};
			},
		};
	}
	return {
		source: dir,
		async list() {
			let entries: string[];
			try {
				entries = await readdir(dir);
			} catch (error) {
				throw new ServiceError(`backups: cannot list ${dir} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
			}
			return {source: dir, entries: parseDumpDirectory(entries), problems: []};
		},
	};
}

/** `aws s3 ls` lines, or one name per line (`ls /backup` over ssh): the latter when every line is a dump name. */
export function parseCommandOutput(stdout: string): {entries: BackupListing['entries']; problems: string[]} {
	const lines = names(stdout);
	if (lines.length > 0 && lines.every(line => dumpTime(line.replace(/\/$/, '')) !== undefined)) return {entries: parseDumpDirectory(lines.map(line => line.replace(/\/$/, ''))), problems: []};
	const {entries, errors} = parseS3Listing(stdout, -new Date().getTimezoneOffset());
	return {entries, problems: errors};
}

function names(text: string): string[] {
	return text
		.split(/\r?\n/)
		.map(line => line.trim())
		.filter(Boolean);
}

function lastLine(text: string): string {
	return names(text).at(-1) ?? '';
}
