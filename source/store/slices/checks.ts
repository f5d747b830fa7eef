import type {CheckRun} from '../../checks/types.js';
import {emptyResource, failedResource, freshResource, type Resource} from '../resource.js';

/** The daily checks as the Dashboard runs them (source/controllers/pollers/checks.ts): the last run, its age, its error. */
export type ChecksSlice = {checks: Resource<CheckRun | undefined>};

export const createChecksSlice = (): ChecksSlice => ({checks: emptyResource<CheckRun | undefined>(undefined)});

export const checksUpdate = {
	run: (run: CheckRun, at: number): ChecksSlice => ({checks: freshResource<CheckRun | undefined>(run, at)}),
	error: (state: ChecksSlice, error: string, retryAt?: number): ChecksSlice => ({checks: failedResource(state.checks, error, retryAt)}),
};
