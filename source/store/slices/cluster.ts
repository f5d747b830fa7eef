import type {ClusterView} from '../../services/kubernetes/view.js';
import {emptyResource, failedResource, freshResource, type Resource} from '../resource.js';

/** The Kubernetes screen's data (deployments, pods, HPAs, events); empty on a platform that has no cluster view. */
export type ClusterSlice = {cluster: Resource<ClusterView | undefined>};

export const createClusterSlice = (): ClusterSlice => ({cluster: emptyResource(undefined)});

export const clusterUpdate = {
	view: (view: ClusterView, at: number): Partial<ClusterSlice> => ({cluster: freshResource(view, at)}),
	error: (state: ClusterSlice, error: string, retryAt?: number): Partial<ClusterSlice> => ({cluster: failedResource(state.cluster, error, retryAt)}),
};
