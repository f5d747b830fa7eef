/**
 * The demo world as a Kubernetes cluster: deployments, replica sets, pods, HPAs, events and pod metrics, kept by
 * small controllers that behave like the real ones (rolling updates by maxSurge/maxUnavailable, progress deadlines,
 * CrashLoopBackOff). The first pod of each deployment is the compose container of the same service: its state and
 * its log lines are that container's. Further pods (scale-ups, rollouts) run programs of their own, written by the
 * same log generators.
 */
import {EventEmitter} from 'node:events';
import {isDeepStrictEqual} from 'node:util';
import type {SimContainer} from '../container.js';
import type {ExecTarget} from '../exec-commands.js';
import {LogRing, type LogEntry} from '../log-ring.js';
import {engineCrashLines, routineLines, shutdownLines, startupLines, type LogFacts} from '../log-lines.js';
import {Prng} from '../prng.js';
import {rfc3339Micros} from '../time-format.js';
import type {World} from '../world.js';
import {
	badDeployImage,
	changeCauseAnnotation,
	demoNamespace,
	deploymentObject,
	deploymentPlans,
	hpaObject,
	podTemplate,
	podTemplateHashLabel,
	revisionAnnotation,
	sameTemplate,
	secretObject,
	templateHash,
	type DeploymentPlan,
} from './objects.js';
import {ObjectStore, rfc3339, type KubeObject} from './store.js';

export type Termination = {startedAt: number; finishedAt: number; exitCode: number; reason: string};

/** One container run: what `kubectl logs` (and `--previous`) show is the lines written within it. */
type Instance = {startedAt: number; finishedAt?: number};

type PodSim = {
	name: string;
	uid: string;
	deployment: string;
	replicaSet: string;
	plan: DeploymentPlan;
	image: string;
	template: Record<string, unknown>;
	createdAt: number;
	scheduledAt: number;
	node: string;
	hostIP: string;
	podIP: string;
	/** The compose container this pod is, when it is the deployment's first pod. */
	backing?: SimContainer;
	logs: LogRing;
	// The own container (pods without backing):
	state: 'waiting' | 'running' | 'terminated';
	waitingReason?: string;
	current?: Instance;
	readyAt?: number;
	restartCount: number;
	lastTermination?: Termination;
	crashAt?: number;
	restartAt?: number;
	backoffMs: number;
	failsReadiness: boolean;
	nextProbeAt: number;
	lastRoutineAt: number;
	cpuRate: number;
	memory: number;
	/** Ready transitions, for the conditions' lastTransitionTime. */
	readySince?: number;
	notReadySince: number;
	deletingAt?: number;
	removeAt?: number;
};

export type ClusterOptions = {
	/** How often the controllers run on their own, ms (requests also bring the cluster up to date). */
	tickMs?: number;
	/** Replicas of each benchmark worker's deployment (one deployment per extra container of the world). */
	workerReplicas?: number;
};

const nodes = [
	{name: 'demo-node-1', ip: '10.0.0.11', podNet: '10.244.1'},
	{name: 'demo-node-2', ip: '10.0.0.12', podNet: '10.244.2'},
];

/** Kubelet's crash back-off: 10 s, doubling, capped at five minutes. */
const backoffStartMs = 10_000;
const backoffMaxMs = 300_000;
const hpaSyncMs = 15_000;

export class Cluster {
	readonly store: ObjectStore;
	readonly namespace = demoNamespace;
	/** 'ended' (pod name) when a container run ends; 'removed' (pod name) when a pod is gone. */
	readonly signals = new EventEmitter();
	private readonly rng: Prng;
	private readonly pods = new Map<string, PodSim>();
	private readonly podsByReplicaSet = new Map<string, Set<PodSim>>();
	/** What each pod's object was last rendered from: a pod whose state did not move is not rendered again. */
	private readonly renderedFrom = new Map<string, string>();
	private readonly plans: DeploymentPlan[];
	private readonly knownGoodHashes = new Set<string>();
	private readonly backingPrevious = new Map<string, Termination>();
	private readonly progressAt = new Map<string, number>();
	private lastHpaSync = 0;
	private podCounter = 0;
	private timer?: NodeJS.Timeout;
	private unsubscribe?: () => void;
	private lastTick = 0;

	constructor(
		readonly world: World,
		readonly options: ClusterOptions = {},
	) {
		this.rng = new Prng(world.seed ^ 0x6b_38_73_00);
		this.store = new ObjectStore(world.clock, 5000, 1000, `k8s${world.seed}`);
		this.plans = deploymentPlans(world.containers.map(c => c.spec), options.workerReplicas);
		this.build();
		this.unsubscribe = world.on(event => {
			if (event.type !== 'die' && event.type !== 'start') return;
			const container = event.container;
			const pod = [...this.pods.values()].find(p => p.backing === container);
			if (!pod) return;
			// The kubelet's view of the compose container's life: each start, and the back-off after a failure.
			const object = this.store.get('pods', this.namespace, pod.name);
			if (event.type === 'start') {
				if (object) this.recordEvent(object, 'Normal', 'Started', `Started container ${pod.plan.name}`, 'kubelet', this.now(), pod.node);
				return;
			}
			if (object && container.exitCode !== 0) this.recordEvent(object, 'Warning', 'BackOff', `Back-off restarting failed container ${pod.plan.name} in pod ${pod.name}_${this.namespace}(${pod.uid})`, 'kubelet', this.now(), pod.node);
			this.backingPrevious.set(pod.name, {startedAt: container.startedAt ?? container.createdAt, finishedAt: container.finishedAt ?? this.now(), exitCode: container.exitCode, reason: terminationReason(container.exitCode, container.oomKilled)});
			this.signals.emit('ended', pod.name);
		});
		this.sync();
	}

	now(): number {
		return this.world.clock();
	}

	start(): void {
		if (this.timer) return;
		this.timer = setInterval(() => this.sync(), this.options.tickMs ?? 250);
		this.timer.unref();
	}

	stop(): void {
		if (this.timer) clearInterval(this.timer);
		this.timer = undefined;
		this.unsubscribe?.();
		this.signals.removeAllListeners();
	}

