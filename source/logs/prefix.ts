import type {Level} from './record.js';
import {levelLabel} from './format.js';
import {sanitise} from './sanitise.js';
import {localToEpoch} from './time.js';

/**
 * What a collector, multiplexer or pager wrote in front of the line an application logged: syslog/journald
 * headers, `docker compose` / swarm / foreman service columns, `kubectl logs --prefix`, containerd's CRI
 * header, a Kubernetes timestamp in front of JSON, the docker json-file wrapper, and botops's own export
 * format. Level detection runs on what is left; the source it names becomes the record's instance (and its
 * service, when botops had none of its own for the line).
 */
export type PeeledLine = {
	/** The application's own line. */
	text: string;
	/** Service the prefix names (compose service, syslog app, container); undefined when it names none. */
	service?: string;
	/** Replica the prefix names (compose container, pod, syslog host, foreman process). */
	instance?: string;
	time?: number;
	/** A level the prefix itself carries (syslog PRI severity, an export's label): used when the line has none. */
	level?: Level;
	stream?: 'stdout' | 'stderr' | 'marker';
	/** The level is the prefix's and final (botops's export format), not a fallback. */
	levelIsFinal?: boolean;
};

/** Syslog severities 0–7 (RFC 5424 §6.2.1) as levels. */
const syslogSeverity: readonly Level[] = ['fatal', 'fatal', 'fatal', 'error', 'warn', 'info', 'info', 'debug'];

/**
 * Month names as `date +%b` writes them in the locales a server is commonly set to, lower-cased without the
 * abbreviation dot ("Mär", "déc.", "okt", "10月"): rsyslog and journalctl follow LANG (util-linux#161, crowdsec#530).
 */
const monthNames = new Map<string, number>();
const monthTables = [
	'jan feb mar apr may jun jul aug sep oct nov dec', // en
	'jan feb mär apr mai jun jul aug sep okt nov dez', // de
	'janv févr mars avr mai juin juil août sept oct nov déc', // fr
	'ene feb mar abr may jun jul ago sep oct nov dic', // es
	'gen feb mar apr mag giu lug ago set ott nov dic', // it
	'jan feb mrt apr mei jun jul aug sep okt nov dec', // nl
	'jan fev mar abr mai jun jul ago set out nov dez', // pt
	'янв фев мар апр мая июн июл авг сен окт ноя дек', // ru
	'sty lut mar kwi maj cze lip sie wrz paź lis gru', // pl
];
for (const table of monthTables) table.split(' ').forEach((name, index) => monthNames.has(name) || monthNames.set(name, index));
for (let month = 1; month <= 12; month++) monthNames.set(`${month}月`, month - 1);
// Full names some locales print for %b.
for (const [name, index] of [['januar', 0], ['februar', 1], ['märz', 2], ['june', 5], ['july', 6]] as const) monthNames.set(name, index);

/** The month index of a syslog month token, or undefined. */
export function monthIndex(token: string): number | undefined {
	const key = token.toLowerCase().replace(/\.$/, '');
	return monthNames.get(key);
}

// RFC 3164 / journald short and short-precise: "<30>Mar 19 10:57:00.306606 host kubelet[9475]: …", the host may be absent (logger to the local socket).
const rfc3164 = /^(?:<(\d{1,3})>)?(\p{L}{3,6}\.?|\d{1,2}月) {1,2}(\d{1,2}) (\d\d):(\d\d):(\d\d)(?:\.(\d{1,6}))? (?:(\S+) )?([^\s:[\]]+)(?:\[(\d+)\])?: ?/u;
// RFC 5424: "<165>1 2003-10-11T22:14:15.003Z host app procid msgid [sd…] msg".
const rfc5424 = /^<(\d{1,3})>\d{1,2} (\S+) (\S+) (\S+) \S+ \S+ (-|(?:\[(?:[^\]\\]|\\.)*\])+)(?: \ufeff?|$)/;
const foreman = /^(\d\d):(\d\d):(\d\d) ([\w.@-]+) +\| ?/;
// docker compose v1 ("server_1  | "), v2 ("app-web-1  | "), container_name ("hub-dev-webserver | "), swarm ("web.1.18t5r6j642rh@node    | ").
const compose = /^([A-Za-z0-9][\w.@-]*) +\| ?/;
const kubectlPrefix = /^\[pod\/([^/\]\s]+)\/([^\]\s]+)\] /;
// containerd/CRI-O files under /var/log/pods: "2016-10-06T00:17:09.669794202Z stdout F message".
const criHeader = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,9})?(?:Z|[+-]\d\d:\d\d)) (stdout|stderr) [FP] /;
// `kubectl logs --timestamps`, `docker logs -t`: an RFC 3339 time in front of a JSON or klog line.
const timestampInFront = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,9})?(?:Z|[+-]\d\d:\d\d)) (?=\{|[IWEF]\d{4} )/;
// Docker Desktop's own logs: "[2023-03-01T10:20:30.123456789Z][com.docker.backend.ipc][I] message".
const dockerDesktop = /^\[(\d{4}-\d\d-\d\dT[\d:.]+Z)\]\[([\w.-]+)\](?:\[([TDIWEF])\])? ?/;
// botops's own export (formatPlain): "2026-11-25T12:03:11.123Z rust-core-engine ERROR text".
const exportLine = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z) (\S+) +(TRACE|DEBUG|INFO |WARN |ERROR|FATAL|-    |---- ) /;

