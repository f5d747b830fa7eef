/** A plain aligned table for command output (scripts, cron, chat-ops): columns sized to their content. */
export function textTable(headers: string[], rows: string[][]): string {
	const widths = headers.map((header, i) => Math.max(header.length, ...rows.map(row => (row[i] ?? '').length)));
	const line = (cells: string[]) =>
		cells
			.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]!)))
			.join('  ')
			.trimEnd();
	return [line(headers), ...rows.map(line)].join('\n') + '\n';
}
