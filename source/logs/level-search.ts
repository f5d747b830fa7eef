import type {Buffer} from 'node:buffer';
import {latin1Window, type ByteSearch} from './prefilter.js';
import type {Level} from './record.js';

/**
 * `--level error` (or fatal) on saved logs: a level cannot be found by one literal, but an error or fatal record
 * has, somewhere in its lines, one of the spellings the level detector (level.ts, prefix.ts, parse.ts) turns into
 * error or fatal. This finds every line that holds one, in any case, looser than the detector (more lines, never
 * fewer); the prefilter parses only the records around those lines, and the level filter decides on them as on a
 * full read. Spellings, by where the detector finds them:
 *  - level words in every form levelFromWord reads (error, eror, err, severe, fatal, ftl, crit(ical), alert,
 *    emerg(ency), (d)panic and logrus' four letters), which also covers slog's "ERROR+2", logfmt, Python, nginx,
 *    Next.js, zap, logrus, log15, script helpers and botops' own export label;
 *  - failure lines: Traceback (which also makes the record it folds into an error), Exception, Uncaught,
 *    Unhandled, "panicked at", "fatal error:";
 *  - one-letter forms: klog "E0225 10:57:00", MongoDB before 4.4 "… E NETWORK  [", beego/Grafana 2.x and Docker
 *    Desktop "[E]", "[C]", "[F]", MongoDB's JSON "s":"E", a JSON level letter, minikube's "X Exiting";
 *  - numbers: a JSON level 50 and above (pino, bunyan), an access log's 5xx status, a syslog <PRI> (its severity);
 *  - Next.js glyphs ⨯ ✗ × (as UTF-8 bytes read one by one).
 * JSON keys are matched with an optional backslash before their quotes: a json-file wrapper escapes the inner line.
 * Not covered: a record that takes the level of the record before it (an unlevelled, indented line that starts a
 * record of its own only at the start of a stream or after 500 folded lines), as with --grep's prefilter.
 */
// The level words apart from the other forms: V8 scans a short alternation of letters several times faster than the whole set.
const errorWords = /err|eror|sever|fat|ftl|crit|alert|emerg|pani|exception|traceback|uncaught|unhandled/gi;
const errorForms = new RegExp(
	[
		'\\[[cef]\\]',
		'[ef]\\d{4} \\d\\d:\\d\\d',
		'[\\dz] {1,2}[ef]\\d? +[a-z_-]+ +\\[',
		'" 5\\d\\d ',
		'"(?:s|level|severity|lvl|log\\.level|levelname|loglevel)\\\\?"\\s*:\\s*(?:\\\\?")?(?:[ef]|[5-9]\\d|\\d{3})',
		'<\\d{1,3}>',
		'(?:^|[\\s|\\]])x [^\\s]',
		'\\xe2\\xa8\\xaf',
		'\\xe2\\x9c\\x97',
		'\\xc3\\x97',
	].join('|'),
	'gim',
);

/** The byte search that finds every record of `minLevel` or above, for error and fatal; undefined for lower levels (most lines are candidates). */
export function levelSearchFor(minLevel: Level | undefined): ByteSearch | undefined {
	if (minLevel !== 'error' && minLevel !== 'fatal') return undefined;
	return firstOf([new RegExp(errorWords.source, errorWords.flags), new RegExp(errorForms.source, errorForms.flags)]);
}

/**
 * The first hit of any of `scans` (global, over the bytes read as Latin-1, one decode per chunk). Each one's next
 * hit is kept: the prefilter asks again from further on, and a hit not passed yet is still the next.
 */
function firstOf(scans: RegExp[]): ByteSearch {
	const window = latin1Window();
	/** Per scan: the text offset of its next hit at or after `searchedFrom[i]` (-1: none left in this text). */
	const next = scans.map(() => -1);
	const searchedFrom = scans.map(() => Infinity);
	return {find: (buffer, from, to) => {
		const {text, start: decodedFrom, fresh} = window(buffer, from, to);
		if (fresh) searchedFrom.fill(Infinity);
		const at = from - decodedFrom;
		let best = -1;
		for (let i = 0; i < scans.length; i++) {
			if (searchedFrom[i]! > at || (next[i]! !== -1 && next[i]! < at)) {
				const scan = scans[i]!;
				scan.lastIndex = at;
				const m = scan.exec(text);
				next[i] = m ? m.index : -1;
				searchedFrom[i] = at;
			}
			const hit = next[i]!;
			if (hit !== -1 && (best === -1 || hit < best)) best = hit;
		}
		return best === -1 ? -1 : decodedFrom + best;
	}};
}
