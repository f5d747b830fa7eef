// Placeholder on the `cli` branch only, so that the CLI's dispatch of `botops demo --serve` typechecks and bundles.
// The `demo` branch's source/demo/serve.ts (the real headless deployment) replaces this file at merge.
export async function runDemoServe(_options: {scenario?: string}, io: {stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream}): Promise<number> {
	io.stderr.write('botops demo --serve: not in this build (source/demo/serve.ts comes from the demo branch)\n');
	return 1;
}
