/** Number formatting for CLI output; fixed locale so logs read the same on every machine. */
export function formatCount(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

export function perSecond(count: number, millis: number): number {
  return millis > 0 ? (count * 1000) / millis : 0;
}

export function formatDuration(millis: number): string {
  const seconds = Math.round(millis / 1000);
  if (seconds < 60) return `${(millis / 1000).toFixed(1)}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}
