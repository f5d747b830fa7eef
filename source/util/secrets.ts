/**
 * The one secret scrubber. Error messages, audit records, runbook plans and step output, log lines (shown,
 * printed and exported) all pass through `scrub`, so a secret is masked the same way wherever it would appear.
 *
 * Two kinds of secret are masked:
 *  - values we know: the environment variables the config names as secrets (registered once at start-up) and
 *    a run's secret inputs (passed per call);
 *  - anything shaped like a secret, because a library, a command or a service may echo one we never saw:
 *    URI userinfo, Authorization headers, bearer tokens, `password=`/`"token": "…"`/`secret: …` pairs and AWS
 *    access key ids.
 *
 * Pure and synchronous (no I/O): log lines pass through it at ingest, so most lines leave after one cheap test.
 */

/** What a secret looks like once it has been taken off the screen, the audit log or an error message. */
export const MASK = '***';

/** Known values shorter than this are not masked by value: "abc" would mask every "abc" in every log line. */
const minSecretLength = 4;

/** Input and variable names that hold secrets even when nobody said `secret: true`. */
const secretName = /token|passw|secret|api[-_]?key|private[-_]?key|access[-_]?key|credential|_key$|^key$/i;

export function looksSecret(name: string): boolean {
	return secretName.test(name);
}

/**
 * One test per line before any rewriting: every shape below contains one of these fragments, in any case
 * ("ssw" of password, "ken" of token, "key", "cret" of secret, "uth" of auth, "denti" of credential, "arer" of
 * bearer, the "@" of URI userinfo, the AWS key id prefixes, here in any case too). With /i, which V8 scans about a
 * fifth faster than the same fragments spelled as character classes; this runs on every log line. It is loose
 * ("they", "token bucket", "Asia"); the patterns below decide.
 */
const maybeShaped = /ss[wp]|ke[ny]|cret|uth|denti|arer|a[ks]ia|@/i;