const letterLevel: Readonly<Record<string, Level>> = {T: 'trace', D: 'debug', I: 'info', W: 'warn', E: 'error', F: 'fatal'};
const labelLevel = new Map<string, Level>(Object.entries(levelLabel).map(([level, label]) => [label, level as Level]));

/** "app-web-1" → "app-web", "server_1" → "server", "web.1.18t5r6j642rh@node" → "web", "redis.1" → "redis". */
export function serviceOfReplica(name: string): string {
	const swarm = /^(.+?)\.\d+\.[a-z0-9]{10,}(?:@\S+)?$/.exec(name);
	if (swarm) return swarm[1]!;
	return name.replace(/[-_.]\d+$/, '') || name;
}

/** A name that is a level word, not a service ("INFO | message" is a pipe-separated line, not a compose prefix). */
const levelish = /^(?:trace|debug|info|notice|warn|warning|error|err|fatal|critical|crit|panic)$/i;

/**
 * Whether the label after the service of an export line may start where it must (after the service and its
 * padding): decided on one character, so that an ISO-stamped line with a level word after the stamp costs no regex.
 */
function mayBeExportLine(text: string): boolean {
	let at = text.indexOf(' ', 25);
	if (at === -1) return false;
	while (text.charCodeAt(at) === 32) at++;
	const c = text.charCodeAt(at);
	return c === 84 || c === 68 || c === 73 || c === 87 || c === 69 || c === 70 || c === 45; /* T D I W E F - */
}

/**
 * Peels the prefixes in front of a sanitised line; undefined when there is none (the common case, kept cheap:
 * each form is tried only when the first character can start it). `now` dates prefixes without a year or day.
 */
export function peelPrefix(text: string, now: number): PeeledLine | undefined {
	const first = text.charCodeAt(0);
	if (first === 60 /* < */) return peelSyslog(text, now);
	if (first === 123 /* { */) return text.startsWith('{"log":"') ? peelJsonFile(text, now) : undefined;
	if (first === 91 /* [ */) {
		if (text.startsWith('[pod/')) {
			const k = kubectlPrefix.exec(text);
			if (k) return withInner({text: text.slice(k[0].length), service: k[2], instance: k[1]}, now);
		}
		const d = dockerDesktop.exec(text);
		if (d) return {text: text.slice(d[0].length), service: d[2], time: Date.parse(d[1]!), level: d[3] ? letterLevel[d[3]] : undefined};
		return undefined;
	}
	if (first >= 48 && first <= 57 /* digit */) {
		// A CJK locale's month: "10月 25 16:08:09 host app[1]: …".
		if (text.charCodeAt(1) === 0x6708 || text.charCodeAt(2) === 0x6708) return peelSyslog(text, now);
		if (text.charCodeAt(2) === 58 /* : */) {
			const f = foreman.exec(text);
			if (f) {
				const day = new Date(now);
				day.setHours(Number(f[1]), Number(f[2]), Number(f[3]), 0);
				return withInner({text: text.slice(f[0].length), service: serviceOfReplica(f[4]!), instance: f[4], time: day.getTime()}, now);
			}
		}
		if (text.charCodeAt(4) === 45 /* - */ && text.charCodeAt(10) === 84 /* T */) {
			// Decided on the character after the timestamp, so that the usual ISO-stamped line costs no regex here.
			const space = text.indexOf(' ', 19);
			if (space === -1 || space > 36) return undefined;
			const next = text.charCodeAt(space + 1);
			const e = space === 24 && next !== 32 && mayBeExportLine(text) ? exportLine.exec(text) : null;
			if (e) {
				const label = e[3]!;
				const marker = label === '---- ';
				return {text: text.slice(e[0].length), service: e[2], time: Date.parse(e[1]!), level: marker ? 'info' : labelLevel.get(label), stream: marker ? 'marker' : undefined, levelIsFinal: true};
			}
			const c = next === 115 /* s */ ? criHeader.exec(text) : null;
			if (c) return withInner({text: text.slice(c[0].length), time: Date.parse(c[1]!), stream: c[2] as 'stdout' | 'stderr'}, now);
			const afterLetter = text.charCodeAt(space + 2);
			const t = next === 123 /* { */ || ((next === 73 || next === 87 || next === 69 || next === 70) /* I W E F */ && afterLetter >= 48 && afterLetter <= 57) ? timestampInFront.exec(text) : null;
			if (t) return {text: text.slice(t[0].length), time: Date.parse(t[1]!)};
		}
	}
	if ((first >= 65 && first <= 90) || (first >= 97 && first <= 122) || first > 127) {
		// A month token of 3 to 6 letters, then the day: "Mar  5", "déc. 13", "Okt 05".
		const space = text.indexOf(' ', 3);
		if (space > 0 && space <= 7) {
			const after = text.charCodeAt(space + 1);
			if ((after >= 48 && after <= 57) || after === 32) {
				const s = peelSyslog(text, now);
				if (s) return s;
			}
		}
	}
	if (first !== 32 && first !== 9) {
		const bar = text.indexOf('|');
		if (bar > 1 && bar < 80 && text.charCodeAt(bar - 1) === 32) {
			const m = compose.exec(text);
			if (m && !levelish.test(m[1]!) && /[A-Za-z]/.test(m[1]!)) return withInner({text: text.slice(m[0].length), service: serviceOfReplica(m[1]!), instance: m[1]}, now);
		}
	}
	return undefined;
}

