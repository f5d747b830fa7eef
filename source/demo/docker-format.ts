/** The demo world rendered in the Docker Engine API's JSON shapes (as a cgroup v2 host answers). */
import {composeNetwork, composeProject, hostCpus, hostMemTotal} from './catalog.js';
import type {SimContainer} from './container.js';
import {humanDuration} from '../util/human-duration.js';
import {goZeroTime, nanosFor, rfc3339Nano} from './time-format.js';
import type {World} from './world.js';

export const engineVersion = '27.3.1';
export const apiVersion = '1.47';
export const minApiVersion = '1.24';

const time = (ms: number | undefined) => (ms === undefined ? goZeroTime : rfc3339Nano(ms, nanosFor(ms)));

export function labelsOf(container: SimContainer): Record<string, string> {
	const spec = container.spec;
	return {
		'com.docker.compose.config-hash': container.id.slice(8, 72).padEnd(64, '0'),
		'com.docker.compose.container-number': '1',
		// Compose writes SERVICE:CONDITION:RESTART per dependency.
		'com.docker.compose.depends_on': (spec.dependsOn ?? []).map(name => `${name}:service_started:false`).join(','),
		'com.docker.compose.image': `sha256:${imageId(container).slice(7)}`,
		'com.docker.compose.oneoff': 'False',
		'com.docker.compose.project': composeProject,
		'com.docker.compose.project.config_files': '/opt/bot-core/docker-compose.yml',
		'com.docker.compose.project.working_dir': '/opt/bot-core',
		'com.docker.compose.service': spec.service,
		'com.docker.compose.version': '2.29.7',
	};
}

/** Image ids are derived from the image name so every container of one image shares it. */
export function imageId(container: SimContainer): string {
	let h1 = 0x811c9dc5;
	let out = '';
	for (let round = 0; out.length < 64; round++) {
		for (const ch of `${container.spec.image}#${round}`) h1 = Math.imul(h1 ^ ch.charCodeAt(0), 0x01000193) >>> 0;
		out += h1.toString(16).padStart(8, '0');
	}
	return `sha256:${out.slice(0, 64)}`;
}

