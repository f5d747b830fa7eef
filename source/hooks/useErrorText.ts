import type {Resource} from '../store/resource.js';
import {useTheme} from '../theme/ThemeContext.js';
import {useNow} from './useNow.js';

/** A resource's error with its backoff countdown: "docker: connect ENOENT /var/run/docker.sock — retrying in 8 s". */
export function useErrorText(resource: Pick<Resource<unknown>, 'error' | 'retryAt'>): string | undefined {
	const {ascii} = useTheme();
	const now = useNow(resource.error && resource.retryAt ? 1000 : 0);
	if (!resource.error) return undefined;
	if (!resource.retryAt) return resource.error;
	const seconds = Math.ceil((resource.retryAt - now) / 1000);
	return `${resource.error} ${ascii ? '-' : '—'} ${seconds > 0 ? `retrying in ${seconds} s` : 'retrying'}`;
}
