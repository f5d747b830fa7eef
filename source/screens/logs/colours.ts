import {serviceColourIndex} from '../../logs/format.js';

/** One colour per service, stable across runs (a hash of the name, as the CLI's). Not a theme token: services are not states. */
const serviceColours = ['cyan', 'green', 'magenta', 'blue', 'yellow', 'cyanBright', 'greenBright', 'magentaBright'];

export function serviceColour(service: string, noColor: boolean): string | undefined {
	return noColor ? undefined : serviceColours[serviceColourIndex(service, serviceColours.length)];
}