	/** Brings every object up to now; idempotent, cheap when nothing changed. */
	sync(now = this.now()): void {
		if (now < this.lastTick) return;
		this.lastTick = now;
		for (const pod of [...this.pods.values()]) this.advancePod(pod, now);
		for (const deployment of this.store.list('deployments', this.namespace)) this.reconcileDeployment(deployment, now);
		for (const rs of this.store.list('replicasets', this.namespace)) this.reconcileReplicaSet(rs, now);
		for (const pod of this.pods.values()) {
			const from = this.renderKey(pod, now);
			if (this.renderedFrom.get(pod.name) === from) continue;
			this.store.replace('pods', this.renderPod(pod, now));
			this.renderedFrom.set(pod.name, from);
		}
		for (const rs of this.store.list('replicasets', this.namespace)) this.renderReplicaSetStatus(rs);
		for (const deployment of this.store.list('deployments', this.namespace)) this.renderDeploymentStatus(deployment, now);
		if (now - this.lastHpaSync >= hpaSyncMs || this.lastHpaSync === 0) {
			this.lastHpaSync = now;
			for (const hpa of this.store.list('horizontalpodautoscalers', this.namespace)) this.reconcileHpa(hpa, now);
		}
	}

	// --- what the API server reads ------------------------------------------------------------------------

	podSim(name: string): PodSim | undefined {
		return this.pods.get(name);
	}

	/** The lines of the pod's current container run, or of the previous one; an error text when there is none. */
	podLogs(name: string, previous: boolean): {lines: LogEntry[]; ring: LogRing; from: number; until?: number; running: boolean} | {error: string} {
		const pod = this.pods.get(name);
		if (!pod) return {error: 'not found'};
		const run = this.currentRun(pod);
		if (previous) {
			const last = pod.backing ? this.backingPrevious.get(pod.name) ?? this.backingBootPrevious(pod) : pod.lastTermination;
			if (!last) return {error: `previous terminated container "${pod.plan.name}" in pod "${pod.name}" not found`};
			return {lines: pod.logs.toArray().filter(line => line.time >= last.startedAt && line.time <= last.finishedAt), ring: pod.logs, from: last.startedAt, until: last.finishedAt, running: false};
		}
		if (!run) return {error: `container "${pod.plan.name}" in pod "${pod.name}" is waiting to start: ${pod.waitingReason ?? 'ContainerCreating'}`};
		return {lines: pod.logs.toArray().filter(line => line.time >= run.startedAt && (run.finishedAt === undefined || line.time <= run.finishedAt)), ring: pod.logs, from: run.startedAt, until: run.finishedAt, running: run.finishedAt === undefined};
	}

	/**
	 * Where `kubectl exec` runs in a pod: its container while it runs (a compose container's pod runs in that
	 * container, so the same commands see the same world); the kubelet's refusal when it does not.
	 */
	execTarget(name: string): {container: string; target: ExecTarget} | {error: string} {
		const pod = this.pods.get(name);
		if (!pod) return {error: 'not found'};
		const run = this.currentRun(pod);
		if (!run || run.finishedAt !== undefined) return {error: `unable to upgrade connection: container not found ("${pod.plan.name}")`};
		const id = pod.backing?.id ?? pod.uid.replaceAll('-', '');
		return {container: pod.plan.name, target: {id, spec: pod.backing?.spec ?? pod.plan.spec, hostname: pod.name}};
	}

	/** CPU (cores) and memory (bytes) of a running pod, as metrics-server reports it. */
	podUsage(name: string): {cpu: number; memory: number} | undefined {
		const pod = this.pods.get(name);
		if (!pod) return undefined;
		if (pod.backing) return pod.backing.isUp ? {cpu: pod.backing.cpuRate, memory: pod.backing.memUsage - pod.backing.inactiveFile} : undefined;
		return pod.state === 'running' ? {cpu: pod.cpuRate, memory: pod.memory} : undefined;
	}

	/** Records a v1 Event as the components do: a repeat of the same reason and message counts up. */
	recordEvent(involved: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string, component: string, now = this.now(), host?: string): void {
		const existing = this.store
			.list('events', this.namespace)
			.find(event => (event.involvedObject as {uid?: string}).uid === involved.metadata.uid && event.reason === reason && event.message === message);
		if (existing) {
			this.store.mutate('events', this.namespace, existing.metadata.name, event => {
				event.count = (event.count as number) + 1;
				event.lastTimestamp = rfc3339(now);
			});
			return;
		}
		this.pruneEvents();
		this.store.create('events', {
			apiVersion: 'v1',
			kind: 'Event',
			metadata: {name: `${involved.metadata.name}.${this.rng.hex(16)}`, namespace: this.namespace, creationTimestamp: rfc3339(now)},
			involvedObject: {kind: involved.kind, namespace: this.namespace, name: involved.metadata.name, uid: involved.metadata.uid, apiVersion: involved.apiVersion, resourceVersion: involved.metadata.resourceVersion, ...(involved.kind === 'Pod' ? {fieldPath: `spec.containers{${(involved.spec as {containers: Array<{name: string}>}).containers[0].name}}`} : {})},
			reason,
			message,
			source: host ? {component, host} : {component},
			firstTimestamp: rfc3339(now),
			lastTimestamp: rfc3339(now),
			count: 1,
			type,
			eventTime: null,
			reportingComponent: component,
			reportingInstance: host ?? '',
		});
	}

	/** The API server keeps events for an hour (--event-ttl); the demo also keeps at most a thousand. */
	private pruneEvents(): void {
		const now = this.now();
		const events = this.store.list('events', this.namespace);
		const expired = events.filter(event => now - Date.parse(String(event.lastTimestamp)) > 3_600_000);
		const excess = events.length - expired.length - 999;
		const oldest = excess > 0 ? events.filter(event => !expired.includes(event)).sort((a, b) => String(a.lastTimestamp).localeCompare(String(b.lastTimestamp))).slice(0, excess) : [];
		for (const event of [...expired, ...oldest]) this.store.remove('events', this.namespace, event.metadata.name);
	}

	// --- construction -------------------------------------------------------------------------------------

