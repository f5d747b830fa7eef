import {serviceColourIndex} from '../../logs/format.js';

/** One colour per service, stable across runs (a hash of the name, as the CLI's). Not a theme token: services are not states. */
const serviceColours = ['cyan', 'green', 'magenta', 'blue', 'yellow', 'cyanBright', 'greenBright', 'magentaBright'];

/** With an `instance` (a pod, a replica) the colour is that instance's: a deployment's pods read apart, as stern colours them. */
export function serviceColour(service: string, noColor: boolean, instance?: string): string | undefined {
	return noColor ? undefined : serviceColours[serviceColourIndex(instance ?? service, serviceColours.length)];
}