function command(container: SimContainer): string {
	const argv = [...(container.spec.entrypoint ?? []), ...container.spec.cmd];
	return argv.map(arg => (/[\s"'$]/.test(arg) ? `'${arg}'` : arg)).join(' ');
}

export function healthSuffix(container: SimContainer): string {
	const status = container.health?.status;
	if (!status) return '';
	return status === 'starting' ? ' (health: starting)' : ` (${status})`;
}

/** Docker's State.String(): the Status column of `docker ps`. */
export function statusText(container: SimContainer, now: number): string {
	switch (container.status) {
		case 'running':
			return `Up ${humanDuration(now - (container.startedAt ?? now))}${healthSuffix(container)}`;
		case 'restarting':
			return `Restarting (${container.exitCode}) ${humanDuration(now - (container.finishedAt ?? now))} ago`;
		case 'exited':
			return `Exited (${container.exitCode}) ${humanDuration(now - (container.finishedAt ?? now))} ago`;
		default:
			return 'Created';
	}
}

function listPorts(container: SimContainer) {
	return container.spec.ports.map(port =>
		port.publicPort === undefined || container.status !== 'running'
			? {PrivatePort: port.privatePort, Type: port.type}
			: {IP: '0.0.0.0', PrivatePort: port.privatePort, PublicPort: port.publicPort, Type: port.type},
	);
}

function mounts(container: SimContainer, forList: boolean) {
	return container.spec.mounts.map(mount => ({
		Type: mount.type,
		...(mount.name ? {Name: mount.name} : {}),
		Source: mount.source,
		Destination: mount.destination,
		...(mount.type === 'volume' ? {Driver: 'local'} : {}),
		Mode: mount.type === 'volume' ? 'z' : forList ? '' : mount.rw ? 'rw' : 'ro',
		RW: mount.rw,
		Propagation: mount.type === 'bind' ? 'rprivate' : '',
	}));
}

function endpoint(container: SimContainer, world: World) {
	const up = container.status === 'running';
	return {
		IPAMConfig: null,
		Links: null,
		Aliases: [container.name, container.spec.service],
		MacAddress: up ? container.macAddress : '',
		DriverOpts: null,
		NetworkID: world.networkId,
		EndpointID: up ? container.endpointId : '',
		Gateway: up ? '172.18.0.1' : '',
		IPAddress: up ? container.ipAddress : '',
		IPPrefixLen: up ? 16 : 0,
		IPv6Gateway: '',
		GlobalIPv6Address: '',
		GlobalIPv6PrefixLen: 0,
		DNSNames: up ? [container.name, container.id.slice(0, 12), container.spec.service] : null,
	};
}

/** One element of GET /containers/json. */
export function listEntry(container: SimContainer, world: World, now: number) {
	return {
		Id: container.id,
		Names: [`/${container.name}`],
		Image: container.spec.image,
		ImageID: imageId(container),
		Command: command(container),
		Created: Math.floor(container.createdAt / 1000),
		Ports: listPorts(container),
		Labels: labelsOf(container),
		State: container.status,
		Status: statusText(container, now),
		HostConfig: {NetworkMode: composeNetwork},
		NetworkSettings: {Networks: {[composeNetwork]: endpoint(container, world)}},
		Mounts: mounts(container, true),
	};
}

const healthcheckNs = (ms: number) => ms * 1_000_000;

/** GET /containers/{id}/json. */
export function inspectContainer(container: SimContainer, world: World) {
	const spec = container.spec;
	const check = spec.healthcheck;
	const [path, ...args] = [...(spec.entrypoint ?? []), ...spec.cmd];
	const portMap: Record<string, Array<{HostIp: string; HostPort: string}> | null> = {};
	const exposed: Record<string, object> = {};
	const bindings: Record<string, Array<{HostIp: string; HostPort: string}>> = {};
	for (const port of spec.ports) {
		const key = `${port.privatePort}/${port.type}`;
		exposed[key] = {};
		if (port.publicPort !== undefined) bindings[key] = [{HostIp: '', HostPort: String(port.publicPort)}];
		if (container.status === 'running') portMap[key] = port.publicPort === undefined ? null : [{HostIp: '0.0.0.0', HostPort: String(port.publicPort)}];
	}
	const health = container.health && {
		Status: container.health.status,
		FailingStreak: container.health.failingStreak,
		Log: container.health.log.map(entry => ({Start: time(entry.start), End: time(entry.end), ExitCode: entry.exitCode, Output: entry.output})),
	};
	const running = container.status === 'running' || container.status === 'restarting';
	return {
		Id: container.id,
		Created: time(container.createdAt),
		Path: path ?? '',
		Args: args,
		State: {
			Status: container.status,
			Running: running,
			Paused: false,
			Restarting: container.status === 'restarting',
			OOMKilled: container.oomKilled,
			Dead: false,
			Pid: container.pid,
			ExitCode: container.exitCode,
			Error: '',
			StartedAt: time(container.startedAt),
			FinishedAt: time(container.finishedAt),
			...(health ? {Health: health} : {}),
		},
		Image: imageId(container),
		ResolvConfPath: `/var/lib/docker/containers/${container.id}/resolv.conf`,
		HostnamePath: `/var/lib/docker/containers/${container.id}/hostname`,
		HostsPath: `/var/lib/docker/containers/${container.id}/hosts`,
		LogPath: `/var/lib/docker/containers/${container.id}/${container.id}-json.log`,
		Name: `/${container.name}`,
		RestartCount: container.restartCount,
		Driver: 'overlay2',
		Platform: 'linux',
		MountLabel: '',
		ProcessLabel: '',
		AppArmorProfile: 'docker-default',
		ExecIDs: null,
		HostConfig: {
			Binds: spec.mounts.filter(m => m.type === 'bind').map(m => `${m.source}:${m.destination}:${m.rw ? 'rw' : 'ro'}`),
			ContainerIDFile: '',
			LogConfig: {Type: 'json-file', Config: {'max-file': '3', 'max-size': '10m'}},
			NetworkMode: composeNetwork,
			PortBindings: bindings,
			RestartPolicy: {Name: spec.restartPolicy, MaximumRetryCount: spec.maxRetries ?? 0},
			AutoRemove: false,
			VolumeDriver: '',
			VolumesFrom: null,
			CapAdd: null,
			CapDrop: null,
			CgroupnsMode: 'private',
			Dns: null,
			DnsOptions: null,
			DnsSearch: null,
			ExtraHosts: [],
			GroupAdd: null,
			IpcMode: 'private',
			Cgroup: '',
			Links: null,
			OomScoreAdj: 0,
			PidMode: '',
			Privileged: false,
			PublishAllPorts: false,
			ReadonlyRootfs: false,
			SecurityOpt: null,
			UTSMode: '',
			UsernsMode: '',
			ShmSize: 67_108_864,
			Runtime: 'runc',
			Isolation: '',
			CpuShares: 0,
			Memory: spec.memoryLimit,
			NanoCpus: 0,
			CgroupParent: '',
			BlkioWeight: 0,
			CpuPeriod: 0,
			CpuQuota: 0,
			CpusetCpus: '',
			CpusetMems: '',
			Devices: null,
			MemoryReservation: 0,
			MemorySwap: spec.memoryLimit ? spec.memoryLimit * 2 : 0,
			MemorySwappiness: null,
			OomKillDisable: null,
			PidsLimit: null,
			Ulimits: null,
		},
		GraphDriver: {Data: null, Name: 'overlay2'},
		Mounts: mounts(container, false),
		Config: {
			Hostname: container.id.slice(0, 12),
			Domainname: '',
			User: '',
			AttachStdin: false,
			AttachStdout: true,
			AttachStderr: true,
			...(spec.ports.length > 0 ? {ExposedPorts: exposed} : {}),
			Tty: false,
			OpenStdin: false,
			StdinOnce: false,
			Env: spec.env,
			Cmd: spec.cmd.length > 0 ? spec.cmd : null,
			...(check
				? {Healthcheck: {Test: check.test, Interval: healthcheckNs(check.intervalMs), Timeout: healthcheckNs(check.timeoutMs), StartPeriod: healthcheckNs(check.startPeriodMs), Retries: check.retries}}
				: {}),
			Image: spec.image,
			Volumes: null,
			WorkingDir: '/app',
			Entrypoint: spec.entrypoint ?? null,
			OnBuild: null,
			Labels: labelsOf(container),
		},
		NetworkSettings: {
			Bridge: '',
			SandboxID: container.status === 'running' ? container.endpointId.split('').reverse().join('') : '',
			SandboxKey: container.status === 'running' ? `/var/run/docker/netns/${container.endpointId.slice(0, 12)}` : '',
			Ports: portMap,
			HairpinMode: false,
			LinkLocalIPv6Address: '',
			LinkLocalIPv6PrefixLen: 0,
			SecondaryIPAddresses: null,
			SecondaryIPv6Addresses: null,
			EndpointID: '',
			Gateway: '',
			GlobalIPv6Address: '',
			GlobalIPv6PrefixLen: 0,
			IPAddress: '',
			IPPrefixLen: 0,
			IPv6Gateway: '',
			MacAddress: '',
			Networks: {[composeNetwork]: endpoint(container, world)},
		},
	};
}

type CpuSnapshot = {total: number; kernel: number; user: number; system: number; periods: number; throttled: number};

export function cpuSnapshot(container: SimContainer, world: World, now: number): CpuSnapshot {
	container.integrate(now);
	const c = container.counters;
	return {total: c.cpuTotalNs, kernel: c.cpuKernelNs, user: c.cpuUserNs, system: world.systemCpuNs(now, hostCpus), periods: c.periods, throttled: c.throttledPeriods};
}

function cpuStats(snapshot: CpuSnapshot | undefined) {
	if (!snapshot) return {cpu_usage: {total_usage: 0, usage_in_kernelmode: 0, usage_in_usermode: 0}, throttling_data: {periods: 0, throttled_periods: 0, throttled_time: 0}};
	return {
		cpu_usage: {total_usage: snapshot.total, usage_in_kernelmode: snapshot.kernel, usage_in_usermode: snapshot.user},
		system_cpu_usage: snapshot.system,
		online_cpus: hostCpus,
		throttling_data: {periods: snapshot.periods, throttled_periods: snapshot.throttled, throttled_time: snapshot.throttled * 1_000_000},
	};
}

/**
 * One stats sample. A container that is not running gets Docker's empty sample (zero read time, empty
 * memory and pids, null blkio lists), exactly as the engine sends it every second for a stopped container.
 */
export function statsSample(container: SimContainer, world: World, now: number, previous?: {at: number; cpu: CpuSnapshot}) {
	const base = {name: `/${container.name}`, id: container.id};
	if (container.status !== 'running') {
		return {
			read: goZeroTime,
			preread: previous ? time(previous.at) : goZeroTime,
			pids_stats: {},
			blkio_stats: {io_service_bytes_recursive: null, io_serviced_recursive: null, io_queue_recursive: null, io_service_time_recursive: null, io_wait_time_recursive: null, io_merged_recursive: null, io_time_recursive: null, sectors_recursive: null},
			num_procs: 0,
			storage_stats: {},
			cpu_stats: cpuStats(undefined),
			precpu_stats: cpuStats(previous?.cpu),
			memory_stats: {},
			...base,
		};
	}
	const cpu = cpuSnapshot(container, world, now);
	const c = container.counters;
	const usage = Math.min(container.memUsage, container.memoryLimit);
	const file = Math.floor(container.memFile);
	const anon = Math.max(0, usage - file);
	return {
		read: time(now),
		preread: previous ? time(previous.at) : goZeroTime,
		pids_stats: {current: container.pids, limit: container.spec.memoryLimit ? 4_194_304 : 18_446_744_073_709_552_000},
		blkio_stats: {
			io_service_bytes_recursive: [
				{major: 259, minor: 0, op: 'read', value: c.blkRead},
				{major: 259, minor: 0, op: 'write', value: c.blkWrite},
			],
			io_serviced_recursive: null,
			io_queue_recursive: null,
			io_service_time_recursive: null,
			io_wait_time_recursive: null,
			io_merged_recursive: null,
			io_time_recursive: null,
			sectors_recursive: null,
		},
		num_procs: 0,
		storage_stats: {},
		cpu_stats: cpuStats(cpu),
		precpu_stats: cpuStats(previous?.cpu),
		memory_stats: {
			usage,
			stats: {
				active_anon: Math.floor(anon * 0.08),
				active_file: file - container.inactiveFile,
				anon,
				anon_thp: 0,
				file,
				file_dirty: Math.floor(file * 0.01),
				file_mapped: Math.floor(file * 0.3),
				file_writeback: 0,
				inactive_anon: Math.floor(anon * 0.92),
				inactive_file: container.inactiveFile,
				kernel_stack: container.pids * 16_384,
				pgactivate: Math.floor(c.cpuTotalNs / 9e6),
				pgdeactivate: 0,
				pgfault: Math.floor(c.cpuTotalNs / 2e5),
				pglazyfree: 0,
				pglazyfreed: 0,
				pgmajfault: 12,
				pgrefill: 0,
				pgscan: 0,
				pgsteal: 0,
				shmem: 0,
				slab: Math.floor(usage * 0.012),
				slab_reclaimable: Math.floor(usage * 0.008),
				slab_unreclaimable: Math.floor(usage * 0.004),
				sock: 0,
				thp_collapse_alloc: 0,
				thp_fault_alloc: 0,
				unevictable: 0,
				workingset_activate: 0,
				workingset_nodereclaim: 0,
				workingset_refault: 0,
			},
			limit: container.memoryLimit,
		},
		...base,
		networks: {
			eth0: {rx_bytes: c.rxBytes, rx_packets: c.rxPackets, rx_errors: 0, rx_dropped: 0, tx_bytes: c.txBytes, tx_packets: c.txPackets, tx_errors: 0, tx_dropped: 0},
		},
	};
}

export function versionBody() {
	return {
		Platform: {Name: 'Docker Engine - Community'},
		Components: [
			{Name: 'Engine', Version: engineVersion, Details: {ApiVersion: apiVersion, Arch: 'amd64', BuildTime: '2024-09-20T11:41:11.000000000+00:00', Experimental: 'false', GitCommit: '41ca978', GoVersion: 'go1.22.7', KernelVersion: '6.8.0-45-generic', MinAPIVersion: minApiVersion, Os: 'linux'}},
			{Name: 'containerd', Version: '1.7.22', Details: {GitCommit: '7f7fdf5fed64eb6a7caf99b3e12efcf9d60e311c'}},
			{Name: 'runc', Version: '1.1.14', Details: {GitCommit: 'v1.1.14-0-g2c9f560'}},
			{Name: 'docker-init', Version: '0.19.0', Details: {GitCommit: 'de40ad0'}},
		],
		Version: engineVersion,
		ApiVersion: apiVersion,
		MinAPIVersion: minApiVersion,
		GitCommit: '41ca978',
		GoVersion: 'go1.22.7',
		Os: 'linux',
		Arch: 'amd64',
		KernelVersion: '6.8.0-45-generic',
		BuildTime: '2024-09-20T11:41:11.000000000+00:00',
	};
}

export function infoBody(world: World, now: number) {
	const running = world.containers.filter(c => c.status === 'running' || c.status === 'restarting').length;
	return {
		ID: 'd2c4b6a8-6f3e-4a51-9d2b-b0t0c0re0dem0',
		Containers: world.containers.length,
		ContainersRunning: running,
		ContainersPaused: 0,
		ContainersStopped: world.containers.length - running,
		Images: new Set(world.containers.map(c => c.spec.image)).size,
		Driver: 'overlay2',
		DriverStatus: [['Backing Filesystem', 'extfs'], ['Supports d_type', 'true'], ['Using metacopy', 'false'], ['Native Overlay Diff', 'true'], ['userxattr', 'false']],
		Plugins: {Volume: ['local'], Network: ['bridge', 'host', 'ipvlan', 'macvlan', 'null', 'overlay'], Authorization: null, Log: ['awslogs', 'fluentd', 'gcplogs', 'gelf', 'journald', 'json-file', 'local', 'splunk', 'syslog']},
		MemoryLimit: true,
		SwapLimit: true,
		CpuCfsPeriod: true,
		CpuCfsQuota: true,
		CPUShares: true,
		CPUSet: true,
		PidsLimit: true,
		IPv4Forwarding: true,
		BridgeNfIptables: true,
		BridgeNfIp6tables: true,
		Debug: false,
		NFd: 58,
		OomKillDisable: false,
		NGoroutines: 71,
		SystemTime: rfc3339Nano(now, nanosFor(now)),
		LoggingDriver: 'json-file',
		CgroupDriver: 'systemd',
		CgroupVersion: '2',
		NEventsListener: 0,
		KernelVersion: '6.8.0-45-generic',
		OperatingSystem: 'Ubuntu 24.04.1 LTS',
		OSVersion: '24.04',
		OSType: 'linux',
		Architecture: 'x86_64',
		IndexServerAddress: 'https://index.docker.io/v1/',
		NCPU: hostCpus,
		MemTotal: hostMemTotal,
		GenericResources: null,
		DockerRootDir: '/var/lib/docker',
		HttpProxy: '',
		HttpsProxy: '',
		NoProxy: '',
		Name: 'bot-core-demo',
		Labels: [],
		ExperimentalBuild: false,
		ServerVersion: engineVersion,
		Runtimes: {'io.containerd.runc.v2': {path: 'runc'}, runc: {path: 'runc'}},
		DefaultRuntime: 'runc',
		Swarm: {NodeID: '', NodeAddr: '', LocalNodeState: 'inactive', ControlAvailable: false, Error: '', RemoteManagers: null},
		LiveRestoreEnabled: false,
		Isolation: '',
		InitBinary: 'docker-init',
		SecurityOptions: ['name=apparmor', 'name=seccomp,profile=builtin', 'name=cgroupns'],
		Warnings: null,
	};
}
