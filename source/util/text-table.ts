// eslint-disable-next-line no-control-regex
const sgr = /\u001B\[[0-9;]*m/g;
const visibleLength = (text: string) => text.replace(sgr, '').length;

/** A plain aligned table for command output (scripts, cron, chat-ops): columns sized to their visible content. */
export function textTable(headers: string[], rows: string[][]): string {
	const widths = headers.map((header, i) => Math.max(visibleLength(header), ...rows.map(row => visibleLength(row[i] ?? ''))));
	const line = (cells: string[]) =>
		cells
			.map((cell, i) => (i === cells.length - 1 ? cell : cell + ' '.repeat(widths[i]! - visibleLength(cell))))
			.join('  ')
			.trimEnd();
	return [line(headers), ...rows.map(line)].join('\n') + '\n';
}
