/** What a secret looks like once it has been taken off the screen, the audit log or an error message. */
export const MASK = '***';

/** Input and variable names that hold secrets even when the runbook forgot to say `secret: true`. */
const secretName = /token|passw|secret|api[-_]?key|private[-_]?key|credential|_key$|^key$/i;

export function looksSecret(name: string): boolean {
	return secretName.test(name);
}

/**
 * Removes secrets from free text: the exact values we know about, plus anything shaped like one
 * (Bearer values, passwords inside mongodb URIs, `password=…` pairs), because command output and
 * error messages may echo a secret we never saw directly.
 */
export function scrubText(text: string, secrets: Iterable<string> = []): string {
	let out = text;
	// Longest first, so a secret that contains another is masked whole.
	const known = [...new Set(secrets)].filter(s => s.length >= 4).sort((a, b) => b.length - a.length);
	for (const secret of known) out = out.split(secret).join(MASK);
	out = out.replace(/(Bearer\s+)(?!\$[A-Z_])[^\s"',;]+/gi, `$1${MASK}`);
	out = out.replace(/(mongodb(?:\+srv)?:\/\/[^:/@\s"']+:)[^@\s"']+@/gi, `$1${MASK}@`);
	out = out.replace(
		/\b((?:[a-z_]*token|[a-z_]*password|passwd|[a-z_]*secret|api[-_]?key)["']?\s*[=:]\s*["']?)(?!\*\*\*)[^\s"',;&]+/gi,
		`$1${MASK}`,
	);
	return out;
}

/** Inputs for the plan and the audit record: secret ones (declared or by name) masked, the rest scrubbed. */
export function maskInputs(
	values: Record<string, unknown>,
	secretNames: Iterable<string>,
	secrets: Iterable<string> = [],
): Record<string, unknown> {
	const declared = new Set(secretNames);
	const masked: Record<string, unknown> = {};
	for (const [name, value] of Object.entries(values)) {
		if (declared.has(name) || looksSecret(name)) masked[name] = MASK;
		else masked[name] = typeof value === 'string' ? scrubText(value, secrets) : value;
	}
	return masked;
}
