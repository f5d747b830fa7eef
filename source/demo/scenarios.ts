/** Incident drills the demo can start in (`botops demo --scenario NAME`). */
export const knownScenarios = ['healthy', 'engine-crashloop', 'ai-slow', 'mongo-down', 'bad-deploy', 'mongo-replication-lag'] as const;

export type ScenarioName = (typeof knownScenarios)[number];

export const scenarioDescriptions: Record<ScenarioName, string> = {
	healthy: 'everything up and healthy',
	'engine-crashloop': 'rust-core-engine panics every few seconds and is restarted by its restart policy',
	'ai-slow': 'python-ai-service answers in 1.5-4 s, far over the 500 ms p95 target',
	'mongo-down': 'mongodb-primary has exited; the engine reports its database disconnected',
	'mongo-replication-lag': 'MongoDB: the second secondary falls behind the primary, from 6 s and growing (replication lag over the 1 s target)',
	'bad-deploy': "Kubernetes: rust-core-engine's rollout of 1.5.0 never passes readiness and stalls (ProgressDeadlineExceeded) until rolled back",
};

export function parseScenario(name: string | undefined): ScenarioName {
	const value = name ?? 'healthy';
	if ((knownScenarios as readonly string[]).includes(value)) return value as ScenarioName;
	throw new Error(`unknown demo scenario "${value}" (known: ${knownScenarios.join(', ')})`);
}
