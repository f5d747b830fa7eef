import {useRef} from 'react';

/**
 * A ref that always holds the latest value. Input handlers read it so that two keys arriving before the next
 * render (a paste split across reads, a fast typist over SSH) both apply to the newest value.
 */
export function useLatest<T>(value: T) {
	const ref = useRef(value);
	ref.current = value;
	return ref;
}
