/** Conversions between UTC instants and wall-clock times of the publication's time zone (Luxon, IANA zones). */
import { DateTime } from 'luxon';

/**
 * UTC ISO-8601 instant of a `datetime-local` value (`YYYY-MM-DDTHH:mm`) read in `timeZone`; undefined when the
 * value is not a valid local date-time. Daylight-saving gaps resolve forward as Luxon does.
 */
export function localToUtc(local: string, timeZone: string): string | undefined {
  const dt = DateTime.fromISO(local, { zone: timeZone });
  return dt.isValid && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(local) ? dt.toUTC().toISO({ suppressMilliseconds: false }) ?? undefined : undefined;
}

/** The `datetime-local` value (`YYYY-MM-DDTHH:mm`) of a UTC instant in `timeZone`. */
export function utcToLocal(iso: string, timeZone: string): string {
  return DateTime.fromISO(iso, { zone: 'utc' }).setZone(timeZone).toFormat("yyyy-MM-dd'T'HH:mm");
}