	private build(): void {
		const now = this.now();
		const created = rfc3339(now - 41 * 86_400_000);
		for (const name of ['bot-core-secrets', 'binance-secrets']) {
			const data: Record<string, string> =
				name === 'bot-core-secrets'
					? {'inter-service-token': this.rng.hex(64), 'rust-api-key': this.rng.hex(64), 'database-url': 'mongodb://botuser:demo@mongodb-primary:27017/trading_bot?authSource=admin', 'openai-api-key': `sk-demo-${this.rng.hex(24)}`, 'mongodb-root-password': this.rng.hex(32)}
					: {'api-key': this.rng.hex(64), 'secret-key': this.rng.hex(64)};
			this.store.create('secrets', secretObject(name, data, created));
		}
		for (const plan of this.plans) {
			const backing = this.world.containers.find(c => c.name === plan.name);
			const deployment = this.store.create('deployments', deploymentObject(plan, podTemplate(plan, plan.spec.image), created));
			const images = [...plan.previousImages, plan.spec.image];
			const bad = this.world.scenario === 'bad-deploy' && plan.name === 'rust-core-engine';
			if (bad) images.push(badDeployImage);
			// When the current replica set's pods were made: the compose container's creation (its start moves with restarts).
			const liveSince = (backing?.createdAt ?? now - 3 * 86_400_000) + 60_000;
			images.forEach((image, index) => {
				const revision = index + 1;
				const template = podTemplate(plan, image);
				const hash = templateHash(template);
				if (image !== badDeployImage) this.knownGoodHashes.add(hash);
				const current = image === plan.spec.image;
				const at = index < plan.previousImages.length ? now - (images.length - index) * 6 * 86_400_000 : bad && image === badDeployImage ? now - 90_000 : liveSince - 60_000;
				const rs = this.createReplicaSet(deployment, template, hash, revision, current ? plan.replicas : bad && image === badDeployImage ? 1 : 0, `kubectl set image deployment/${plan.name} ${plan.name}=${image}`, at);
				if (current) {
					for (let i = 0; i < plan.replicas; i++) this.addPod(rs, plan, i === 0 ? backing : undefined, i === 0 ? liveSince : liveSince + this.rng.int(2000, 20_000), true);
				}
				if (image === badDeployImage) this.addPod(rs, plan, undefined, at + 1500, true);
			});
			this.store.mutate('deployments', this.namespace, plan.name, object => {
				object.spec = {...(object.spec as object), template: podTemplate(plan, images.at(-1)!)};
				object.metadata.generation = images.length;
				object.metadata.annotations = {[revisionAnnotation]: String(images.length), [changeCauseAnnotation]: `kubectl set image deployment/${plan.name} ${plan.name}=${images.at(-1)}`};
			});
			this.progressAt.set(plan.name, bad ? now - 90_000 : liveSince);
			const hpa = hpaObject(plan, created);
			if (hpa) this.store.create('horizontalpodautoscalers', hpa);
		}
	}

	private createReplicaSet(deployment: KubeObject, template: Record<string, unknown>, hash: string, revision: number, replicas: number, changeCause: string | undefined, at: number): KubeObject {
		const labels = {...((template.metadata as {labels?: Record<string, string>}).labels ?? {}), [podTemplateHashLabel]: hash};
		const spec = deployment.spec as {selector: {matchLabels: Record<string, string>}};
		const annotations: Record<string, string> = {
			'deployment.kubernetes.io/desired-replicas': String((deployment.spec as {replicas: number}).replicas),
			'deployment.kubernetes.io/max-replicas': String((deployment.spec as {replicas: number}).replicas + 1),
			[revisionAnnotation]: String(revision),
		};
		if (changeCause) annotations[changeCauseAnnotation] = changeCause;
		return this.store.create('replicasets', {
			apiVersion: 'apps/v1',
			kind: 'ReplicaSet',
			metadata: {
				name: `${deployment.metadata.name}-${hash}`,
				namespace: this.namespace,
				creationTimestamp: rfc3339(at),
				generation: 1,
				labels,
				annotations,
				ownerReferences: [{apiVersion: 'apps/v1', kind: 'Deployment', name: deployment.metadata.name, uid: deployment.metadata.uid!, controller: true, blockOwnerDeletion: true}],
			},
			spec: {replicas, selector: {matchLabels: {...spec.selector.matchLabels, [podTemplateHashLabel]: hash}}, template: {...structuredClone(template), metadata: {...(template.metadata as object), labels}}},
			status: {replicas: 0, observedGeneration: 1},
		});
	}

	/** A new pod of the replica set; `settled` pods exist at construction, already running and ready. */
	private addPod(rs: KubeObject, plan: DeploymentPlan, backing: SimContainer | undefined, at: number, settled: boolean): PodSim {
		const node = nodes[this.podCounter % nodes.length];
		this.podCounter++;
		const hash = rs.metadata.labels![podTemplateHashLabel];
		const name = `${plan.name}-${hash}-${this.suffix()}`;
		const template = (rs.spec as {template: Record<string, unknown>}).template;
		const image = ((template.spec as {containers: Array<{image: string}>}).containers[0]).image;
		const pod: PodSim = {
			name,
			uid: '',
			deployment: plan.name,
			replicaSet: rs.metadata.name,
			plan,
			image,
			template,
			createdAt: at,
			scheduledAt: at + this.rng.int(20, 200),
			node: node.name,
			hostIP: node.ip,
			podIP: `${node.podNet}.${(this.podCounter % 250) + 2}`,
			backing,
			logs: backing?.logs ?? new LogRing(2000),
			state: 'waiting',
			waitingReason: 'ContainerCreating',
			restartCount: 0,
			backoffMs: 0,
			failsReadiness: this.world.scenario === 'bad-deploy' && plan.name === 'rust-core-engine' && !this.knownGoodHashes.has(hash),
			nextProbeAt: 0,
			lastRoutineAt: at,
			cpuRate: plan.spec.cpuPercent / 100,
			memory: plan.spec.memoryBaseline * this.rng.range(0.85, 1),
			notReadySince: at,
		};
		this.pods.set(name, pod);
		const siblings = this.podsByReplicaSet.get(pod.replicaSet) ?? new Set<PodSim>();
		siblings.add(pod);
		this.podsByReplicaSet.set(pod.replicaSet, siblings);
		const object = this.store.create('pods', this.renderPod(pod, at));
		pod.uid = object.metadata.uid!;
		this.store.replace('pods', this.renderPod(pod, at));
		if (settled && !backing && this.crashDelay(pod) !== undefined) {
			// A drill already under way: the program has crashed a few times and has just been started again.
			const start = this.now() - this.rng.range(1000, 3000);
			const finishedAt = start - backoffStartMs * 4;
			this.startContainer(pod, finishedAt - this.rng.range(6000, 14_000), true);
			this.endRun(pod, this.writeCrash(pod, finishedAt), pod.deployment === 'mongodb-primary' ? 14 : 101);
			pod.restartCount = this.rng.int(5, 9);
			pod.backoffMs = backoffStartMs * 4;
			this.startContainer(pod, start, true);
		} else if (settled && !backing) {
			this.startContainer(pod, pod.scheduledAt + 1500, true);
			const backlog = 40;
			const now = this.now();
			const span = Math.min(now - (pod.current?.startedAt ?? now) - 3000, (backlog / plan.spec.logRate) * 1000);
			const lines: LogEntry[] = [];
			for (let i = 0; i < backlog && span > 0; i++) lines.push(...routineLines(plan.spec.logKind, this.rng, now - span + (i / backlog) * span, this.facts(pod)));
			for (const line of lines.sort((a, b) => a.time - b.time)) pod.logs.push(line);
			pod.lastRoutineAt = now;
			if (!pod.failsReadiness) pod.readyAt = pod.readySince = (pod.current?.startedAt ?? now) + 2500;
		}
		if (!settled) {
			const object = this.store.get('pods', this.namespace, name)!;
			this.recordEvent(rs, 'Normal', 'SuccessfulCreate', `Created pod: ${name}`, 'replicaset-controller', at);
			this.recordEvent(object, 'Normal', 'Scheduled', `Successfully assigned ${this.namespace}/${name} to ${node.name}`, 'default-scheduler', pod.scheduledAt);
		}
		return pod;
	}

