import type {EnvironmentConfig, ServiceConfig} from '../config/schema.js';
import {MASK} from '../util/secrets.js';

export type InputValue = string | number | boolean;

export type TemplateScope = {
	inputs: Record<string, InputValue>;
	/** Names of inputs whose values are masked wherever they are shown. */
	secretInputs: ReadonlySet<string>;
	/** The `service`-typed input that `${service.*}` refers to, when the runbook has one. */
	serviceInput?: string;
	environment: EnvironmentConfig;
	env: NodeJS.ProcessEnv;
	now: Date;
	/** When set, an unset variable is reported here instead of thrown, so a plan can still be shown (and run refused). */
	onMissingEnv?: (name: string) => void;
};

export class TemplateError extends Error {
	override name = 'TemplateError';
}

/** A resolved value in two forms: the one the action runs with and the one shown (plan, audit) with secrets masked. */
export type Resolved = {value: unknown; display: unknown};

/**
 * Resolves `${…}` in every string of a params tree, at plan time and purely in memory: values are
 * substituted into argv elements and URLs, never handed to a shell. Secret values are collected in
 * `secrets` so output and errors can be scrubbed later.
 */
export function resolveParams(params: unknown, scope: TemplateScope, secrets: Set<string>): Resolved {
	if (typeof params === 'string') return resolveString(params, scope, secrets);
	if (Array.isArray(params)) {
		const items = params.map(item => resolveParams(item, scope, secrets));
		return {value: items.map(i => i.value), display: items.map(i => i.display)};
	}
	if (params !== null && typeof params === 'object') {
		const value: Record<string, unknown> = {};
		const display: Record<string, unknown> = {};
		for (const [key, item] of Object.entries(params)) {
			const resolved = resolveParams(item, scope, secrets);
			value[key] = resolved.value;
			display[key] = resolved.display;
		}
		return {value, display};
	}
	return {value: params, display: params};
}

const placeholder = /\$\$\{|\$\{([^}]*)\}/g;

function resolveString(text: string, scope: TemplateScope, secrets: Set<string>): Resolved {
	// A string that is exactly one placeholder keeps the value's type (an integer input stays a number).
	const whole = /^\$\{([^}]*)\}$/.exec(text);
	if (whole) {
		const part = lookup(whole[1]!.trim(), scope);
		if (part.secret) secrets.add(String(part.value));
		// Keep the type in the shown form too, unless it is masked: describe() validates it like the real one.
		return {value: part.value, display: part.display === String(part.value) ? part.value : part.display};
	}
	let value = '';
	let display = '';
	let last = 0;
	for (const match of text.matchAll(placeholder)) {
		value += text.slice(last, match.index);
		display += text.slice(last, match.index);
		last = match.index + match[0].length;
		if (match[0] === '$${') {
			value += '${';
			display += '${';
			continue;
		}
		const part = lookup(match[1]!.trim(), scope);
		if (part.secret) secrets.add(String(part.value));
		value += String(part.value);
		display += String(part.display);
	}
	value += text.slice(last);
	display += text.slice(last);
	return {value, display};
}

type Part = {value: InputValue; display: string; secret: boolean};

function lookup(expression: string, scope: TemplateScope): Part {
	const [namespace, ...rest] = expression.split('.');
	const name = rest.join('.');
	switch (namespace) {
		case 'inputs': {
			if (!(name in scope.inputs)) throw new TemplateError(`\${${expression}}: no input named "${name}"`);
			const value = scope.inputs[name]!;
			const secret = scope.secretInputs.has(name);
			return {value, display: secret ? MASK : String(value), secret};
		}
		case 'env': {
			return fromEnv(name, scope, expression);
		}
		case 'mongo': {
			const mongo = scope.environment.mongo;
			if (!mongo) throw new TemplateError(`\${${expression}}: mongo is not configured for environment ${scope.environment.name}`);
			if (name === 'uri') return fromEnv(mongo.uriEnv, scope, expression);
			if (name === 'database') return plain(mongo.database);
			if (name === 'uriEnv') return plain(mongo.uriEnv);
			break;
		}
		case 'environment': {
			const backend = scope.environment.backend;
			if (name === 'name') return plain(scope.environment.name);
			if (name === 'project' && backend.type === 'compose') return plain(backend.project);
			if (name === 'namespace' && backend.type === 'kubernetes') return plain(backend.namespace);
			if (name === 'envFile' && scope.environment.envFile) return plain(scope.environment.envFile);
			if (name === 'adminTokenEnv' && scope.environment.adminTokenEnv) return plain(scope.environment.adminTokenEnv);
			break;
		}
		case 'service': {
			if (!scope.serviceInput) throw new TemplateError(`\${${expression}}: the runbook has no input of type service`);
			return serviceField(String(scope.inputs[scope.serviceInput]), name, scope, expression);
		}
		case 'services': {
			const dot = name.lastIndexOf('.');
			if (dot > 0) return serviceField(name.slice(0, dot), name.slice(dot + 1), scope, expression);
			break;
		}
		case 'time': {
			if (name === 'stamp') return plain(stamp(scope.now));
			if (name === 'iso') return plain(scope.now.toISOString());
			break;
		}
	}
	throw new TemplateError(
		`\${${expression}}: unknown placeholder; expected inputs.NAME, env.NAME, service.url|baseUrl|container|name, services.NAME.url|baseUrl|container|name, environment.name|project|namespace|envFile, mongo.uri|database, time.stamp|iso`,
	);
}

function plain(value: string): Part {
	return {value, display: value, secret: false};
}

/** Environment variables may hold secrets: the plan shows the variable's name, never its value. */
function fromEnv(name: string, scope: TemplateScope, expression: string): Part {
	const value = scope.env[name];
	if (value === undefined || value === '') {
		if (scope.onMissingEnv) {
			scope.onMissingEnv(name);
			return {value: '', display: `$${name}`, secret: false};
		}
		throw new TemplateError(`\${${expression}}: environment variable ${name} is not set`);
	}
	return {value, display: `$${name}`, secret: true};
}

function serviceField(serviceName: string, field: string, scope: TemplateScope, expression: string): Part {
	const service = findService(scope.environment, serviceName);
	if (!service) {
		throw new TemplateError(
			`\${${expression}}: no service "${serviceName}" in environment ${scope.environment.name}; expected one of ${scope.environment.services.map(s => s.name).join(', ')}`,
		);
	}
	switch (field) {
		case 'name': {
			return plain(service.name);
		}
		case 'container': {
			return plain(service.container ?? service.name);
		}
		case 'url':
		case 'baseUrl': {
			if (!service.healthUrl) throw new TemplateError(`\${${expression}}: service ${service.name} has no healthUrl configured`);
			return plain(field === 'url' ? service.healthUrl : new URL(service.healthUrl).origin);
		}
		default: {
			throw new TemplateError(`\${${expression}}: unknown service field "${field}"; expected name, container, url or baseUrl`);
		}
	}
}

export function findService(environment: EnvironmentConfig, name: string): ServiceConfig | undefined {
	return environment.services.find(s => s.name === name);
}

/** YYYYMMDD_HHMMSS in UTC, as the manual's `$(date +%Y%m%d_%H%M%S)` backup names. */
export function stamp(date: Date): string {
	const iso = date.toISOString();
	return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}_${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}`;
}
