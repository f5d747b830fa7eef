import type {Level} from './record.js';

/** Level words as the common loggers spell them, lower-cased (Grafana's `eror`/`dbug`, syslog's `crit`/`emerg`). */
const levelWords = new Map<string, Level>([
	['trace', 'trace'],
	['trc', 'trace'],
	['finest', 'trace'],
	['debug', 'debug'],
	['dbug', 'debug'],
	['dbg', 'debug'],
	['fine', 'debug'],
	['verbose', 'debug'],
	['info', 'info'],
	['inf', 'info'],
	['information', 'info'],
	['informational', 'info'],
	['notice', 'info'],
	['default', 'info'],
	['warn', 'warn'],
	['warning', 'warn'],
	['wrn', 'warn'],
	['error', 'error'],
	['eror', 'error'],
	['err', 'error'],
	['severe', 'error'],
	['fatal', 'fatal'],
	['ftl', 'fatal'],
	['crit', 'fatal'],
	['critical', 'fatal'],
	['alert', 'fatal'],
	['emerg', 'fatal'],
	['emergency', 'fatal'],
	['panic', 'fatal'],
	['dpanic', 'fatal'],
	// logrus text truncates to four letters (INFO[0026], ERRO, FATA); log15 too (trce, dbug, eror, crit).
	['trac', 'trace'],
	['trce', 'trace'],
	['debu', 'debug'],
	['erro', 'error'],
	['fata', 'fatal'],
	['pani', 'fatal'],
	['warning', 'warn'],
]);
// Also as loggers write them ("ERROR", "Warning"): the usual word is found without a lower-cased copy per line.
for (const [word, level] of [...levelWords]) {
	levelWords.set(word.toUpperCase(), level);
	levelWords.set(word[0]!.toUpperCase() + word.slice(1), level);
}

/** Maps a level word ("WARN", "eror", "ERROR+2" from slog, "Warning") to a level; `unknown` when not one. */
export function levelFromWord(word: string): Level {
	const direct = levelWords.get(word) ?? levelWords.get(word.toLowerCase());
	if (direct) return direct;
	// slog writes levels between the named ones as "INFO+2" / "DEBUG-4".
	const offset = /^([A-Za-z]+)[+-]\d+$/.exec(word);
	return offset ? (levelWords.get(offset[1]!.toLowerCase()) ?? 'unknown') : 'unknown';
}

/** pino and bunyan numeric levels (10 trace … 60 fatal). */
export function levelFromNumber(value: number): Level {
	if (value >= 60) return 'fatal';
	if (value >= 50) return 'error';
	if (value >= 40) return 'warn';
	if (value >= 30) return 'info';
	if (value >= 20) return 'debug';
	return 'trace';
}

/** MongoDB's structured log severity `s`: F, E, W, I, D1–D5. */
const mongoSeverity: Record<string, Level> = {F: 'fatal', E: 'error', W: 'warn', I: 'info', D: 'debug', D1: 'debug', D2: 'debug', D3: 'debug', D4: 'debug', D5: 'debug'};

function levelFromValue(value: unknown): Level {
	if (typeof value === 'string') return levelFromWord(value);
	if (typeof value === 'number') return levelFromNumber(value);
	return 'unknown';
}

/** Level of a parsed JSON log line, from the fields the usual JSON loggers use. */
export function detectJsonLevel(object: Record<string, unknown>): Level {
	for (const key of ['level', 'severity', 'lvl', 'log.level', 'levelname', 'loglevel'] as const) {
		const value = object[key];
		if (value !== undefined) {
			const level = levelFromValue(value);
			if (level !== 'unknown') return level;
		}
	}
	const s = object['s'];
	if (typeof s === 'string' && Object.prototype.hasOwnProperty.call(mongoSeverity, s)) return mongoSeverity[s]!;
	// Elastic Common Schema nests it: {"log": {"level": "error"}}.
	const log = object['log'];
	if (log && typeof log === 'object' && 'level' in log) return levelFromValue((log as {level: unknown}).level);
	return 'unknown';
}

