import {Buffer} from 'node:buffer';

/**
 * Splits a byte stream into lines (LF, trailing CR dropped by the parser), yielding one array per chunk so
 * that consumers handle batches, never single lines. Bytes are decoded per line, so a UTF-8 character split
 * across chunks stays whole and invalid bytes become U+FFFD (shown escaped by the sanitiser).
 */
export async function* readLineBatches(input: AsyncIterable<Buffer | string>): AsyncGenerator<string[]> {
	let rest: Buffer | undefined;
	for await (const piece of input) {
		const chunk = typeof piece === 'string' ? Buffer.from(piece, 'utf8') : piece;
		const data = rest ? Buffer.concat([rest, chunk]) : chunk;
		const lines: string[] = [];
		let start = 0;
		for (let newline = data.indexOf(10); newline !== -1; newline = data.indexOf(10, start)) {
			lines.push(data.toString('utf8', start, newline));
			start = newline + 1;
		}
		rest = start < data.length ? data.subarray(start) : undefined;
		// Keep a copy only of the unfinished tail, not the whole chunk it points into.
		if (rest && rest.length < data.length / 2) rest = Buffer.from(rest);
		if (lines.length > 0) yield lines;
	}
	if (rest && rest.length > 0) yield [rest.toString('utf8')];
}
