import type {EnvironmentConfig} from '../config/schema.js';
import {looksSecret} from '../util/secrets.js';
import type {Runbook, RunbookInput} from './schema.js';
import type {InputValue} from './template.js';

/** Trading symbols as the exchange spells them (DESIGN.md: `^[A-Z0-9]{2,20}$`). */
export const symbolPattern = /^[A-Z0-9]{2,20}$/;
/** The platform's scaling bounds; an input named `replicas` never leaves them, whatever the runbook says. */
export const replicaBounds = {min: 0, max: 50};

export type InputValidation = {values: Record<string, InputValue>; errors: string[]};

export function isSecretInput(input: RunbookInput): boolean {
	return input.secret || looksSecret(input.name);
}

/**
 * Types, defaults and checks every input. Each error names the input and what was expected;
 * a secret input's rejected value is never echoed back.
 */
export function validateInputs(
	runbook: Runbook,
	raw: Record<string, string | number | boolean>,
	environment: EnvironmentConfig,
): InputValidation {
	const values: Record<string, InputValue> = {};
	const errors: string[] = [];
	const known = new Set(runbook.inputs.map(i => i.name));
	for (const name of Object.keys(raw)) {
		if (!known.has(name)) {
			errors.push(
				`input ${name}: unknown; ${known.size > 0 ? `expected one of ${[...known].join(', ')}` : `runbook ${runbook.id} takes no inputs`}`,
			);
		}
	}
	for (const input of runbook.inputs) {
		const given = raw[input.name] ?? input.default;
		if (given === undefined || given === '') {
			errors.push(`input ${input.name}: required; expected ${expectationOf(input, environment)}`);
			continue;
		}
		const result = coerce(input, given, environment);
		if ('error' in result) {
			const shown = isSecretInput(input) ? '' : `, got ${JSON.stringify(given)}`;
			errors.push(`input ${input.name}: expected ${result.error}${shown}`);
		} else values[input.name] = result.value;
	}
	return {values, errors};
}

function coerce(input: RunbookInput, given: string | number | boolean, environment: EnvironmentConfig): {value: InputValue} | {error: string} {
	const text = String(given).trim();
	switch (input.type) {
		case 'integer': {
			if (!/^-?\d+$/.test(text)) return {error: expectationOf(input, environment)};
			const value = Number(text);
			const {min, max} = bounds(input);
			if ((min !== undefined && value < min) || (max !== undefined && value > max)) return {error: expectationOf(input, environment)};
			return allowed(input, value, environment);
		}
		case 'boolean': {
			if (/^(true|yes|y|1|on)$/i.test(text)) return {value: true};
			if (/^(false|no|n|0|off)$/i.test(text)) return {value: false};
			return {error: expectationOf(input, environment)};
		}
		case 'symbol': {
			if (!symbolPattern.test(text)) return {error: expectationOf(input, environment)};
			return allowed(input, text, environment);
		}
		case 'service': {
			if (!environment.services.some(s => s.name === text)) return {error: expectationOf(input, environment)};
			return allowed(input, text, environment);
		}
		case 'enum': {
			return allowed(input, text, environment);
		}
		case 'backup':
		case 'string': {
			if (input.pattern && !new RegExp(`^(?:${input.pattern})$`).test(text)) return {error: expectationOf(input, environment)};
			if ((input.min !== undefined && text.length < input.min) || (input.max !== undefined && text.length > input.max)) {
				return {error: expectationOf(input, environment)};
			}
			return allowed(input, text, environment);
		}
	}
}

function allowed(input: RunbookInput, value: InputValue, environment: EnvironmentConfig): {value: InputValue} | {error: string} {
	if (input.values && !input.values.some(v => String(v) === String(value))) return {error: expectationOf(input, environment)};
	return {value};
}

function bounds(input: RunbookInput): {min?: number; max?: number} {
	if (input.name !== 'replicas') return {min: input.min, max: input.max};
	return {
		min: Math.max(input.min ?? replicaBounds.min, replicaBounds.min),
		max: Math.min(input.max ?? replicaBounds.max, replicaBounds.max),
	};
}

/** "an integer from 0 to 50", "a symbol like BTCUSDT (2-20 characters A-Z, 0-9)", "one of …". */
export function expectationOf(input: RunbookInput, environment: EnvironmentConfig): string {
	const oneOf = (values: unknown[]) => `one of ${values.map(v => String(v)).join(', ')}`;
	switch (input.type) {
		case 'integer': {
			const {min, max} = bounds(input);
			const range = min !== undefined && max !== undefined ? ` from ${min} to ${max}` : min !== undefined ? ` >= ${min}` : max !== undefined ? ` <= ${max}` : '';
			return input.values ? `an integer, ${oneOf(input.values)}` : `an integer${range}`;
		}
		case 'boolean': {
			return 'true or false';
		}
		case 'symbol': {
			return `a symbol like BTCUSDT (2-20 characters A-Z, 0-9)${input.values ? `, ${oneOf(input.values)}` : ''}`;
		}
		case 'service': {
			const names = input.values ?? environment.services.map(s => s.name);
			return `a service of environment ${environment.name}: ${oneOf(names)}`;
		}
		case 'enum': {
			return oneOf(input.values ?? []);
		}
		case 'backup':
		case 'string': {
			const parts = [input.type === 'backup' ? 'a backup from the listing' : 'a string'];
			if (input.pattern) parts.push(`matching ${input.pattern}`);
			if (input.min !== undefined) parts.push(`at least ${input.min} characters`);
			if (input.max !== undefined) parts.push(`at most ${input.max} characters`);
			if (input.values) parts.push(oneOf(input.values));
			return parts.join(', ');
		}
	}
}
