/**
 * MongoDB wire-protocol framing: the standard message header, OP_MSG (sections of kind 0 and 1, flag bits, the
 * optional CRC-32C checksum), and the legacy OP_QUERY / OP_REPLY pair drivers still use for their first handshake.
 * https://www.mongodb.com/docs/manual/reference/mongodb-wire-protocol/
 */
import {deserialize, serialize, type Document} from 'bson';

export const opReply = 1;
export const opQuery = 2004;
export const opCompressed = 2012;
export const opMsg = 2013;

/** OP_MSG flag bits: 0-15 must be understood by the receiver, 16-31 may be ignored. */
export const msgFlags = {checksumPresent: 1 << 0, moreToCome: 1 << 1, exhaustAllowed: 1 << 16} as const;
const knownRequiredBits = msgFlags.checksumPresent | msgFlags.moreToCome;

/** The limits a mongod advertises in `hello` (maxBsonObjectSize, maxMessageSizeBytes). */
export const maxBsonObjectSize = 16 * 1024 * 1024;
export const maxMessageSizeBytes = 48_000_000;
const headerSize = 16;

export type MessageHeader = {messageLength: number; requestId: number; responseTo: number; opCode: number};

/** One OP_MSG: kind-1 document sequences are folded into the command under their identifier, as the server does. */
export type OpMsgRequest = {kind: 'msg'; header: MessageHeader; flags: number; command: Document};
/** A legacy OP_QUERY on `db.$cmd` (only the handshake uses it): the query is the command. */
export type OpQueryRequest = {kind: 'query'; header: MessageHeader; flags: number; collection: string; skip: number; limit: number; command: Document};
export type WireRequest = OpMsgRequest | OpQueryRequest;

export class WireProtocolError extends Error {}

/** Splits a byte stream into whole messages; a bad length means the peer is not speaking this protocol. */
export class MessageFramer {
	private pending: Buffer[] = [];
	private pendingBytes = 0;

	push(chunk: Buffer): Buffer[] {
		this.pending.push(chunk);
		this.pendingBytes += chunk.length;
		const messages: Buffer[] = [];
		while (this.pendingBytes >= 4) {
			const head = this.pending.length === 1 ? this.pending[0] : this.flatten();
			const length = head.readInt32LE(0);
			if (length < headerSize || length > maxMessageSizeBytes) throw new WireProtocolError(`invalid message length ${length}`);
			if (this.pendingBytes < length) break;
			const buffer = this.flatten();
			messages.push(buffer.subarray(0, length));
			const rest = buffer.subarray(length);
			this.pending = rest.length > 0 ? [rest] : [];
			this.pendingBytes = rest.length;
		}
		return messages;
	}

	private flatten(): Buffer {
		if (this.pending.length > 1) this.pending = [Buffer.concat(this.pending)];
		return this.pending[0];
	}
}

export function readHeader(message: Buffer): MessageHeader {
	return {messageLength: message.readInt32LE(0), requestId: message.readInt32LE(4), responseTo: message.readInt32LE(8), opCode: message.readInt32LE(12)};
}

const bsonOptions = {promoteLongs: false, promoteValues: true} as const;

function readDocument(message: Buffer, offset: number): {document: Document; end: number} {
	if (offset + 4 > message.length) throw new WireProtocolError('truncated BSON document');
	const size = message.readInt32LE(offset);
	if (size < 5 || offset + size > message.length) throw new WireProtocolError(`invalid BSON document size ${size}`);
	return {document: deserialize(message.subarray(offset, offset + size), bsonOptions), end: offset + size};
}

function readCString(message: Buffer, offset: number): {value: string; end: number} {
	const zero = message.indexOf(0, offset);
	if (zero < 0) throw new WireProtocolError('unterminated cstring');
	return {value: message.toString('utf8', offset, zero), end: zero + 1};
}

export function parseRequest(message: Buffer): WireRequest {
	const header = readHeader(message);
	if (header.opCode === opMsg) return parseOpMsg(message, header);
	if (header.opCode === opQuery) return parseOpQuery(message, header);
	throw new WireProtocolError(`unsupported opCode ${header.opCode}`);
}