	private suffix(): string {
		const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
		let out = '';
		for (let i = 0; i < 5; i++) out += alphabet[this.rng.int(0, alphabet.length - 1)];
		return out;
	}

	private facts(pod: PodSim): LogFacts {
		return Object.assign(Object.create(this.world.facts) as LogFacts, {hostname: pod.name});
	}

	// --- the kubelet ----------------------------------------------------------------------------------------

	private currentRun(pod: PodSim): Instance | undefined {
		if (!pod.backing) return pod.current;
		const container = pod.backing;
		if (container.startedAt === undefined) return undefined;
		return {startedAt: container.startedAt, finishedAt: container.isUp ? undefined : container.finishedAt};
	}

	/** Before this run saw its compose container die, the previous run is the minute of log before the current start. */
	private backingBootPrevious(pod: PodSim): Termination | undefined {
		const container = pod.backing!;
		if (container.restartCount === 0 || container.startedAt === undefined) return undefined;
		const finishedAt = container.finishedAt !== undefined && container.finishedAt < container.startedAt ? container.finishedAt : container.startedAt - 1;
		return {startedAt: finishedAt - 60_000, finishedAt, exitCode: this.world.scenario === 'engine-crashloop' ? 101 : container.exitCode, reason: 'Error'};
	}

	private startContainer(pod: PodSim, at: number, quiet = false): void {
		pod.state = 'running';
		pod.waitingReason = undefined;
		pod.current = {startedAt: at};
		pod.nextProbeAt = at + 2000;
		const lines = startupLines(pod.plan.spec.logKind, this.rng, at, this.facts(pod));
		for (const line of lines) pod.logs.push(line);
		pod.lastRoutineAt = lines.at(-1)?.time ?? at;
		const lifetime = this.crashDelay(pod);
		pod.crashAt = lifetime === undefined ? undefined : at + lifetime;
		if (!quiet) {
			const object = this.store.get('pods', this.namespace, pod.name);
			if (object) {
				this.recordEvent(object, 'Normal', 'Pulled', `Container image "${pod.image}" already present on machine`, 'kubelet', at, pod.node);
				this.recordEvent(object, 'Normal', 'Created', `Created container ${pod.plan.name}`, 'kubelet', at, pod.node);
				this.recordEvent(object, 'Normal', 'Started', `Started container ${pod.plan.name}`, 'kubelet', at, pod.node);
			}
		}
	}

	/** The drills that kill a pod's program: how long it lives, or undefined for a program that keeps running. */
	private crashDelay(pod: PodSim): number | undefined {
		if (this.world.scenario === 'engine-crashloop' && pod.deployment === 'rust-core-engine') return this.rng.range(6000, 14_000);
		if (this.world.scenario === 'mongo-down' && pod.deployment === 'mongodb-primary') return this.rng.range(1000, 2500);
		return undefined;
	}

	private advancePod(pod: PodSim, now: number): void {
		if (pod.removeAt !== undefined && now >= pod.removeAt) {
			this.pods.delete(pod.name);
			this.podsByReplicaSet.get(pod.replicaSet)?.delete(pod);
			this.renderedFrom.delete(pod.name);
			this.store.remove('pods', this.namespace, pod.name);
			this.signals.emit('removed', pod.name);
			return;
		}
		if (pod.backing) return;
		if (pod.deletingAt !== undefined) {
			if (pod.state === 'running' && pod.current) {
				for (const line of shutdownLines(pod.plan.spec.logKind, this.rng, pod.deletingAt)) pod.logs.push(line);
				this.endRun(pod, Math.min(now, pod.deletingAt + 500), pod.plan.spec.stopExitCode);
			}
			return;
		}
		// Sandbox and container creation take 1.2-2.4 s, varying by pod (its name's last letter) but the same on every sync.
		if (pod.state === 'waiting' && pod.waitingReason === 'ContainerCreating' && now >= pod.scheduledAt + 1200 + (pod.name.charCodeAt(pod.name.length - 1) % 5) * 300) {
			this.startContainer(pod, now);
			return;
		}
		if (pod.state === 'waiting' && pod.restartAt !== undefined && now >= pod.restartAt) {
			pod.restartAt = undefined;
			pod.restartCount++;
			this.startContainer(pod, now);
			return;
		}
		if (pod.state !== 'running' || !pod.current) return;
		if (pod.crashAt !== undefined && now >= pod.crashAt) {
			const exit = pod.deployment === 'mongodb-primary' ? 14 : 101;
			const ranFor = pod.crashAt - pod.current.startedAt;
			this.endRun(pod, this.writeCrash(pod, pod.crashAt), exit);
			pod.backoffMs = ranFor >= 600_000 || pod.backoffMs === 0 ? backoffStartMs : Math.min(pod.backoffMs * 2, backoffMaxMs);
			pod.state = 'waiting';
			pod.waitingReason = 'CrashLoopBackOff';
			pod.restartAt = now + pod.backoffMs;
			const object = this.store.get('pods', this.namespace, pod.name);
			if (object) this.recordEvent(object, 'Warning', 'BackOff', `Back-off restarting failed container ${pod.plan.name} in pod ${pod.name}_${this.namespace}(${pod.uid})`, 'kubelet', now, pod.node);
			return;
		}
		// The program's own lines and its resource use, since the last sync.
		const seconds = (now - pod.lastRoutineAt) / 1000;
		if (seconds > 0) {
			const count = this.rng.poisson(pod.plan.spec.logRate * seconds);
			const lines: LogEntry[] = [];
			for (let i = 0; i < count; i++) lines.push(...routineLines(pod.plan.spec.logKind, this.rng, pod.lastRoutineAt + this.rng.next() * (now - pod.lastRoutineAt), this.facts(pod)));
			if (pod.failsReadiness && this.rng.chance(Math.min(1, seconds / 3))) lines.push(badVersionLine(now));
			for (const line of lines.sort((a, b) => a.time - b.time)) pod.logs.push(line);
			pod.lastRoutineAt = now;
			const mean = pod.plan.spec.cpuPercent / 100;
			pod.cpuRate = Math.max(mean * 0.2, pod.cpuRate + Math.min(1, 0.3 * seconds) * (mean - pod.cpuRate) + mean * 0.2 * Math.sqrt(seconds) * this.rng.gauss());
		}
		if (now >= pod.nextProbeAt) {
			pod.nextProbeAt = now + 3000;
			if (pod.failsReadiness) {
				const object = this.store.get('pods', this.namespace, pod.name);
				if (object) this.recordEvent(object, 'Warning', 'Unhealthy', 'Readiness probe failed: HTTP probe failed with statuscode: 503', 'kubelet', now, pod.node);
			} else if (pod.readyAt === undefined) {
				pod.readyAt = pod.readySince = now;
			}
		}
	}

