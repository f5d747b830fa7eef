import type {Runbook} from '../../runbooks/schema.js';

/** The runbooks offered for a service (those that apply to it or to all), or every runbook. */
export function runbooksFor(runbooks: readonly Runbook[], service?: string): Runbook[] {
	if (!service) return [...runbooks];
	return runbooks.filter(r => r.appliesTo === 'all' || r.appliesTo.includes(service));
}

export function appliesToText(runbook: Runbook): string {
	return runbook.appliesTo === 'all' ? 'all' : runbook.appliesTo.join(', ');
}

/**
 * Long lines cut into rows of `width`, continuation rows indented like the line they continue, so a plan's
 * exact calls are shown whole (and can be scrolled) instead of truncated at 80 columns.
 */
export function wrapLines(lines: readonly string[], width: number): string[] {
	const out: string[] = [];
	const room = Math.max(8, width);
	for (const line of lines) {
		const chars = Array.from(line);
		if (chars.length <= room) {
			out.push(line);
			continue;
		}
		const indent = ' '.repeat(Math.min(room >> 1, (/^\s*/.exec(line)?.[0].length ?? 0) + 2));
		out.push(chars.slice(0, room).join(''));
		for (let i = room; i < chars.length; i += room - indent.length) out.push(indent + chars.slice(i, i + room - indent.length).join(''));
	}
	return out;
}