function parseOpMsg(message: Buffer, header: MessageHeader): OpMsgRequest {
	const flags = message.readUInt32LE(headerSize);
	const unknownRequired = flags & 0xffff & ~knownRequiredBits;
	if (unknownRequired) throw new WireProtocolError(`OP_MSG has unknown required flag bits 0x${unknownRequired.toString(16)}`);
	let end = message.length;
	if (flags & msgFlags.checksumPresent) {
		end -= 4;
		const expected = message.readUInt32LE(end);
		const actual = crc32c(message.subarray(0, end));
		if (expected !== actual) throw new WireProtocolError('OP_MSG checksum mismatch');
	}
	let offset = headerSize + 4;
	let command: Document | undefined;
	const sequences: Array<[string, Document[]]> = [];
	while (offset < end) {
		const kind = message[offset++];
		if (kind === 0) {
			if (command) throw new WireProtocolError('OP_MSG has more than one body section');
			const body = readDocument(message, offset);
			command = body.document;
			offset = body.end;
		} else if (kind === 1) {
			const size = message.readInt32LE(offset);
			const sectionEnd = offset + size;
			if (size < 5 || sectionEnd > end) throw new WireProtocolError(`invalid document sequence size ${size}`);
			const identifier = readCString(message, offset + 4);
			const documents: Document[] = [];
			let position = identifier.end;
			while (position < sectionEnd) {
				const next = readDocument(message, position);
				documents.push(next.document);
				position = next.end;
			}
			sequences.push([identifier.value, documents]);
			offset = sectionEnd;
		} else {
			throw new WireProtocolError(`OP_MSG section kind ${kind} is not supported`);
		}
	}
	if (!command) throw new WireProtocolError('OP_MSG has no body section');
	for (const [identifier, documents] of sequences) {
		if (identifier in command) throw new WireProtocolError(`duplicate field ${identifier} in OP_MSG body and document sequence`);
		command[identifier] = documents;
	}
	return {kind: 'msg', header, flags, command};
}

function parseOpQuery(message: Buffer, header: MessageHeader): OpQueryRequest {
	const flags = message.readInt32LE(headerSize);
	const name = readCString(message, headerSize + 4);
	const skip = message.readInt32LE(name.end);
	const limit = message.readInt32LE(name.end + 4);
	const query = readDocument(message, name.end + 8).document;
	// Drivers wrap the command as {$query: {...}, $readPreference: ...} when they add a read preference.
	const command = typeof query.$query === 'object' && query.$query !== null ? (query.$query as Document) : query;
	return {kind: 'query', header, flags, collection: name.value, skip, limit, command};
}

function header(length: number, requestId: number, responseTo: number, opCode: number): Buffer {
	const buffer = Buffer.alloc(headerSize);
	buffer.writeInt32LE(length, 0);
	buffer.writeInt32LE(requestId, 4);
	buffer.writeInt32LE(responseTo, 8);
	buffer.writeInt32LE(opCode, 12);
	return buffer;
}

/** An OP_MSG reply: one body section; `moreToCome` only for exhaust streams. */
export function encodeOpMsg(reply: Document, requestId: number, responseTo: number, flags = 0): Buffer {
	const body = serialize(reply);
	const prefix = Buffer.alloc(5);
	prefix.writeUInt32LE(flags, 0);
	prefix[4] = 0;
	return Buffer.concat([header(headerSize + prefix.length + body.length, requestId, responseTo, opMsg), prefix, body]);
}

/** An OP_REPLY with one document, the answer to a legacy OP_QUERY command. */
export function encodeOpReply(reply: Document, requestId: number, responseTo: number): Buffer {
	const body = serialize(reply);
	const fields = Buffer.alloc(20);
	fields.writeInt32LE(0, 0); // responseFlags
	fields.writeBigInt64LE(0n, 4); // cursorID
	fields.writeInt32LE(0, 12); // startingFrom
	fields.writeInt32LE(1, 16); // numberReturned
	return Buffer.concat([header(headerSize + fields.length + body.length, requestId, responseTo, opReply), fields, body]);
}

/** CRC-32C (Castagnoli), the OP_MSG checksum. */
const crcTable = (() => {
	const table = new Uint32Array(256);
	for (let n = 0; n < 256; n++) {
		let c = n;
		for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
		table[n] = c >>> 0;
	}
	return table;
})();

export function crc32c(data: Uint8Array): number {
	let crc = 0xffffffff;
	for (const byte of data) crc = crcTable[(crc ^ byte) & 0xff] ^ (crc >>> 8);
	return (crc ^ 0xffffffff) >>> 0;
}
