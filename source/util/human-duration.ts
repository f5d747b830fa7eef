/** go-units HumanDuration, which `docker ps` uses for "Up 3 minutes" and "Exited (0) 2 minutes ago"; shared by the Docker service and the demo engine so both print the same. */
export function humanDuration(ms: number): string {
	const seconds = Math.floor(ms / 1000);
	const hours = ms / 3_600_000;
	if (seconds < 1) return 'Less than a second';
	if (seconds === 1) return '1 second';
	if (seconds < 60) return `${seconds} seconds`;
	const minutes = Math.floor(ms / 60_000);
	if (minutes === 1) return 'About a minute';
	if (minutes < 60) return `${minutes} minutes`;
	const roundedHours = Math.floor(hours + 0.5);
	if (roundedHours === 1) return 'About an hour';
	if (roundedHours < 48) return `${roundedHours} hours`;
	if (roundedHours < 24 * 7 * 2) return `${Math.floor(roundedHours / 24)} days`;
	if (roundedHours < 24 * 30 * 2) return `${Math.floor(roundedHours / 24 / 7)} weeks`;
	if (roundedHours < 24 * 365 * 2) return `${Math.floor(roundedHours / 24 / 30)} months`;
	return `${Math.floor(Math.floor(hours) / 24 / 365)} years`;
}
