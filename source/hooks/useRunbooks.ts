import {useCallback, useEffect} from 'react';
import {useAppContext, useAppState} from './AppContext.js';

/** The runbook catalogue, loaded the first time a view asks for it (never at start-up). */
export function useRunbookCatalog() {
	const {runbooks} = useAppContext();
	useEffect(() => runbooks.load(), [runbooks]);
	return useAppState(s => s.runbookCatalog);
}

/**
 * Opens the runbook modal: at the list (of one service's runbooks, or all), or straight at one runbook's
 * inputs or plan. While a run is under way the modal is already open and owns the keyboard.
 */
export function useOpenRunbooks(): (options?: {service?: string; runbookId?: string}) => void {
	const {runbooks} = useAppContext();
	const openModal = useAppState(s => s.openModal);
	return useCallback(
		({service, runbookId} = {}) => {
			if (runbooks.isRunning()) return openModal({type: 'runbooks'});
			runbooks.load();
			runbooks.dismiss();
			if (runbookId) runbooks.choose(runbookId, {service});
			openModal({type: 'runbooks', service});
		},
		[runbooks, openModal],
	);
}