	/** The engine's last words before its panic exits the process; returns when the process ended. */
	private writeCrash(pod: PodSim, at: number): number {
		if (pod.deployment !== 'rust-core-engine') return at;
		const lines = engineCrashLines(this.rng, at);
		for (const line of lines) pod.logs.push(line);
		return Math.max(at, lines.at(-1)?.time ?? at);
	}

	private endRun(pod: PodSim, at: number, exitCode: number): void {
		if (!pod.current) return;
		pod.current.finishedAt = at;
		pod.lastTermination = {startedAt: pod.current.startedAt, finishedAt: at, exitCode, reason: terminationReason(exitCode, false)};
		pod.state = 'terminated';
		pod.readyAt = undefined;
		pod.readySince = undefined;
		pod.notReadySince = at;
		pod.crashAt = undefined;
		this.signals.emit('ended', pod.name);
	}

	private podReady(pod: PodSim): boolean {
		if (pod.deletingAt !== undefined && pod.state !== 'running') return false;
		if (pod.backing) {
			const container = pod.backing;
			if (!container.isUp) return false;
			return !container.health || container.health.status === 'healthy';
		}
		return pod.state === 'running' && pod.readyAt !== undefined;
	}

	private renderPod(pod: PodSim, now: number): KubeObject {
		const ready = this.podReady(pod);
		const scheduled = now >= pod.scheduledAt;
		const container = this.renderContainerStatus(pod, ready);
		const running = pod.backing ? pod.backing.startedAt !== undefined : pod.current !== undefined;
		const readyTime = ready ? (pod.backing?.startedAt ?? pod.readySince ?? now) : pod.backing ? (pod.backing.finishedAt ?? pod.createdAt) : pod.notReadySince;
		const condition = (type: string, status: boolean, at: number, reason?: string) => ({
			type,
			status: status ? 'True' : 'False',
			lastProbeTime: null,
			lastTransitionTime: rfc3339(at),
			...(status || !reason ? {} : {reason, message: `containers with unready status: [${pod.plan.name}]`}),
		});
		const conditions = scheduled
			? [condition('Initialized', true, pod.scheduledAt), condition('Ready', ready, readyTime, 'ContainersNotReady'), condition('ContainersReady', ready, readyTime, 'ContainersNotReady'), condition('PodScheduled', true, pod.scheduledAt)]
			: [];
		const labels = (pod.template.metadata as {labels: Record<string, string>}).labels;
		return {
			apiVersion: 'v1',
			kind: 'Pod',
			metadata: {
				name: pod.name,
				generateName: `${pod.replicaSet}-`,
				namespace: this.namespace,
				...(pod.uid ? {uid: pod.uid} : {}),
				creationTimestamp: rfc3339(pod.createdAt),
				labels: {...labels},
				...((pod.template.metadata as {annotations?: object}).annotations ? {annotations: {...(pod.template.metadata as {annotations: object}).annotations}} : {}),
				...(pod.deletingAt !== undefined ? {deletionTimestamp: rfc3339(pod.deletingAt + 10_000), deletionGracePeriodSeconds: 10} : {}),
				ownerReferences: [{apiVersion: 'apps/v1', kind: 'ReplicaSet', name: pod.replicaSet, uid: this.store.get('replicasets', this.namespace, pod.replicaSet)?.metadata.uid ?? '', controller: true, blockOwnerDeletion: true}],
			},
			spec: {...structuredClone(pod.template.spec as object), ...(scheduled ? {nodeName: pod.node} : {}), serviceAccountName: 'default', enableServiceLinks: true, preemptionPolicy: 'PreemptLowerPriority', priority: 0},
			status: {
				phase: scheduled && running ? 'Running' : 'Pending',
				conditions,
				...(scheduled ? {hostIP: pod.hostIP, hostIPs: [{ip: pod.hostIP}], startTime: rfc3339(pod.scheduledAt)} : {}),
				...(scheduled && running ? {podIP: pod.podIP, podIPs: [{ip: pod.podIP}]} : {}),
				...(scheduled ? {containerStatuses: [container]} : {}),
				qosClass: 'Burstable',
			},
		};
	}

	private renderContainerStatus(pod: PodSim, ready: boolean): Record<string, unknown> {
		const id = `containerd://${pod.backing?.id ?? idFor(pod.name, pod.restartCount)}`;
		const base = {name: pod.plan.name, image: pod.image, imageID: `docker.io/${pod.image}@sha256:${idFor(pod.image, 0)}`};
		const terminated = (t: Termination) => ({terminated: {exitCode: t.exitCode, reason: t.reason, startedAt: rfc3339(t.startedAt), finishedAt: rfc3339(t.finishedAt), containerID: id}});
		if (pod.backing) {
			const c = pod.backing;
			const previous = this.backingPrevious.get(pod.name) ?? this.backingBootPrevious(pod);
			const lastState = previous ? terminated(previous) : {};
			if (c.status === 'running') return {...base, state: {running: {startedAt: rfc3339(c.startedAt!)}}, lastState, ready, restartCount: c.restartCount, started: true, containerID: id};
			if (c.status === 'restarting' || c.restartCount > 0)
				return {...base, state: {waiting: {reason: 'CrashLoopBackOff', message: `back-off ${Math.round(Math.max(c.restartBackoffMs, 10_000) / 1000)}s restarting failed container=${pod.plan.name} pod=${pod.name}_${this.namespace}(${pod.uid})`}}, lastState: previous ? lastState : terminated({startedAt: c.startedAt ?? pod.createdAt, finishedAt: c.finishedAt ?? this.now(), exitCode: c.exitCode, reason: terminationReason(c.exitCode, c.oomKilled)}), ready: false, restartCount: c.restartCount, started: false, containerID: id};
			return {...base, state: terminated({startedAt: c.startedAt ?? pod.createdAt, finishedAt: c.finishedAt ?? this.now(), exitCode: c.exitCode, reason: terminationReason(c.exitCode, c.oomKilled)}), lastState, ready: false, restartCount: c.restartCount, started: false, containerID: id};
		}
		const lastState = pod.lastTermination && pod.state !== 'terminated' ? terminated(pod.lastTermination) : pod.restartCount > 0 && pod.lastTermination ? terminated(pod.lastTermination) : {};
		if (pod.state === 'running') return {...base, state: {running: {startedAt: rfc3339(pod.current!.startedAt)}}, lastState, ready, restartCount: pod.restartCount, started: true, containerID: id};
		if (pod.state === 'terminated' && pod.lastTermination) return {...base, state: terminated(pod.lastTermination), lastState: {}, ready: false, restartCount: pod.restartCount, started: false, containerID: id};
		const message = pod.waitingReason === 'CrashLoopBackOff' ? `back-off ${pod.backoffMs / 1000}s restarting failed container=${pod.plan.name} pod=${pod.name}_${this.namespace}(${pod.uid})` : undefined;
		return {...base, state: {waiting: {reason: pod.waitingReason ?? 'ContainerCreating', ...(message ? {message} : {})}}, lastState, ready: false, restartCount: pod.restartCount, started: false, ...(pod.current ? {containerID: id} : {})};
	}

