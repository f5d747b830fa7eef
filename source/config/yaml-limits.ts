/**
 * The largest config or runbook file: a config of 1000 services is about 60 KB. Checked before parsing (and the
 * config is read no further), because the YAML parser's cost is the file's size: 10 MB take half a minute and more
 * than a gigabyte. Apart from yaml-schema.ts so that reading the config does not load the parser.
 */
export const maxYamlBytes = 1024 * 1024;

/** The error for a file over maxYamlBytes; `size` is its size in bytes, undefined when it has none (a device, a pipe). */
export function yamlTooLarge(file: string, size: number | undefined): string {
	const shown = size === undefined ? 'more than 1 MiB' : `${(size / (1024 * 1024)).toFixed(1)} MiB`;
	return `${file}: too large (${shown}); a botops YAML file may be at most ${maxYamlBytes / (1024 * 1024)} MiB, nothing was parsed`;
}
