import {
  formatTime,
  formatTimeLong,
  machineTime,
  type TimeSettings,
  zoneLabel,
} from "../format_time.ts";

/**
 * A time as people at the hospital read it: in `KABAR_TIMEZONE` and the
 * page's language, with the zone's name (`15 Mar 2026, 06.43 WIB`), in a
 * `<time>` whose `datetime` carries the exact instant and offset; the long
 * form shows on hover.
 */
export function LocalTime(
  { ms, ctx, seconds, zone = true }: {
    ms: number;
    ctx: TimeSettings;
    /** Show seconds (delivery logs, the audit log). */
    seconds?: boolean;
    /** Print the zone's name after the time (false when the column head names it). */
    zone?: boolean;
  },
) {
  return (
    <time datetime={machineTime(ms, ctx)} title={formatTimeLong(ms, ctx)}>
      {formatTime(ms, ctx, { seconds })}
      {zone ? <span class="zone">{` ${zoneLabel(ms, ctx)}`}</span> : null}
    </time>
  );
}
