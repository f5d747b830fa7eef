/**
 * The server side of SCRAM-SHA-256 (RFC 5802 with RFC 7677's hash), as mongod runs it over saslStart/saslContinue.
 * Only the salted keys are kept, never the password. The demo's passwords are hex, so SASLprep leaves them unchanged.
 */
import {createHash, createHmac, pbkdf2, randomBytes, timingSafeEqual} from 'node:crypto';
import {promisify} from 'node:util';
import {commandError} from './errors.js';

export const scramMechanism = 'SCRAM-SHA-256';
/** mongod's default scramSHA256IterationCount. */
const iterationCount = 15_000;
const pbkdf2Async = promisify(pbkdf2);

export type ScramCredential = {salt: Buffer; iterationCount: number; storedKey: Buffer; serverKey: Buffer};

const hmac = (key: Buffer, text: string | Buffer) => createHmac('sha256', key).update(text).digest();
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest();

export async function scramCredential(password: string): Promise<ScramCredential> {
	const salt = randomBytes(28);
	const salted = await pbkdf2Async(password, salt, iterationCount, 32, 'sha256');
	return {salt, iterationCount, storedKey: sha256(hmac(salted, 'Client Key')), serverKey: hmac(salted, 'Server Key')};
}

/** `=2C` and `=3D` are the only escapes RFC 5802 allows in a saslname. */
function decodeSaslName(name: string): string {
	if (/=(?!2C|3D)/.test(name)) throw commandError('BadValue', 'Invalid SCRAM username: malformed escape');
	return name.replace(/=2C/g, ',').replace(/=3D/g, '=');
}

function attributes(message: string): Map<string, string> {
	const map = new Map<string, string>();
	for (const part of message.split(',')) {
		const eq = part.indexOf('=');
		if (eq === 1) map.set(part[0], part.slice(2));
	}
	return map;
}

const authenticationFailed = () => commandError('AuthenticationFailed', 'Authentication failed.');

/** One client's conversation: the first message names the user, the final one proves the password. */
export class ScramConversation {
	private readonly clientFirstBare: string;
	private readonly serverFirst: string;
	private readonly gs2Header: string;
	private readonly nonce: string;
	readonly username: string;
	private state: 'started' | 'proved' | 'done' = 'started';

	private readonly credential: ScramCredential | undefined;

	/** An unknown user (`lookup` finds none) gets a made-up salt and fails at the proof, so names cannot be probed. */
	constructor(clientFirst: string, lookup: (username: string) => ScramCredential | undefined) {
		const match = /^([ny]),(a=[^,]*)?,(.*)$/.exec(clientFirst);
		if (!match) {
			if (clientFirst.startsWith('p=')) throw commandError('BadValue', 'Server does not support channel binding');
			throw commandError('BadValue', 'Incorrect SCRAM client|server nonce or gs2 header');
		}
		this.gs2Header = `${match[1]},${match[2] ?? ''},`;
		this.clientFirstBare = match[3];
		const fields = attributes(this.clientFirstBare);
		const user = fields.get('n');
		const clientNonce = fields.get('r');
		if (user === undefined || !clientNonce) throw commandError('BadValue', 'Invalid SCRAM client first message');
		this.username = decodeSaslName(user);
		this.credential = lookup(this.username);
		this.nonce = clientNonce + randomBytes(24).toString('base64');
		const salt = this.credential?.salt ?? randomBytes(28);
		this.serverFirst = `r=${this.nonce},s=${salt.toString('base64')},i=${this.credential?.iterationCount ?? iterationCount}`;
	}

	get serverFirstMessage(): string {
		return this.serverFirst;
	}

	/** The client's final message: answers the server signature, or throws AuthenticationFailed. */
	prove(clientFinal: string): string {
		if (this.state !== 'started') throw commandError('ProtocolError', 'SCRAM conversation already proved');
		const proofAt = clientFinal.lastIndexOf(',p=');
		if (proofAt < 0) throw commandError('BadValue', 'Invalid SCRAM client final message: no proof');
		const withoutProof = clientFinal.slice(0, proofAt);
		const fields = attributes(withoutProof);
		if (fields.get('c') !== Buffer.from(this.gs2Header).toString('base64')) throw commandError('BadValue', 'Incorrect SCRAM channel binding');
		if (fields.get('r') !== this.nonce) throw commandError('BadValue', 'Incorrect SCRAM client|server nonce');
		const proof = Buffer.from(clientFinal.slice(proofAt + 3), 'base64');
		const credential = this.credential;
		if (!credential || proof.length !== 32) throw authenticationFailed();
		const authMessage = `${this.clientFirstBare},${this.serverFirst},${withoutProof}`;
		const signature = hmac(credential.storedKey, authMessage);
		const clientKey = Buffer.alloc(32);
		for (let i = 0; i < 32; i++) clientKey[i] = proof[i] ^ signature[i];
		if (!timingSafeEqual(sha256(clientKey), credential.storedKey)) throw authenticationFailed();
		this.state = 'proved';
		return `v=${hmac(credential.serverKey, authMessage).toString('base64')}`;
	}

	/** The empty exchange a client sends after the server signature when it did not ask to skip it. */
	finish(): void {
		if (this.state !== 'proved') throw authenticationFailed();
		this.state = 'done';
	}

	get proved(): boolean {
		return this.state !== 'started';
	}
}
