import {scrub} from '../util/secrets.js';

/**
 * Makes a log line safe to print on a terminal and to show on a shared screen: secrets are masked (the one
 * scrubber, unless `--no-mask`), and nothing in it can move the cursor, clear the screen, set the title or reorder text. Colour (SGR)
 * sequences are dropped; every other control character is shown escaped ("\x1b[2J"), as are C1 controls,
 * line/paragraph separators, bidirectional overrides (Trojan Source) and the replacement character that stands
 * for invalid UTF-8. Tab is kept.
 */

// One test per line on the fast path: most lines have nothing to escape.
const unsafe = /[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufffd]/;
const sgr = /\x1b\[[0-9;:]*m/g;
/**
 * Colour (SGR) codes as pasted and piped logs carry them: the ESC byte lost ("[32m INFO[0m"), shown as "?" or
 * U+FFFD, or spelled out ("\33[32m", "\033[", "\x1b[", "\e[", "\u001b[", "ESC["). Without an ESC in front, a
 * code needs its digits, so that "[m" or "[ok]" in prose is left alone.
 */
const mangledSgr = /(?:\\(?:x1[bB]|0?33|e|u001[bB])|\?|\ufffd|ESC)\[[0-9;:]*m|\[[0-9]{1,3}(?:[;:][0-9]{1,3})*m(?!\])/g;
const mangledSgrTest = /\[[0-9;:]*m/;

/** The line without colour codes, real or mangled; the same string when it has none. */
export function stripColour(text: string): string {
	if (!mangledSgrTest.test(text)) return text;
	if (text.includes('\x1b')) {
		text = text.replace(sgr, '');
		// Real colour codes are the usual case, and with them gone there is rarely a mangled one left to look for.
		if (!mangledSgrTest.test(text)) return text;
	}
	return text.replace(mangledSgr, '');
}
const unsafeAll = /[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufffd]/g;

function escapeChar(char: string): string {
	const code = char.charCodeAt(0);
	if (code === 0xfffd) return '\\ufffd';
	if (code > 0xff) return '\\u' + code.toString(16).padStart(4, '0');
	return '\\x' + code.toString(16).padStart(2, '0');
}

/**
 * Whether log lines are masked: on unless the operator asked for the raw line (`--no-mask`). One switch for the
 * process, read here, where every log line passes (container streams, files, stdin, pretty-printed JSON) and by
 * the export, so no path can show, print or save a line differently from the others.
 */
let maskLogLines = true;

/** `--no-mask` turns masking of log lines off for this process; error messages and the audit log stay masked. */
export function setLogMasking(enabled: boolean): void {
	maskLogLines = enabled;
}

/** Whether log lines are masked (handed to a worker thread, which starts with the default). */
export function logMasking(): boolean {
	return maskLogLines;
}

/** A log line's text as it may be shown, printed or saved: scrubbed, unless `--no-mask`. */
export function maskLogText(text: string): string {
	return maskLogLines ? scrub(text) : text;
}

export function sanitise(text: string): string {
	// CRLF output (Windows tools, some HTTP servers) leaves a trailing CR that is no content.
	if (text.charCodeAt(text.length - 1) === 13) text = text.slice(0, -1);
	if (text.includes('[')) text = stripColour(text);
	if (unsafe.test(text)) text = text.replace(unsafeAll, escapeChar);
	// After escaping, so that a secret interleaved with colour codes is whole again when it is matched.
	return maskLogText(text);
}
