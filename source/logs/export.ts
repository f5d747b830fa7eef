import {randomBytes} from 'node:crypto';
import {access, mkdir, open, rename, rm} from 'node:fs/promises';
import {join} from 'node:path';
import {formatPlain} from './format.js';
import {maskLogText} from './sanitise.js';
import type {LogRecord} from './record.js';
import {fileStamp} from './time.js';

/** "rust-core-engine-logs-20261125-120311.log", or "all-logs-…" when the lines come from several services. */
export function exportFileName(services: readonly string[], now: number): string {
	const distinct = [...new Set(services)];
	const prefix = distinct.length === 1 ? distinct[0]!.replace(/[^A-Za-z0-9_.-]/g, '_') : 'all';
	return `${prefix}-logs-${fileStamp(now)}.log`;
}

export type ExportOptions = {
	/** Directory to write into (created when missing). */
	directory: string;
	/** Services the view shows; decides the name. Defaults to the services of the records. */
	services?: readonly string[];
	now?: number;
};

async function exists(path: string): Promise<boolean> {
	try {
		await access(path);
		return true;
	} catch {
		return false;
	}
}

/**
 * Writes the records (the filtered view) as plain text — timestamp, service, level, text, secrets masked — and returns the
 * path. Written to a temporary file, synced, then renamed: a crash never leaves half a file under the final
 * name. Never overwrites: a second save within the same second gets "-2".
 */
export async function exportRecords(records: Iterable<LogRecord>, options: ExportOptions): Promise<string> {
	const now = options.now ?? Date.now();
	const list = Array.isArray(records) ? (records as LogRecord[]) : [...records];
	const services = options.services ?? [...new Set(list.map(record => record.service))];
	await mkdir(options.directory, {recursive: true});
	const name = exportFileName(services, now);
	let path = join(options.directory, name);
	for (let n = 2; await exists(path); n++) path = join(options.directory, name.replace(/\.log$/, `-${n}.log`));
	const temporary = join(options.directory, `.${name}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
	const width = Math.max(0, ...services.map(service => service.length));
	const handle = await open(temporary, 'wx', 0o600);
	try {
		const chunk: string[] = [];
		let size = 0;
		for (const record of list) {
			// Records are scrubbed when parsed; this is the last line of defence for what goes to disk.
			const line = maskLogText(formatPlain(record, width)) + '\n';
			chunk.push(line);
			size += line.length;
			if (size > 1 << 20) {
				await handle.write(chunk.join(''));
				chunk.length = 0;
				size = 0;
			}
		}
		if (chunk.length > 0) await handle.write(chunk.join(''));
		await handle.sync();
		await handle.close();
		await rename(temporary, path);
	} catch (error) {
		await handle.close().catch(() => undefined);
		await rm(temporary, {force: true});
		throw error;
	}
	return path;
}
