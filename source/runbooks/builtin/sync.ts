// Regenerates index.ts from the *.yaml beside it: `npx tsx source/runbooks/builtin/sync.ts`.
// The YAML files are what people edit and review; index.ts carries them into the esbuild bundle as plain
// strings (no file reads at run time). test/unit/runbook-builtins.test.ts fails when the two drift apart.
import {readdirSync, readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

export function renderIndex(directory: string): string {
	const files = readdirSync(directory)
		.filter(f => f.endsWith('.yaml'))
		.sort();
	const entries = files.map(f => `\t{file: ${JSON.stringify(f)}, text: ${JSON.stringify(readFileSync(path.join(directory, f), 'utf8'))}},`);
	return [
		'// Generated from the *.yaml files in this directory by sync.ts. Edit the YAML, then run:',
		'//   npx tsx source/runbooks/builtin/sync.ts',
		'export const builtinRunbookFiles: ReadonlyArray<{file: string; text: string}> = [',
		...entries,
		'];',
		'',
	].join('\n');
}

const directory = path.dirname(fileURLToPath(import.meta.url));
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	writeFileSync(path.join(directory, 'index.ts'), renderIndex(directory));
}
