import {scrub} from '../util/secrets.js';

/**
 * Makes a log line safe to print on a terminal and to show on a shared screen: secrets are masked (the one
 * scrubber), and nothing in it can move the cursor, clear the screen, set the title or reorder text. Colour (SGR)
 * sequences are dropped; every other control character is shown escaped ("\x1b[2J"), as are C1 controls,
 * line/paragraph separators, bidirectional overrides (Trojan Source) and the replacement character that stands
 * for invalid UTF-8. Tab is kept.
 */

// One test per line on the fast path: most lines have nothing to escape.
const unsafe = /[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufffd]/;
const sgr = /\x1b\[[0-9;:]*m/g;
const unsafeAll = /[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufffd]/g;

function escapeChar(char: string): string {
	const code = char.charCodeAt(0);
	if (code === 0xfffd) return '\\ufffd';
	if (code > 0xff) return '\\u' + code.toString(16).padStart(4, '0');
	return '\\x' + code.toString(16).padStart(2, '0');
}

export function sanitise(text: string): string {
	// CRLF output (Windows tools, some HTTP servers) leaves a trailing CR that is no content.
	if (text.charCodeAt(text.length - 1) === 13) text = text.slice(0, -1);
	if (unsafe.test(text)) text = text.replace(sgr, '').replace(unsafeAll, escapeChar);
	// After escaping, so that a secret interleaved with colour codes is whole again when it is matched.
	return scrub(text);
}
