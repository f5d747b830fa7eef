/** Every slice's data carries its age and last error, so a pane shows staleness and failures instead of freezing. */
export type Resource<T> = {
	data: T;
	/** Last error, cleared by the next success. Never contains secrets. */
	error?: string;
	/** Epoch ms of the last successful update, 0 before the first. */
	updatedAt: number;
	/** Epoch ms of the next retry after an error (backoff), for "retrying in 8 s". */
	retryAt?: number;
};

export function emptyResource<T>(data: T): Resource<T> {
	return {data, updatedAt: 0};
}