/** `scheme://user:password@host` -> `scheme://user:***@host`; `scheme://token@host` -> `scheme://***@host`. */
const uriUserinfo = /\b([a-z][a-z0-9+.-]*:\/\/)(?:([^\s/?#@:"'<>]*):)?[^\s/?#@"'<>]+@/gi;

/**
 * A secret-named key followed by `=` or `:` and its value, in key=value text, JSON (`"password": "x"`) and YAML
 * (`password: x`). The key must end in the secret word ("admin_token", "aws_secret_access_key", "x-api-key"),
 * so "token bucket refilled" and "tokens_used=5" stay. An Authorization value keeps its scheme word
 * ("Authorization: Bearer ***"). A value already masked, or a `$VAR`/`${…}` reference, is left as it is.
 */
const keyedSecret =
	/((["']?)\b[A-Za-z0-9_.-]*?(?:password|passwd|passphrase|token|secret|api[-_]?key|apikey|access[-_]?key|secret[-_]?key|private[-_]?key|credentials?|authorization|auth)\2[ \t]*[:=][ \t]*)(?:((?:basic|bearer|token|digest)[ \t]+))?(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|((?!\*\*\*|\$|(?:basic|bearer|token|digest)[ \t])[^\s"',;&}\]]+))/gi;

/** A bearer token on its own ("-H Bearer eyJ…"); `Bearer $ADMIN_TOKEN` in a planned call is a reference, not a secret. */
const bearerToken = /\b(bearer[ \t]+)(?!\*\*\*|\$)[A-Za-z0-9._~+/=-]{4,}/gi;

/** AWS access key ids: long-term (AKIA) and temporary (ASIA). Their secret keys are caught by name. */
const awsAccessKeyId = /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g;

/**
 * A set of known values compiled for matching: one alternation for the test every line pays (V8 scans for it
 * far faster than one `includes` per value: 9 M lines/s at 50 values against 1 M), and the same alternation in
 * a lookahead for the rare line that holds one, which finds every occurrence of every value, overlapping or not.
 */
type KnownValues = {values: readonly string[]; any: RegExp; starts: RegExp; gate: RegExp} | undefined;

function compileKnown(values: readonly string[]): KnownValues {
	if (values.length === 0) return undefined;
	// Longest first: where two values start at the same place, the lookahead reports the longer.
	const alternation = values.map(escapeRegExp).join('|');
	// The gate: a line that matches neither the values nor a secret's shape leaves after this one scan, not two.
	// Under /i the values match more than they are, which only sends a line on to the exact tests.
	return {values, any: new RegExp(alternation), starts: new RegExp(`(?=(${alternation}))`, 'g'), gate: new RegExp(`${maybeShaped.source}|${alternation}`, 'i')};
}

function escapeRegExp(value: string): string {
	return value.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** Values registered at start-up, longest first, compiled. */
let known: KnownValues;

/** Registers values that are masked wherever they appear from now on (the environment's secrets). Idempotent. */
export function registerSecrets(values: Iterable<string | undefined>): void {
	const added = expandSecrets(values);
	if (added.length === 0) return;
	known = compileKnown(longestFirst([...(known?.values ?? []), ...added]));
}

/** The values registered so far (handed to a worker thread, whose modules start with none). */
export function registeredSecrets(): readonly string[] {
	return known?.values ?? [];
}

/** The last set of per-call values (a run's secret inputs: the same set for every line of the run), compiled. */
let lastExtra: {key: string; compiled: KnownValues} | undefined;

function withExtra(extra: Iterable<string>): KnownValues {
	const values = longestFirst([...(known?.values ?? []), ...extra]);
	const key = values.join('\u0000');
	if (lastExtra?.key !== key) lastExtra = {key, compiled: compileKnown(values)};
	return lastExtra.compiled;
}

/**
 * `text` with every occurrence of the known values replaced by one mask each. Exact: every character of every
 * occurrence is covered, also where two values overlap ("…abcdef…" with "abcd" and "cdef" becomes one mask
 * instead of leaving "ef"), and a mask never makes a new match, because the text is matched once, before any
 * is written.
 */
function maskKnown(text: string, compiled: KnownValues): string {
	// test(), not search(): search saves and restores lastIndex around the match, which costs more than the match.
	if (compiled === undefined || !compiled.any.test(text)) return text;
	const starts = compiled.starts;
	let out = '';
	let copied = 0;
	let coverStart = -1;
	let coverEnd = -1;
	starts.lastIndex = 0;
	for (let match = starts.exec(text); match !== null; match = starts.exec(text)) {
		const start = match.index;
		const end = start + match[1]!.length;
		if (coverStart >= 0 && start < coverEnd) {
			if (end > coverEnd) coverEnd = end;
		} else {
			if (coverStart >= 0) {
				out += text.slice(copied, coverStart) + MASK;
				copied = coverEnd;
			}
			coverStart = start;
			coverEnd = end;
		}
		// A lookahead matches the empty string: step past it by hand.
		starts.lastIndex = start + 1;
	}
	return out + text.slice(copied, coverStart) + MASK + text.slice(coverEnd);
}

/** The variables an environment names as secret: the admin API token and the MongoDB URI. */
function secretEnvNames(environment: {adminTokenEnv?: string; mongo?: {uriEnv: string}}): string[] {
	return [environment.adminTokenEnv, environment.mongo?.uriEnv].filter((name): name is string => Boolean(name));
}

/** The values of an environment's secret variables, plus the password inside a URI value (it may appear alone). */
export function environmentSecrets(environment: {adminTokenEnv?: string; mongo?: {uriEnv: string}}, env: NodeJS.ProcessEnv): string[] {
	return expandSecrets(secretEnvNames(environment).map(name => env[name]));
}

/** Registers the values of the secret variables of each environment (called once when the config is loaded). */
export function registerEnvironmentSecrets(
	environments: Iterable<{adminTokenEnv?: string; mongo?: {uriEnv: string}}>,
	env: NodeJS.ProcessEnv = process.env,
): void {
	for (const environment of environments) registerSecrets(environmentSecrets(environment, env));
}

/** A value, and when it is a URI with a password, the password as written and decoded. */
function expandSecrets(values: Iterable<string | undefined>): string[] {
	const out: string[] = [];
	for (const value of values) {
		if (!value || value.length < minSecretLength) continue;
		out.push(value);
		const password = /^[a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:([^@/\s]+)@/i.exec(value)?.[1];
		if (password && password.length >= minSecretLength) {
			out.push(password);
			try {
				const decoded = decodeURIComponent(password);
				if (decoded.length >= minSecretLength) out.push(decoded);
			} catch {
				// Not percent-encoded after all: the raw form is enough.
			}
		}
	}
	return out;
}

function longestFirst(values: Iterable<string>): string[] {
	return [...new Set(values)].filter(s => s.length >= minSecretLength).sort((a, b) => b.length - a.length);
}

/**
 * `text` with every secret masked: the registered values, the `extra` values of this call (a run's secret
 * inputs), and anything shaped like a secret.
 */
export function scrub(text: string, extra?: Iterable<string>): string {
	const compiled = extra ? withExtra(extra) : known;
	if (!(compiled === undefined ? maybeShaped : compiled.gate).test(text)) return text;
	const out = maskKnown(text, compiled);
	if (!maybeShaped.test(out)) return out;
	return out
		.replace(uriUserinfo, (_, scheme: string, user: string | undefined) => (user === undefined ? `${scheme}${MASK}@` : `${scheme}${user}:${MASK}@`))
		.replace(keyedSecret, (whole, head: string, _quote, scheme: string | undefined, dq?: string, sq?: string, bare?: string) => {
			const kept = head + (scheme ?? '');
			if (dq !== undefined) return dq === MASK || dq.startsWith('$') ? whole : `${kept}"${MASK}"`;
			if (sq !== undefined) return sq === MASK || sq.startsWith('$') ? whole : `${kept}'${MASK}'`;
			return bare === undefined ? whole : `${kept}${MASK}`;
		})
		.replace(bearerToken, `$1${MASK}`)
		.replace(awsAccessKeyId, MASK);
}

/** Inputs for the plan and the audit record: secret ones (declared or by name) masked, the rest scrubbed. */
export function maskInputs(
	values: Record<string, unknown>,
	secretNames: Iterable<string>,
	secrets?: Iterable<string>,
): Record<string, unknown> {
	const declared = new Set(secretNames);
	const masked: Record<string, unknown> = {};
	for (const [name, value] of Object.entries(values)) {
		if (declared.has(name) || looksSecret(name)) masked[name] = MASK;
		else masked[name] = typeof value === 'string' ? scrub(value, secrets) : value;
	}
	return masked;
}
