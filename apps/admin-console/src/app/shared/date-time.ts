/** One way to show a moment across the console: "1 Dec 2026, 03:05", in the browser's time zone. */
export const dateTime = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short' });
