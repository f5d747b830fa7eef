/**
 * Compares expected top-level fields of a JSON body. `"*"` means "present, any value", so a runbook can
 * demand that /api/model/info names a version without pinning which one.
 */
export function bodyMismatches(body: unknown, expected: Record<string, unknown>): string[] {
	if (body === null || typeof body !== 'object' || Array.isArray(body)) return ['expected a JSON object body'];
	const record = body as Record<string, unknown>;
	const problems: string[] = [];
	for (const [field, want] of Object.entries(expected)) {
		const got = record[field];
		if (got === undefined) problems.push(`field "${field}" is missing`);
		else if (want !== '*' && JSON.stringify(got) !== JSON.stringify(want)) {
			problems.push(`field "${field}" is ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
		}
	}
	return problems;
}
