/** MongoDB's command error: `{ok: 0, errmsg, code, codeName}`, with the codes from the server's error_codes.yml. */
import type {Document} from 'bson';

export const errorCodes = {
	BadValue: 2,
	FailedToParse: 9,
	Unauthorized: 13,
	TypeMismatch: 14,
	AuthenticationFailed: 18,
	IllegalOperation: 20,
	NamespaceNotFound: 26,
	CursorNotFound: 43,
	CommandNotFound: 59,
	InvalidNamespace: 73,
	ProtocolError: 17,
	MechanismUnavailable: 334,
	DuplicateKey: 11000,
	NotWritablePrimary: 10107,
	Location40324: 40324,
	ClientMetadataCannotBeMutated: 186,
	NotPrimaryNoSecondaryOk: 13435,
} as const;

export type CodeName = keyof typeof errorCodes;

export class MongoCommandError extends Error {
	constructor(
		readonly codeName: CodeName,
		message: string,
	) {
		super(message);
	}

	get code(): number {
		return errorCodes[this.codeName];
	}

	toReply(): Document {
		return {ok: 0, errmsg: this.message, code: this.code, codeName: this.codeName};
	}
}

export const commandError = (codeName: CodeName, message: string) => new MongoCommandError(codeName, message);