	// --- the replica set controller -------------------------------------------------------------------------

	private podsOf(rsName: string): PodSim[] {
		return [...(this.podsByReplicaSet.get(rsName) ?? [])];
	}

	/**
	 * Everything a pod's object is rendered from (for a compose container's pod, that container's state).
	 */
	private renderKey(pod: PodSim, now: number): string {
		if (pod.backing) {
			const c = pod.backing;
			return ['backing', c.status, c.startedAt, c.finishedAt, c.exitCode, c.restartCount, c.restartBackoffMs, c.health?.status, pod.deletingAt, now >= pod.scheduledAt, this.backingPrevious.get(pod.name)?.finishedAt, pod.uid].join('|');
		}
		return [pod.state, pod.waitingReason, pod.restartCount, pod.readyAt, pod.deletingAt, now >= pod.scheduledAt, pod.current?.startedAt, pod.lastTermination?.finishedAt, pod.uid, pod.backoffMs].join('|');
	}

	private reconcileReplicaSet(rs: KubeObject, now: number): void {
		const wanted = (rs.spec as {replicas: number}).replicas;
		const active = this.podsOf(rs.metadata.name).filter(pod => pod.deletingAt === undefined);
		const plan = this.plans.find(p => p.name === rs.metadata.ownerReferences?.[0]?.name);
		if (!plan) return;
		for (let i = active.length; i < wanted; i++) this.addPod(rs, plan, undefined, now, false);
		if (active.length > wanted) {
			// The controller's preference: not yet ready first, then the youngest; the compose container's pod last.
			const victims = [...active].sort((a, b) => Number(this.podReady(a)) - Number(this.podReady(b)) || Number(Boolean(a.backing)) - Number(Boolean(b.backing)) || b.createdAt - a.createdAt).slice(0, active.length - wanted);
			for (const pod of victims) this.deletePod(pod, now);
			this.recordEvent(rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${victims.map(v => v.name).join(', ')}`, 'replicaset-controller', now);
		}
	}

	/** `kubectl delete pod`: the pod terminates and its replica set makes a new one. */
	deletePodByName(name: string): void {
		const pod = this.pods.get(name);
		if (pod && pod.deletingAt === undefined) this.deletePod(pod, this.now());
		this.sync();
	}

	private deletePod(pod: PodSim, now: number): void {
		pod.deletingAt = now;
		// A graceful stop takes a moment; a pod whose program never started goes at once.
		pod.removeAt = now + (pod.backing || pod.state === 'running' ? 1500 : 300);
		const object = this.store.get('pods', this.namespace, pod.name);
		if (object && (pod.backing || pod.state === 'running')) this.recordEvent(object, 'Normal', 'Killing', `Stopping container ${pod.plan.name}`, 'kubelet', now, pod.node);
	}

	private renderReplicaSetStatus(rs: KubeObject): void {
		const active = this.podsOf(rs.metadata.name).filter(pod => pod.deletingAt === undefined);
		const ready = active.filter(pod => this.podReady(pod)).length;
		const status = {replicas: active.length, fullyLabeledReplicas: active.length, ...(ready > 0 ? {readyReplicas: ready, availableReplicas: ready} : {}), observedGeneration: rs.metadata.generation ?? 1};
		// Most ticks change nothing: compare before copying the whole object.
		if (isDeepStrictEqual(status, rs.status)) return;
		this.store.mutate('replicasets', this.namespace, rs.metadata.name, object => void (object.status = status));
	}

	// --- the deployment controller --------------------------------------------------------------------------

	replicaSetsOf(deployment: KubeObject): KubeObject[] {
		return this.store.list('replicasets', this.namespace).filter(rs => rs.metadata.ownerReferences?.some(ref => ref.uid === deployment.metadata.uid && ref.controller));
	}

	private reconcileDeployment(deployment: KubeObject, now: number): void {
		const spec = deployment.spec as {replicas: number; template: Record<string, unknown>; paused?: boolean; strategy: {type: string; rollingUpdate?: {maxSurge?: string | number; maxUnavailable?: string | number}}; revisionHistoryLimit?: number};
		const name = deployment.metadata.name;
		const all = this.replicaSetsOf(deployment);
		let newRs = all.find(rs => sameTemplate((rs.spec as {template: unknown}).template, spec.template));
		const maxRevision = Math.max(0, ...all.map(rs => Number(rs.metadata.annotations?.[revisionAnnotation] ?? 0)));
		if (spec.paused && !newRs) return;
		const changeCause = deployment.metadata.annotations?.[changeCauseAnnotation];
		if (!newRs) {
			const hash = templateHash(spec.template);
			newRs = this.createReplicaSet(deployment, spec.template, hash, maxRevision + 1, 0, changeCause, now);
			this.progressAt.set(name, now);
			this.recordEvent(deployment, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${newRs.metadata.name} to 0 from 0`, 'deployment-controller', now);
		} else if (Number(newRs.metadata.annotations?.[revisionAnnotation]) < maxRevision) {
			// An old template again (rollout undo): its replica set becomes the newest revision.
			const previous = newRs.metadata.annotations?.[revisionAnnotation];
			newRs = this.store.mutate('replicasets', this.namespace, newRs.metadata.name, rs => {
				const history = [rs.metadata.annotations?.['deployment.kubernetes.io/revision-history'], previous].filter(Boolean).join(',');
				rs.metadata.annotations = {...rs.metadata.annotations, [revisionAnnotation]: String(maxRevision + 1), 'deployment.kubernetes.io/revision-history': history};
				if (changeCause) rs.metadata.annotations[changeCauseAnnotation] = changeCause;
			})!;
			this.progressAt.set(name, now);
		}
		const revision = newRs.metadata.annotations?.[revisionAnnotation] ?? '1';
		if (deployment.metadata.annotations?.[revisionAnnotation] !== revision)
			this.store.mutate('deployments', this.namespace, name, object => {
				object.metadata.annotations = {...object.metadata.annotations, [revisionAnnotation]: revision};
			});
		const olds = all.filter(rs => rs.metadata.name !== newRs!.metadata.name);
		const replicasOf = (rs: KubeObject) => (rs.spec as {replicas: number}).replicas;
		const availableOf = (rs: KubeObject) => this.podsOf(rs.metadata.name).filter(pod => pod.deletingAt === undefined && this.podReady(pod)).length;
		const setReplicas = (rs: KubeObject, replicas: number) => {
			const before = replicasOf(rs);
			if (before === replicas) return;
			this.store.mutate('replicasets', this.namespace, rs.metadata.name, object => {
				(object.spec as {replicas: number}).replicas = replicas;
				object.metadata.annotations = {...object.metadata.annotations, 'deployment.kubernetes.io/desired-replicas': String(spec.replicas)};
			});
			this.recordEvent(deployment, 'Normal', 'ScalingReplicaSet', `Scaled ${replicas > before ? 'up' : 'down'} replica set ${rs.metadata.name} to ${replicas} from ${before}`, 'deployment-controller', now);
			this.progressAt.set(name, now);
		};
		const activeOlds = olds.filter(rs => replicasOf(rs) > 0);
		if (activeOlds.length === 0 || spec.paused) {
			setReplicas(newRs, spec.replicas);
		} else if (spec.strategy.type === 'Recreate') {
			for (const rs of activeOlds) setReplicas(rs, 0);
			if (olds.every(rs => this.podsOf(rs.metadata.name).length === 0)) setReplicas(newRs, spec.replicas);
		} else {
			const surge = resolveIntOrPercent(spec.strategy.rollingUpdate?.maxSurge ?? '25%', spec.replicas, true);
			let unavailable = resolveIntOrPercent(spec.strategy.rollingUpdate?.maxUnavailable ?? '25%', spec.replicas, false);
			if (surge === 0 && unavailable === 0) unavailable = 1;
			const total = all.reduce((sum, rs) => sum + replicasOf(rs), 0);
			const newReplicas = replicasOf(newRs);
			if (newReplicas < spec.replicas && total < spec.replicas + surge) setReplicas(newRs, Math.min(spec.replicas, newReplicas + (spec.replicas + surge - total)));
			else if (newReplicas > spec.replicas) setReplicas(newRs, spec.replicas);
			// Scale the old ones down as far as availability allows: unavailable old pods go first, as in the controller.
			const currentNew = this.store.get('replicasets', this.namespace, newRs.metadata.name)!;
			const allPods = all.reduce((sum, rs) => sum + (rs.metadata.name === newRs!.metadata.name ? replicasOf(currentNew) : replicasOf(rs)), 0);
			const minAvailable = spec.replicas - unavailable;
			const newUnavailable = replicasOf(currentNew) - availableOf(currentNew);
			let budget = allPods - minAvailable - newUnavailable;
			for (const rs of [...activeOlds].sort((a, b) => (a.metadata.creationTimestamp! < b.metadata.creationTimestamp! ? -1 : 1))) {
				const unhealthy = replicasOf(rs) - availableOf(rs);
				const cleanup = Math.min(unhealthy, Math.max(0, allPods - minAvailable), replicasOf(rs));
				let target = replicasOf(rs) - cleanup;
				const down = Math.min(target, Math.max(0, budget - cleanup));
				target -= down;
				budget -= cleanup + down;
				setReplicas(rs, target);
			}
		}
		// Revision history: the oldest scaled-down replica sets beyond the limit go.
		const limit = spec.revisionHistoryLimit ?? 10;
		const idle = olds.filter(rs => replicasOf(rs) === 0 && this.podsOf(rs.metadata.name).length === 0).sort((a, b) => Number(a.metadata.annotations?.[revisionAnnotation]) - Number(b.metadata.annotations?.[revisionAnnotation]));
		for (const rs of idle.slice(0, Math.max(0, idle.length - limit))) this.store.remove('replicasets', this.namespace, rs.metadata.name);
	}

