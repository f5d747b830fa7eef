/** One backup in the listing: its name (what the restore runbook takes) and when it was made. */
export type BackupEntry = {name: string; createdMs: number; bytes?: number};

/** `dump_YYYYMMDD_HHMMSS`, the manual's §4.1 name, read as UTC (the backups run at 02:00 UTC). */
const dumpName = /^dump_(\d{4})(\d{2})(\d{2})_(\d{2})(\d{2})(\d{2})$/;

export function dumpTime(name: string): number | undefined {
	const match = dumpName.exec(name);
	if (!match) return undefined;
	const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [number, number, number, number, number, number];
	const ms = Date.UTC(year, month - 1, day, hour, minute, second);
	const back = new Date(ms);
	// 20251341 is not a date: Date.UTC would roll it over into February.
	if (back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) return undefined;
	return ms;
}

/** A directory's entry names: the dump folders among them, newest first; other names are not backups. */
export function parseDumpDirectory(names: readonly string[]): BackupEntry[] {
	const entries: BackupEntry[] = [];
	for (const name of names) {
		const createdMs = dumpTime(name);
		if (createdMs !== undefined) entries.push({name, createdMs});
	}
	return newestFirst(entries);
}

/**
 * `aws s3 ls s3://bucket/prefix/` output. Objects are "2025-10-11 02:00:13   52428800 dump_20251011_020000.tar.gz"
 * (date and time in the machine's local zone, size in bytes, the key below the prefix); common prefixes are
 * "                           PRE dump_20251011_020000/". The key may contain spaces. The listing's time is
 * when the object was uploaded; a name that carries its own dump time wins, because it is the same on every
 * machine whatever its zone. `--human-readable` sizes ("50.0 MiB") and the `--summarize` totals are understood.
 */
export function parseS3Listing(text: string, timeZoneOffsetMinutes = 0): {entries: BackupEntry[]; errors: string[]} {
	const entries: BackupEntry[] = [];
	const errors: string[] = [];
	for (const [index, rawLine] of text.split(/\r?\n/).entries()) {
		const line = rawLine.trimEnd();
		if (line.trim() === '') continue;
		const prefix = /^\s*PRE (.+?)\/?$/.exec(line);
		if (prefix) {
			const createdMs = dumpTime(stripExtension(prefix[1]!));
			if (createdMs !== undefined) entries.push({name: prefix[1]!, createdMs});
			continue;
		}
		// --summarize adds "Total Objects: 3" and "Total Size: 157286400" after the listing.
		if (/^\s*Total (?:Objects|Size):/.test(line)) continue;
		const object = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2}) +(\d+(?:\.\d+)?(?: (?:Bytes|KiB|MiB|GiB|TiB|PiB))?) (.+)$/.exec(line);
		if (!object) {
			errors.push(`line ${index + 1}: not an "aws s3 ls" line: ${line.slice(0, 80)}`);
			continue;
		}
		const [year, month, day, hour, minute, second] = object.slice(1, 7).map(Number) as number[];
		const size = sizeBytes(object[7]!);
		const name = object[8]!;
		const listed = Date.UTC(year!, month! - 1, day, hour, minute, second) - timeZoneOffsetMinutes * 60_000;
		entries.push({name, createdMs: dumpTime(stripExtension(name)) ?? listed, bytes: size});
	}
	return {entries: newestFirst(entries), errors};
}

const units: Record<string, number> = {Bytes: 1, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3, TiB: 1024 ** 4, PiB: 1024 ** 5};

/** "52428800", or with --human-readable "50.0 MiB" (binary units, as the CLI prints them). */
function sizeBytes(text: string): number {
	const [value, unit] = text.split(' ');
	return Math.round(Number(value) * (unit ? (units[unit] ?? 1) : 1));
}

function stripExtension(name: string): string {
	const base = name.slice(name.lastIndexOf('/') + 1);
	return base.replace(/\.(?:tar\.gz|tgz|gz|tar|archive|zip)$/i, '');
}

function newestFirst(entries: BackupEntry[]): BackupEntry[] {
	return entries.sort((a, b) => b.createdMs - a.createdMs || a.name.localeCompare(b.name));
}
