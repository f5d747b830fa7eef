/** Docker's stdcopy framing: 8-byte header (stream, 3 zero bytes, big-endian uint32 length), then the payload. */
export function frame(stream: 'stdout' | 'stderr', payload: string | Buffer): Buffer {
	const body = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
	const header = Buffer.alloc(8);
	header[0] = stream === 'stdout' ? 1 : 2;
	header.writeUInt32BE(body.length, 4);
	return Buffer.concat([header, body]);
}
