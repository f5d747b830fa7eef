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

/** A successful update: new data, no error. */
export function freshResource<T>(data: T, at: number): Resource<T> {
	return {data, updatedAt: at};
}

/** A failed update: the last good data stays (a pane keeps showing it, under the error). */
export function failedResource<T>(resource: Resource<T>, error: string, retryAt?: number): Resource<T> {
	return {data: resource.data, updatedAt: resource.updatedAt, error, retryAt};
}