	private renderDeploymentStatus(deployment: KubeObject, now: number): void {
		const spec = deployment.spec as {replicas: number; template: unknown; paused?: boolean; progressDeadlineSeconds?: number; strategy: {type: string; rollingUpdate?: {maxSurge?: string | number; maxUnavailable?: string | number}}};
		const all = this.replicaSetsOf(deployment);
		const newRs = all.find(rs => sameTemplate((rs.spec as {template: unknown}).template, spec.template));
		const active = (rs: KubeObject) => this.podsOf(rs.metadata.name).filter(pod => pod.deletingAt === undefined);
		const replicas = all.reduce((sum, rs) => sum + active(rs).length, 0);
		const updated = newRs ? active(newRs).length : 0;
		const ready = all.reduce((sum, rs) => sum + active(rs).filter(pod => this.podReady(pod)).length, 0);
		const updatedAvailable = newRs ? active(newRs).filter(pod => this.podReady(pod)).length : 0;
		const unavailableAllowed = spec.strategy.type === 'Recreate' ? 0 : resolveIntOrPercent(spec.strategy.rollingUpdate?.maxUnavailable ?? '25%', spec.replicas, false);
		const name = deployment.metadata.name;
		const complete = updated === spec.replicas && updatedAvailable === spec.replicas && replicas === spec.replicas;
		const previous = (deployment.status as {conditions?: Array<Record<string, string>>})?.conditions ?? [];
		const progressAt = this.progressAt.get(name) ?? now;
		const deadline = (spec.progressDeadlineSeconds ?? 600) * 1000;
		let progressing: {status: string; reason: string; message: string; lastUpdate: number};
		const rsName = newRs?.metadata.name ?? name;
		if (spec.paused) progressing = {status: 'Unknown', reason: 'DeploymentPaused', message: 'Deployment is paused', lastUpdate: progressAt};
		else if (complete) progressing = {status: 'True', reason: 'NewReplicaSetAvailable', message: `ReplicaSet "${rsName}" has successfully progressed.`, lastUpdate: progressAt};
		else if (now - progressAt > deadline) progressing = {status: 'False', reason: 'ProgressDeadlineExceeded', message: `ReplicaSet "${rsName}" has timed out progressing.`, lastUpdate: progressAt + deadline};
		else progressing = {status: 'True', reason: 'ReplicaSetUpdated', message: `ReplicaSet "${rsName}" is progressing.`, lastUpdate: progressAt};
		const availableOk = ready >= spec.replicas - unavailableAllowed;
		const transition = (type: string, status: string, fallback: number) => {
			const before = previous.find(condition => condition.type === type);
			return before && before.status === status ? before.lastTransitionTime : rfc3339(fallback);
		};
		const conditions = [
			{type: 'Available', status: availableOk ? 'True' : 'False', lastUpdateTime: transition('Available', availableOk ? 'True' : 'False', now), lastTransitionTime: transition('Available', availableOk ? 'True' : 'False', now), reason: availableOk ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable', message: availableOk ? 'Deployment has minimum availability.' : 'Deployment does not have minimum availability.'},
			{type: 'Progressing', status: progressing.status, lastUpdateTime: rfc3339(progressing.lastUpdate), lastTransitionTime: transition('Progressing', progressing.status, progressing.lastUpdate), reason: progressing.reason, message: progressing.message},
		];
		if (progressing.reason === 'ProgressDeadlineExceeded' && previous.find(c => c.type === 'Progressing')?.reason !== 'ProgressDeadlineExceeded' && previous.length > 0)
			this.recordEvent(deployment, 'Warning', 'ProgressDeadlineExceeded', `Deployment "${name}" has timed out progressing.`, 'deployment-controller', now);
		const status = {
				observedGeneration: deployment.metadata.generation ?? 1,
				replicas,
				updatedReplicas: updated,
				...(ready > 0 ? {readyReplicas: ready, availableReplicas: ready} : {}),
				...(spec.replicas - ready > 0 ? {unavailableReplicas: spec.replicas - ready} : {}),
				conditions,
			};
		if (isDeepStrictEqual(status, deployment.status)) return;
		this.store.mutate('deployments', this.namespace, name, object => void (object.status = status));
	}

	// --- the HPA controller ------------------------------------------------------------------------------------

	/** Keeps the target within min/max and reports CPU utilisation against the target; the demo's load is steady. */
	private reconcileHpa(hpa: KubeObject, now: number): void {
		const spec = hpa.spec as {scaleTargetRef: {name: string}; minReplicas?: number; maxReplicas: number; metrics?: Array<{resource?: {name: string; target: {averageUtilization?: number}}}>};
		const deployment = this.store.get('deployments', this.namespace, spec.scaleTargetRef.name);
		if (!deployment) return;
		const plan = this.plans.find(p => p.name === deployment.metadata.name)!;
		const replicas = (deployment.spec as {replicas: number}).replicas;
		const min = spec.minReplicas ?? 1;
		const desired = Math.min(spec.maxReplicas, Math.max(min, replicas));
		const usages = [...this.pods.values()].filter(pod => pod.deployment === plan.name && pod.deletingAt === undefined).map(pod => this.podUsage(pod.name)).filter((u): u is {cpu: number; memory: number} => Boolean(u));
		const request = parseCpu(plan.requests.cpu);
		const average = usages.length ? usages.reduce((sum, u) => sum + u.cpu, 0) / usages.length : 0;
		const utilization = Math.round((average / request) * 100);
		const scaled = desired !== replicas;
		if (scaled) {
			this.store.mutate('deployments', this.namespace, deployment.metadata.name, object => {
				(object.spec as {replicas: number}).replicas = desired;
				object.metadata.generation = (object.metadata.generation ?? 1) + 1;
			});
			this.recordEvent(hpa, 'Normal', 'SuccessfulRescale', `New size: ${desired}; reason: ${desired > replicas ? 'Current number of replicas below Spec.MinReplicas' : 'Current number of replicas above Spec.MaxReplicas'}`, 'horizontal-pod-autoscaler', now);
		}
		const limited = replicas <= min || replicas >= spec.maxReplicas;
		this.store.mutate('horizontalpodautoscalers', this.namespace, hpa.metadata.name, object => {
			const before = object.status as {lastScaleTime?: string};
			object.status = {
				...(scaled ? {lastScaleTime: rfc3339(now)} : before.lastScaleTime ? {lastScaleTime: before.lastScaleTime} : {}),
				currentReplicas: replicas,
				desiredReplicas: desired,
				currentMetrics: usages.length ? [{type: 'Resource', resource: {name: 'cpu', current: {averageUtilization: utilization, averageValue: `${Math.round(average * 1000)}m`}}}] : [],
				conditions: [
					{type: 'AbleToScale', status: 'True', lastTransitionTime: object.metadata.creationTimestamp, reason: 'ReadyForNewScale', message: 'recommended size matches current size'},
					{type: 'ScalingActive', status: usages.length ? 'True' : 'False', lastTransitionTime: object.metadata.creationTimestamp, reason: usages.length ? 'ValidMetricFound' : 'FailedGetResourceMetric', message: usages.length ? 'the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)' : 'the HPA was unable to compute the replica count: no metrics returned from resource metrics API'},
					{type: 'ScalingLimited', status: limited ? 'True' : 'False', lastTransitionTime: object.metadata.creationTimestamp, reason: limited ? (replicas <= min ? 'TooFewReplicas' : 'TooManyReplicas') : 'DesiredWithinRange', message: limited ? `the desired replica count is ${replicas <= min ? 'less' : 'more'} than the ${replicas <= min ? 'minimum' : 'maximum'} replica count` : 'the desired count is within the acceptable range'},
				],
			};
		});
	}
}

/** An int-or-percent of the deployment's replicas: surge rounds up, unavailability down, as the controller does. */
export function resolveIntOrPercent(value: string | number, total: number, roundUp: boolean): number {
	if (typeof value === 'number') return value;
	const match = /^(\d+)%$/.exec(value);
	if (!match) return Number(value) || 0;
	const exact = (Number(match[1]) * total) / 100;
	return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

/** "250m" or "2" as cores. */
export function parseCpu(value: string): number {
	return value.endsWith('m') ? Number(value.slice(0, -1)) / 1000 : Number(value);
}

function terminationReason(exitCode: number, oomKilled: boolean): string {
	if (oomKilled) return 'OOMKilled';
	return exitCode === 0 ? 'Completed' : 'Error';
}

function idFor(text: string, salt: number): string {
	let hash = 2166136261 ^ salt;
	let out = '';
	for (let round = 0; out.length < 64; round++) {
		for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 16777619) >>> 0;
		hash = Math.imul(hash ^ round, 16777619) >>> 0;
		out += hash.toString(16).padStart(8, '0');
	}
	return out.slice(0, 64);
}

/** What the bad build logs while its health endpoint answers 503. */
function badVersionLine(t: number): LogEntry {
	return {time: t, nanos: 0, stream: 'stdout', text: `${rfc3339Micros(t, 0)} ERROR bot_core::api: health check failed: strategy registry empty after config migration (strategies.rsi_macd: unknown field \`signal_window\`)`};
}
