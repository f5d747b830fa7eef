import {execFile} from 'node:child_process';
import {ServiceError} from './errors.js';

export type PendingOptions = {
	/** The upstream ref the deployments come from (default origin/main). */
	upstream: string;
	/** `git fetch` the upstream's remote first, as the manual does (off unless configured: it goes to the network). */
	fetch: boolean;
	signal?: AbortSignal;
};

/** Runs git with argv (never a shell) in the checkout; rejects with git's own first line of stderr. */
function git(checkout: string, args: readonly string[], signal?: AbortSignal): Promise<string> {
	return new Promise((resolve, reject) => {
		execFile('git', ['-C', checkout, ...args], {signal, maxBuffer: 4 * 1024 * 1024, env: {...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C'}}, (error, stdout, stderr) => {
			if (!error) return resolve(stdout);
			const detail = String(stderr).trim().split('\n', 1)[0] || error.message;
			reject(new ServiceError(`git ${args[0]} in ${checkout}: ${detail}`));
		});
	});
}

/**
 * The commits on the upstream that the checkout's HEAD does not have (the manual's `git log --oneline origin/main
 * ^HEAD`), newest first, one `<short sha> <subject>` line each.
 */
export async function pendingCommits(checkout: string, options: PendingOptions): Promise<string[]> {
	if (options.fetch) {
		const slash = options.upstream.indexOf('/');
		if (slash > 0) await git(checkout, ['fetch', '--quiet', options.upstream.slice(0, slash)], options.signal);
	}
	// `--end-of-options`: a configured upstream is a revision, never an option.
	const out = await git(checkout, ['log', '--oneline', '--no-decorate', '--end-of-options', options.upstream, '^HEAD'], options.signal);
	return out.split('\n').filter(line => line.trim() !== '');
}
