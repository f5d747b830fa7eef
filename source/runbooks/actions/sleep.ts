/** Resolves after ms, or rejects with an AbortError as soon as the signal aborts (an operator's abort cancels waits). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
	return new Promise((resolve, reject) => {
		if (signal?.aborted) {
			reject(abortError());
			return;
		}
		const onAbort = () => {
			clearTimeout(timer);
			reject(abortError());
		};
		const timer = setTimeout(() => {
			signal?.removeEventListener('abort', onAbort);
			resolve();
		}, ms);
		signal?.addEventListener('abort', onAbort, {once: true});
	});
}

export function abortError(): Error {
	const error = new Error('aborted');
	error.name = 'AbortError';
	return error;
}
