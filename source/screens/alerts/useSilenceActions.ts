import {useMemo} from 'react';
import {silencePolicyFor, type SilencePolicy} from '../../alerts/silence-guard.js';
import {defaultConfig} from '../../config/defaults.js';
import {useAppContext} from '../../hooks/AppContext.js';
import {alertmanagerUrls, createAlertmanagerSet, createGuardedSilence, expireGuardedSilence, type SilenceActionContext, type SilenceInput} from '../../services/alertmanager.js';
import {auditFilePath} from '../../services/audit.js';

export type SilenceActions = {
	/** Undefined when the environment names no Alertmanager, or it is read-only: say why instead. */
	unavailable?: string;
	policy: SilencePolicy;
	environment: string;
	create(input: SilenceInput, action?: 'create' | 'ack'): ReturnType<typeof createGuardedSilence>;
	expire(id: string): ReturnType<typeof expireGuardedSilence>;
};

/**
 * The screen's and modal's way to the guarded, audited silence actions of services/alertmanager.ts: the same
 * functions `botops silence` calls, on the environment's Alertmanagers and audit log.
 */
export function useSilenceActions(): SilenceActions {
	const {environment, readOnly} = useAppContext();
	return useMemo(() => {
		const urls = alertmanagerUrls(environment);
		const policy = silencePolicyFor(environment);
		const unavailable = urls.length === 0 ? 'no Alertmanager configured' : readOnly ? 'read-only: silences are refused' : undefined;
		let context: SilenceActionContext | undefined;
		const open = (): SilenceActionContext => {
			if (unavailable) throw new Error(unavailable);
			context ??= {set: createAlertmanagerSet(urls, {timeoutMs: defaultConfig.timeoutMs}), environment: environment.name, policy, auditFile: auditFilePath(process.env, environment)};
			return context;
		};
		return {
			unavailable,
			policy,
			environment: environment.name,
			create: async (input, action = 'create') => createGuardedSilence(open(), input, action),
			expire: async id => expireGuardedSilence(open(), id),
		};
	}, [environment, readOnly]);
}
