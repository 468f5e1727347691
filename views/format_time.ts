/** A date and time in the page's language, e.g. `21 Nov 2026, 09.30.00`. */
export function formatTime(ms: number, lang: string): string {
  return new Intl.DateTimeFormat(lang === "id" ? "id-ID" : "en-GB", {
    dateStyle: "medium",
    timeStyle: "medium",
  }).format(new Date(ms));
}