const klog = /^([IWEF])\d{4} \d\d:\d\d:\d\d/;
const redis = /^\d+:[XCSM] \d{1,2} [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d(?:\.\d+)? ([.\-*#]) /;
/** Redis before 3.0: "[5032] 19 Sep 20:06:43.876 * Max number of open files set to 10032". */
const redisLegacy = /^\[\d+\] \d{1,2} [A-Z][a-z]{2} \d\d:\d\d:\d\d(?:\.\d+)? ([.\-*#]) /;
const logfmtLevel = /(?:^|[\s,])(?:level|lvl|severity)=("?)([A-Za-z]+)/;
const pythonPrefix = /^(TRACE|DEBUG|INFO|WARNING|WARN|ERROR|CRITICAL|FATAL):/;
const nginxError = /^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d \[([a-z]+)\]/;
const accessLog = /^\S+ \S+ \S+ \[[^\]]{10,40}\] "[^"]*" (\d{3}) /;
const nextPrefix = /^(warn|error|info|event|wait|ready) +- /;
/** An upper-case level word near the start: tracing, env_logger, Python "- name - ERROR -", Java, log4j. */
const upperWordNames = 'TRACE|DEBUG|INFO|NOTICE|WARN|WARNING|ERROR|ERR|FATAL|CRITICAL|CRIT|PANIC|SEVERE|TRC|DBG|INF|WRN|FTL|EROR|DBUG|TRCE';
/** Global, and read by where the match ends (test, not exec): no match array per line. */
const upperWord = new RegExp(`(?:^|[\\s[(|])(?:${upperWordNames})(?=[\\s\\]):|]|[+-]\\d|$)`, 'g');

/** Lower-case level words only in brackets ("[error]") or before a colon at the start ("error: …"), where they are not prose. */
const lowerBracket = /\[(trace|debug|info|notice|warn|warning|error|err|crit|alert|emerg|fatal)\]/;
const lowerColon = /^(error|warning|warn|fatal|info|debug)(?:\[[^\]]*\])?: /;
/** logrus text and log15/Grafana console: "INFO[0026] msg", "FATA[2021-…] msg", "EROR[05-20|20:35:39] msg", "DEBUG[05-20|20:35:39]". */
const bracketLevel = /^(TRACE|TRAC|TRCE|DEBUG|DEBU|DBUG|INFO|WARN|WARNING|ERROR|ERRO|EROR|FATAL|FATA|CRIT|PANIC|PANI) ?\[/;
/** One-letter severities: MongoDB before 4.4, Grafana 2.x / beego ("C" is beego's critical). */
const letterLevel: Readonly<Record<string, Level>> = {T: 'trace', D: 'debug', I: 'info', W: 'warn', E: 'error', C: 'fatal', F: 'fatal'};
/** Grafana 2.x and beego: "2015/06/03 06:01:42 [I] Starting Grafana". */
const beegoLetter = /^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d(?:\.\d+)? \[([TDIWECF])\] /;
/** zap's console encoder: time, TAB, level, TAB ("2021-06-07T14:56:13.614+0800\tINFO\tmain.go:12\tmsg"). */
const zapConsole = /^[^\t]{8,40}\t(debug|info|warn|error|dpanic|panic|fatal)\t/i;
/** MongoDB before 4.4: "2024-07-11T16:29:45.228+0000 I CONTROL  [initandlisten] …", 4.2 with two spaces, "D1" debug levels. */
const mongoLegacy = /^\d{4}-\d\d-\d\dT[\d:.]+(?:Z|[+-]\d\d:?\d\d)? {1,2}([FEWID])\d? +[A-Z_-]+ +\[/;
/** Next.js 13.4 ("- ready started server", "- warn …") and 9.x ("[ wait ]  compiling ...", "[ ready ] compiled"). */
const nextDash = /^- (ready|event|wait|info|warn|error) /;
const nextBracket = /^\[ (ready|event|wait|info|warn|error) \] /;
/** Shell helpers that name their level after the script ("10-listen-on-ipv6-by-default.sh: info: Getting the checksum"). */
const scriptLevel = /^[\w./-]+: (info|error|warning|warn|notice|debug|fatal): /;
/** minikube's console marks: "* Preparing Kubernetes", "! Executing …", "X Exiting due to …". */
const minikubeMark = /^([*!X]) [A-Z\p{Extended_Pictographic}]/u;
const exceptionLine = /^(?:[A-Za-z_][\w.]*\.)?(?:[A-Z]\w*)?(?:Error|Exception)(?::|$)/;

/** How far into a text line a level word may sit (past timestamps, pids, thread names). */
const scanLimit = 160;

/**
 * Level of a plain-text line (already sanitised). Ordered from the most specific formats to the
 * generic "an upper-case level word near the start", so that a message quoting "ERROR" in a logfmt
 * line still takes the logfmt `level`.
 */
export function detectTextLevel(text: string): Level {
	let first = text.charCodeAt(0);
	// A terminal's echo of a control key in front ("^RINFO:", a pasted uvicorn log), or the escaped control itself ("\x12INFO:").
	if (first === 94 /* ^ */ || first === 92 /* \ */) {
		const echo = /^(?:\^[@A-Z[\\\]^_?]|\\x[01][0-9a-f])+/.exec(text);
		if (echo) {
			text = text.slice(echo[0].length);
			first = text.charCodeAt(0);
		}
	}
	if (first === 32 /* space */ || first === 9 /* tab */) {
		const glyph = nextGlyphLevel(text);
		if (glyph !== 'unknown') return glyph;
		// An indented line may still be a record of its own ("  0.013644156s  INFO app: …", tracing's uptime timer).
		const trimmed = text.trimStart();
		if (trimmed.length === 0 || trimmed.startsWith('at ')) return 'unknown';
		text = trimmed;
		first = text.charCodeAt(0);
	}
	if (first >= 48 && first <= 57 /* digit */) {
		// Each form is tried only when a character where it has a fixed one says it may be it.
		const colon = text.indexOf(':');
		if (colon > 0 && colon < 8 && text.charCodeAt(colon + 2) === 32) {
			const r = redis.exec(text);
			if (r) return r[1] === '#' ? 'warn' : r[1] === '*' ? 'info' : 'debug';
		}
		if (text.charCodeAt(4) === 47 /* / */) {
			const n = nginxError.exec(text);
			if (n) return levelFromWord(n[1]!);
			const g = beegoLetter.exec(text);
			if (g) return letterLevel[g[1]!] ?? 'unknown';
		}
		if (text.charCodeAt(10) === 84 /* T */) {
			const space = text.indexOf(' ', 19);
			const letter = space > 0 && space < 34 ? text.charCodeAt(space + 1) : 0;
			// The letter is followed by a space or a debug digit ("D1"): "ERROR" after the stamp is no MongoDB line.
			const afterLetter = letter === 0 ? 0 : text.charCodeAt(space + 2);
			if ((letter === 70 || letter === 69 || letter === 87 || letter === 73 || letter === 68) /* F E W I D */ && (afterLetter === 32 || (afterLetter >= 48 && afterLetter <= 57))) {
				const mongo = mongoLegacy.exec(text);
				if (mongo) return letterLevel[mongo[1]!] ?? 'unknown';
			}
		}
	}
	if (first === 91 /* [ */) {
		const r = redisLegacy.exec(text);
		if (r) return r[1] === '#' ? 'warn' : r[1] === '*' ? 'info' : 'debug';
	}
	// Tests, not execs, where the match is read off the line itself: no match array per line.
	if (first >= 65 && first <= 90 && bracketLevel.test(text)) return levelFromWord(text.slice(0, upperRunEnd(text, 0)));
	if ((first === 73 || first === 87 || first === 69 || first === 70) /* I W E F */ && klog.test(text)) return first === 73 ? 'info' : first === 87 ? 'warn' : first === 69 ? 'error' : 'fatal';
	const head = text.length > scanLimit ? text.slice(0, scanLimit) : text;
	if (head.includes('\t')) {
		const z = zapConsole.exec(head);
		if (z) return levelFromWord(z[1]!);
	}
	// The regex only where one of its keys is: a scan for "=" finds most key=value lines, not the level key.
	if (head.includes('=') && hasLevelKey(text)) {
		const l = logfmtLevel.exec(text);
		if (l) {
			const level = levelFromWord(l[2]!);
			if (level !== 'unknown') return level;
		}
	}
	const upperFirst = first >= 65 && first <= 90;
	const lowerFirst = first >= 97 && first <= 122;
	if (upperFirst && pythonPrefix.test(head)) return levelFromWord(head.slice(0, head.indexOf(':')));
	if (head.includes('] "')) {
		const a = accessLog.exec(head.length < text.length ? text : head);
		if (a) {
			const status = Number(a[1]);
			return status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';
		}
	}
	const next = (lowerFirst ? nextPrefix.exec(head) : null) ?? (first === 45 ? nextDash.exec(head) : first === 91 ? nextBracket.exec(head) : null);
	if (next) return next[1] === 'warn' ? 'warn' : next[1] === 'error' ? 'error' : 'info';
	// "name: level: …": only where the first ": " ends the first word, i.e. the first space has a colon before it (one
	// forward scan that stops at the first space; lastIndexOf is no fast builtin).
	const firstSpace = head.indexOf(' ');
	if (firstSpace > 1 && head.charCodeAt(firstSpace - 1) === 58 /* : */) {
		const script = scriptLevel.exec(head);
		if (script) return levelFromWord(script[1]!);
	}
	upperWord.lastIndex = 0;
	if (upperWord.test(head)) {
		// The match ends where the word does; the word is the capitals before that.
		const end = upperWord.lastIndex;
		let start = end;
		while (start > 0 && isCapital(head.charCodeAt(start - 1))) start--;
		return upperWordLevel(head.charCodeAt(start));
	}
	const b = head.includes('[') ? lowerBracket.exec(head) : null;
	if (b) return levelFromWord(b[1]!);
	const c = lowerFirst ? lowerColon.exec(head) : null;
	if (c) return levelFromWord(c[1]!);
	return detectFailureLine(head);
}

function isCapital(c: number): boolean {
	return c >= 65 && c <= 90;
}

/** Where the run of capitals that starts at `at` ends. */
function upperRunEnd(text: string, at: number): number {
	while (isCapital(text.charCodeAt(at))) at++;
	return at;
}

/** Whether a key=value line has one of the level keys the logfmt rule reads: `level=`, `lvl=`, `severity=`. */
function hasLevelKey(text: string): boolean {
	for (let at = text.indexOf('='); at !== -1; at = text.indexOf('=', at + 1)) {
		// Most keys end in neither letter: one character instead of three substring tests.
		const last = text.charCodeAt(at - 1);
		if (last === 108 /* l */ ? text.endsWith('level', at) || text.endsWith('lvl', at) : last === 121 /* y */ && text.endsWith('severity', at)) return true;
	}
	return false;
}

/** The level of an upper-case level word, by its first letter: each letter starts the words of one level only. */
function upperWordLevel(first: number): Level {
	switch (first) {
		case 84 /* T */:
			return 'trace';
		case 68 /* D */:
			return 'debug';
		case 73 /* I */:
		case 78 /* N */:
			return 'info';
		case 87 /* W */:
			return 'warn';
		case 69 /* E */:
		case 83 /* S */:
			return 'error';
		default:
			// F, C, P: FATAL, FTL, CRITICAL, CRIT, PANIC.
			return 'fatal';
	}
}

/** Lines that announce a failure without a level word: tracebacks, panics, uncaught exceptions. */
function detectFailureLine(head: string): Level {
	// Each phrase only where the first character can start it: this runs on every line without a level.
	const first = head.charCodeAt(0);
	if (first === 84 /* T */ && head.startsWith('Traceback (most recent call last)')) return 'error';
	if ((first === 112 /* p */ && head.startsWith('panic: ')) || (first === 116 /* t */ && head.startsWith("thread '") && head.includes('panicked at'))) return 'fatal';
	if ((first === 69 /* E */ && head.startsWith('Exception in thread')) || (first === 85 /* U */ && (head.startsWith('Uncaught ') || head.startsWith('Unhandled ')))) return 'error';
	if (exceptionLine.test(head)) return 'error';
	if (first === 102 /* f */ && head.startsWith('fatal error: ')) return 'fatal';
	if (first === 42 || first === 33 || first === 88 /* * ! X */) {
		const mark = minikubeMark.exec(head);
		if (mark) return first === 88 ? 'error' : first === 33 ? 'warn' : 'info';
	}
	return 'unknown';
}

/** Next.js prints its own status glyphs after a space: " ⚠ warn", " ⨯ error", " ✓ ready", " ○ compiling", "  ▲ Next.js". */
function nextGlyphLevel(text: string): Level {
	switch (leadingGlyphCode(text)) {
		case 0x26a0 /* ⚠ */:
			return 'warn';
		case 0x2a2f /* ⨯ */:
		case 0x2717 /* ✗ */:
		case 0xd7 /* × */:
			return 'error';
		case 0x2713 /* ✓ */:
		case 0x25cb /* ○ */:
		case 0x25b2 /* ▲ */:
		case 0x2139 /* ℹ */:
		case 0x26a1 /* ⚡ */:
			return 'info';
		default:
			return 'unknown';
	}
}

/** The code of the first non-space character of a line that starts with one to four spaces (Next.js glyph lines), or 0. */
export function leadingGlyphCode(text: string): number {
	let i = 0;
	while (i < 4 && text.charCodeAt(i) === 32) i++;
	return i > 0 && i < text.length ? text.charCodeAt(i) : 0;
}
