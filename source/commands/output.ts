const readerGoneCodes = new Set(['EPIPE', 'ERR_STREAM_DESTROYED']);

/** A reader that went away: `botops status | head -1` closes the pipe, and that is not the command's failure. */
export function isReaderGone(error: NodeJS.ErrnoException): boolean {
	return readerGoneCodes.has(error.code ?? '');
}

export type OutputGuard = {
	/** A write error other than a closed pipe (EIO on a dead terminal, ENOSPC on a full disk). */
	readonly failure: Error | undefined;
	/** Resolves once everything written so far has left the process (or the stream is gone). */
	flush(): Promise<void>;
};

/**
 * The one handling of the process's own output for every command. A closed pipe ends the output quietly instead of
 * crashing on an unhandled 'error' event, and flush() lets the process exit only after piped output has drained:
 * stdout to a pipe is asynchronous, and exiting the process with writes still queued cuts the output at 64 KiB.
 */
export function guardOutput(streams: readonly NodeJS.WritableStream[]): OutputGuard {
	let failure: Error | undefined;
	for (const stream of streams) {
		stream.on('error', (error: NodeJS.ErrnoException) => {
			if (isReaderGone(error)) return;
			failure ??= error;
		});
	}
	return {
		get failure() {
			return failure;
		},
		async flush() {
			await Promise.all(
				streams.map(
					stream =>
						new Promise<void>(resolve => {
							const writable = stream as NodeJS.WritableStream & {destroyed?: boolean; writableEnded?: boolean};
							if (writable.destroyed || writable.writableEnded) {
								resolve();
								return;
							}
							// Written after everything queued; its callback runs once they are all out (or failed).
							stream.write('', () => resolve());
						}),
				),
			);
		},
	};
}
