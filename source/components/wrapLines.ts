import {expandTabs} from '../util/format.js';

/**
 * Long lines cut into rows of `width` (at a space when there is one in the second half of the row), continuation
 * rows indented like the line they continue, so a plan's exact calls and a runbook's description are shown
 * whole (and can be scrolled) instead of truncated at 80 columns.
 */
export function wrapLines(lines: readonly string[], width: number): string[] {
	const out: string[] = [];
	const room = Math.max(8, width);
	// Foreign text (step output, error details) may hold tabs and line breaks: each is laid out as a terminal would.
	for (const line of lines.flatMap(text => expandTabs(text).split('\n'))) {
		let rest = Array.from(line);
		if (rest.length <= room) {
			out.push(line);
			continue;
		}
		const indent = ' '.repeat(Math.min(room >> 1, (/^\s*/.exec(line)?.[0].length ?? 0) + 2));
		let prefix = '';
		while (rest.length > 0) {
			const fits = room - prefix.length;
			if (rest.length <= fits) {
				out.push(prefix + rest.join(''));
				break;
			}
			const space = rest.lastIndexOf(' ', fits);
			const cut = space > fits / 2 ? space : fits;
			out.push(prefix + rest.slice(0, cut).join('').trimEnd());
			rest = rest.slice(space === cut ? cut + 1 : cut);
			prefix = indent;
		}
	}
	return out;
}