/** A prefix can stand in front of another (compose in front of syslog, kubectl in front of a json-file line): peel once more. */
function withInner(outer: PeeledLine, now: number): PeeledLine {
	const inner = peelPrefix(outer.text, now);
	if (!inner) return outer;
	return {
		text: inner.text,
		service: outer.service ?? inner.service,
		instance: outer.instance ?? inner.instance,
		time: inner.time ?? outer.time,
		level: inner.level ?? outer.level,
		stream: inner.stream ?? outer.stream,
		levelIsFinal: inner.levelIsFinal,
	};
}

/** The local year at `now`, for the last `now` asked about (one per batch of lines): a Date per line costs more than its regex. */
const yearAt = {now: Number.NaN, year: 0};
function localYear(now: number): number {
	if (now !== yearAt.now) {
		yearAt.now = now;
		yearAt.year = new Date(now).getFullYear();
	}
	return yearAt.year;
}

function peelSyslog(text: string, now: number): PeeledLine | undefined {
	if (text.charCodeAt(0) === 60 && /^<\d{1,3}>\d/.test(text)) {
		const r = rfc5424.exec(text);
		if (!r) return undefined;
		const host = r[3] === '-' ? undefined : r[3];
		const app = r[4] === '-' ? undefined : r[4];
		const time = r[2] === '-' ? undefined : Date.parse(r[2]!);
		return withInner({text: text.slice(r[0].length), service: app, instance: host, time: Number.isNaN(time) ? undefined : time, level: syslogSeverity[Number(r[1]) & 7]}, now);
	}
	const m = rfc3164.exec(text);
	if (!m) return undefined;
	const month = monthIndex(m[2]!);
	if (month === undefined) return undefined;
	const host = m[8];
	const app = m[9]!;
	const year = localYear(now);
	const [day, hour, minute, second] = [Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])];
	const ms = m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0;
	let time = localToEpoch(year, month + 1, day, hour, minute, second, ms);
	// No year in the header: the latest date not more than a day ahead of now (December lines read in January).
	if (time > now + 86_400_000) time = localToEpoch(year - 1, month + 1, day, hour, minute, second, ms);
	return withInner({text: text.slice(m[0].length), service: app, instance: host, time, level: m[1] === undefined ? undefined : syslogSeverity[Number(m[1]) & 7]}, now);
}

/** The json-file driver's own format, as found in /var/lib/docker/containers/<id>/<id>-json.log. */
function peelJsonFile(text: string, now: number): PeeledLine | undefined {
	let object: unknown;
	try {
		object = JSON.parse(text);
	} catch {
		return undefined;
	}
	if (!object || typeof object !== 'object') return undefined;
	const {log, stream, time} = object as {log?: unknown; stream?: unknown; time?: unknown};
	if (typeof log !== 'string') return undefined;
	// JSON.parse turned the wrapper's escapes ("\u001b[2J") back into control characters: sanitise the inner line again.
	const inner = sanitise(log.replace(/\r?\n$/, ''));
	const parsed = typeof time === 'string' ? Date.parse(time) : Number.NaN;
	return withInner({text: inner, time: Number.isNaN(parsed) ? undefined : parsed, stream: stream === 'stderr' ? 'stderr' : stream === 'stdout' ? 'stdout' : undefined}, now);
}
