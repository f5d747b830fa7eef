import type {Reporter, TestModule} from 'vitest/node';

/**
 * Ends the run with one plain line, "Tests: N passed, N failed, N skipped", that CI reads as the test count
 * (vitest's own summary is decorated and not a format CI knows). Files that failed to load count as failed.
 */
export default class SummaryReporter implements Reporter {
	onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>): void {
		let passed = 0;
		let failed = 0;
		let skipped = 0;
		for (const module of testModules) {
			let tests = 0;
			for (const test of module.children.allTests()) {
				tests++;
				const {state} = test.result();
				if (state === 'passed') passed++;
				else if (state === 'failed') failed++;
				else skipped++;
			}
			if (tests === 0 && module.state() === 'failed') failed++;
		}
		failed += unhandledErrors.length;
		process.stdout.write(`\nTests: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
	}
}
