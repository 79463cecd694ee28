//! Conversions of the restore point picker: the local time typed in an
//! `<input type="datetime-local">`, the UTC instant the explore call takes, and the text
//! shown back to the user.
//!
//! Nothing here reads a clock or a time-zone database. The caller passes the browser's
//! time-zone offset in minutes as JavaScript's `Date.getTimezoneOffset()` returns it, that
//! is UTC minus local time (positive west of UTC, `-60` for UTC+01:00), and the current
//! time where a check needs it.

use std::fmt;

const MS_PER_SECOND: i64 = 1000;
const MS_PER_MINUTE: i64 = 60 * MS_PER_SECOND;
const MS_PER_DAY: i64 = 24 * 60 * MS_PER_MINUTE;

/// The earliest year accepted for a restore point.
pub const MIN_YEAR: i64 = 1970;
/// The latest year accepted for a restore point, the last one with four digits.
pub const MAX_YEAR: i64 = 9999;
/// The largest time-zone offset, in minutes either side of UTC. Real offsets range from
/// UTC-12:00 to UTC+14:00.
pub const MAX_OFFSET_MINUTES: i32 = 18 * 60;

/// An instant in UTC with millisecond precision, as milliseconds since the Unix epoch
/// (the unit of JavaScript's `Date.now()`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UtcDateTime {
    unix_ms: i64,
}

/// A date and time of day without a time zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct CivilDateTime {
    year: i64,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
    millisecond: u32,
}

/// The reason a typed or received date and time was rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PointInTimeError {
    /// The input is empty where a value is required.
    Missing,
    /// The text is not in the expected format.
    InvalidFormat { input: String },
    /// A field is out of range, or the day does not exist in that month (February 30).
    InvalidDate { input: String },
    /// The year is outside [`MIN_YEAR`]..=[`MAX_YEAR`].
    YearOutOfRange { year: i64 },
    /// The time-zone offset is larger than [`MAX_OFFSET_MINUTES`].
    InvalidOffset { offset_minutes: i32 },
    /// The restore point is later than the current time.
    InFuture,
}

impl fmt::Display for PointInTimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PointInTimeError::Missing => f.write_str("Required."),
            PointInTimeError::InvalidFormat { input } => write!(
                f,
                "\"{input}\" is not a valid date and time. Enter it as YYYY-MM-DD HH:MM, \
                 such as 2026-11-30 19:00."
            ),
            PointInTimeError::InvalidDate { input } => write!(
                f,
                "\"{input}\" is not a valid date and time: check that the day exists in that \
                 month and that the time is between 00:00 and 23:59."
            ),
            PointInTimeError::YearOutOfRange { year } => write!(
                f,
                "The year {year} is out of range. Enter a year from {MIN_YEAR} to {MAX_YEAR}."
            ),
            PointInTimeError::InvalidOffset { offset_minutes } => write!(
                f,
                "The time-zone offset of {offset_minutes} minutes is invalid: it must be \
                 within {MAX_OFFSET_MINUTES} minutes of UTC."
            ),
            PointInTimeError::InFuture => f.write_str(
                "The restore point is in the future. Pick a time up to now, or leave the \
                 field empty to use the latest backup.",
            ),
        }
    }
}

impl std::error::Error for PointInTimeError {}

impl UtcDateTime {
    pub fn from_unix_ms(unix_ms: i64) -> Self {
        Self { unix_ms }
    }

    /// Milliseconds since the Unix epoch.
    pub fn unix_ms(self) -> i64 {
        self.unix_ms
    }

    /// Parses an RFC 3339 date-time as the API sends it, such as `2026-11-30T18:00:00Z`,
    /// `2026-11-30T18:00:00.1234567Z` or `2026-11-30T19:00:00+01:00`. Fractions beyond
    /// milliseconds are truncated.
    ///
    /// A value with no zone designator is read as UTC.
    // NOTE: reading a zoneless value as UTC is an assumption. The OpenAPI documents declare
    // `format: date-time`, which requires a zone, but .NET services sometimes omit it.
    pub fn parse_rfc3339(text: &str) -> Result<Self, PointInTimeError> {
        let input = text.trim();
        let invalid = || PointInTimeError::InvalidFormat {
            input: input.to_string(),
        };

        let (date_time, offset_minutes) = split_zone(input).ok_or_else(invalid)?;
        let civil = parse_civil(date_time, &['T', 't', ' '], true)?;
        let utc = civil_to_unix_ms(&civil) - i64::from(offset_minutes) * MS_PER_MINUTE;
        Ok(Self::from_unix_ms(utc))
    }

    /// Formats the instant for the API, such as `2026-11-30T18:00:00.000Z`.
    pub fn to_api_string(self) -> String {
        let civil = unix_ms_to_civil(self.unix_ms);
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
            civil.year,
            civil.month,
            civil.day,
            civil.hour,
            civil.minute,
            civil.second,
            civil.millisecond
        )
    }
}

/// Converts the value of a `datetime-local` input (`YYYY-MM-DDTHH:MM`, optionally with
/// `:SS` and a fraction) from local time to UTC.
///
/// `offset_minutes` must be the offset that applies at the entered local time, so that
/// daylight saving time is right for dates in the other season. In the browser that is
/// `new Date(value).getTimezoneOffset()`, because `new Date` reads the value as local time.
pub fn parse_local_input(
    value: &str,
    offset_minutes: i32,
) -> Result<UtcDateTime, PointInTimeError> {
    check_offset(offset_minutes)?;
    let input = value.trim();
    if input.is_empty() {
        return Err(PointInTimeError::Missing);
    }
    let civil = parse_civil(input, &['T', ' '], false)?;
    let local_ms = civil_to_unix_ms(&civil);
    Ok(UtcDateTime::from_unix_ms(
        local_ms + i64::from(offset_minutes) * MS_PER_MINUTE,
    ))
}

/// Validates the restore point field. An empty field means the latest backup and returns
/// `None`; a value is converted like [`parse_local_input`] and must not be later than `now`.
pub fn parse_restore_point(
    value: &str,
    offset_minutes: i32,
    now: UtcDateTime,
) -> Result<Option<UtcDateTime>, PointInTimeError> {
    if value.trim().is_empty() {
        return Ok(None);
    }
    let point = parse_local_input(value, offset_minutes)?;
    if point > now {
        return Err(PointInTimeError::InFuture);
    }
    Ok(Some(point))
}

/// Formats an instant as the value of a `datetime-local` input in local time, such as
/// `2026-11-30T19:00`, to prefill the picker or set its `max` attribute. Seconds are
/// dropped.
pub fn to_local_input_value(
    instant: UtcDateTime,
    offset_minutes: i32,
) -> Result<String, PointInTimeError> {
    check_offset(offset_minutes)?;
    let local = unix_ms_to_civil(instant.unix_ms - i64::from(offset_minutes) * MS_PER_MINUTE);
    Ok(format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}",
        local.year, local.month, local.day, local.hour, local.minute
    ))
}

/// Formats an instant in local time for display, such as `2026-11-30 19:00 (UTC+01:00)`.
/// Seconds are dropped.
pub fn format_local_display(
    instant: UtcDateTime,
    offset_minutes: i32,
) -> Result<String, PointInTimeError> {
    check_offset(offset_minutes)?;
    let local = unix_ms_to_civil(instant.unix_ms - i64::from(offset_minutes) * MS_PER_MINUTE);

    // getTimezoneOffset is UTC minus local, so UTC+01:00 arrives as -60.
    let east_minutes = -offset_minutes;
    let sign = if east_minutes < 0 { '-' } else { '+' };
    let hours = east_minutes.abs() / 60;
    let minutes = east_minutes.abs() % 60;
    Ok(format!(
        "{:04}-{:02}-{:02} {:02}:{:02} (UTC{sign}{hours:02}:{minutes:02})",
        local.year, local.month, local.day, local.hour, local.minute
    ))
}

/// Formats an RFC 3339 time from the API in local time for display, or returns the text
/// unchanged when it cannot be parsed, so that a list still shows something.
pub fn format_api_time_local(text: &str, offset_minutes: i32) -> String {
    UtcDateTime::parse_rfc3339(text)
        .and_then(|instant| format_local_display(instant, offset_minutes))
        .unwrap_or_else(|_| text.to_string())
}

/// Explains what VB365 does with a restore point outside the organization's backups, or
/// returns `None` when the point lies between the first and last backup or they are unknown.
///
/// A time before the first backup gives an empty restore session, and a time after the
/// last backup gives the latest restore point.
pub fn restore_point_notice(
    point: UtcDateTime,
    first_backup: Option<UtcDateTime>,
    last_backup: Option<UtcDateTime>,
) -> Option<&'static str> {
    if first_backup.is_some_and(|first| point < first) {
        return Some(
            "This time is before the first backup of the organization, so the restore \
             session will contain no mailboxes.",
        );
    }
    if last_backup.is_some_and(|last| point > last) {
        return Some(
            "This time is after the last backup of the organization, so the latest backup \
             will be used.",
        );
    }
    None
}

fn check_offset(offset_minutes: i32) -> Result<(), PointInTimeError> {
    if offset_minutes.abs() > MAX_OFFSET_MINUTES {
        return Err(PointInTimeError::InvalidOffset { offset_minutes });
    }
    Ok(())
}

/// Splits an RFC 3339 text into its date-time part and its offset east of UTC in minutes.
fn split_zone(input: &str) -> Option<(&str, i32)> {
    if let Some(rest) = input.strip_suffix(['Z', 'z']) {
        return Some((rest, 0));
    }
    // The offset is the last six characters, `+HH:MM` or `-HH:MM`. A date's own hyphens
    // sit earlier, so only a sign at that exact place counts.
    if input.len() > 6 && input.is_char_boundary(input.len() - 6) {
        let (rest, zone) = input.split_at(input.len() - 6);
        let bytes = zone.as_bytes();
        if matches!(bytes[0], b'+' | b'-') && bytes[3] == b':' {
            let hours = parse_digits(&zone[1..3])?;
            let minutes = parse_digits(&zone[4..6])?;
            if hours > 23 || minutes > 59 {
                return None;
            }
            let east = (hours * 60 + minutes) as i32;
            let east = if bytes[0] == b'-' { -east } else { east };
            return Some((rest, east));
        }
    }
    Some((input, 0))
}

/// Parses `YYYY-MM-DD<sep>HH:MM[:SS[.fraction]]`. With `seconds_required`, the seconds
/// must be present.
fn parse_civil(
    input: &str,
    separators: &[char],
    seconds_required: bool,
) -> Result<CivilDateTime, PointInTimeError> {
    let invalid_format = || PointInTimeError::InvalidFormat {
        input: input.to_string(),
    };

    let (date, time) = input.split_once(separators).ok_or_else(invalid_format)?;
    let mut date_parts = date.split('-');
    let (Some(year), Some(month), Some(day), None) = (
        date_parts.next(),
        date_parts.next(),
        date_parts.next(),
        date_parts.next(),
    ) else {
        return Err(invalid_format());
    };
    if year.len() < 4 || month.len() != 2 || day.len() != 2 {
        return Err(invalid_format());
    }

    let (clock, fraction) = match time.split_once(['.', ',']) {
        Some((clock, fraction)) => (clock, Some(fraction)),
        None => (time, None),
    };
    let mut clock_parts = clock.split(':');
    let (Some(hour), Some(minute), second, None) = (
        clock_parts.next(),
        clock_parts.next(),
        clock_parts.next(),
        clock_parts.next(),
    ) else {
        return Err(invalid_format());
    };
    if hour.len() != 2 || minute.len() != 2 || second.is_some_and(|s| s.len() != 2) {
        return Err(invalid_format());
    }
    if (second.is_none() && (seconds_required || fraction.is_some()))
        || fraction.is_some_and(|f| f.is_empty())
    {
        return Err(invalid_format());
    }

    let millisecond = match fraction {
        Some(fraction) => {
            if !fraction.bytes().all(|b| b.is_ascii_digit()) {
                return Err(invalid_format());
            }
            // Keep the first three digits and pad a shorter fraction: ".5" is 500 ms.
            let mut digits: String = fraction.chars().take(3).collect();
            while digits.len() < 3 {
                digits.push('0');
            }
            parse_digits(&digits).ok_or_else(invalid_format)? as u32
        }
        None => 0,
    };

    let civil = CivilDateTime {
        year: parse_digits(year).ok_or_else(invalid_format)? as i64,
        month: parse_digits(month).ok_or_else(invalid_format)? as u32,
        day: parse_digits(day).ok_or_else(invalid_format)? as u32,
        hour: parse_digits(hour).ok_or_else(invalid_format)? as u32,
        minute: parse_digits(minute).ok_or_else(invalid_format)? as u32,
        second: match second {
            Some(second) => parse_digits(second).ok_or_else(invalid_format)? as u32,
            None => 0,
        },
        millisecond,
    };

    let day_exists = (1..=12).contains(&civil.month)
        && civil.day >= 1
        && civil.day <= days_in_month(civil.year, civil.month);
    if !day_exists || civil.hour > 23 || civil.minute > 59 || civil.second > 59 {
        return Err(PointInTimeError::InvalidDate {
            input: input.to_string(),
        });
    }
    if !(MIN_YEAR..=MAX_YEAR).contains(&civil.year) {
        return Err(PointInTimeError::YearOutOfRange { year: civil.year });
    }
    Ok(civil)
}

/// Parses ASCII digits only; `str::parse` would also take a sign.
fn parse_digits(text: &str) -> Option<u64> {
    if text.is_empty() || text.len() > 9 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

fn is_leap_year(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date, by Howard Hinnant's
/// `days_from_civil` algorithm (<https://howardhinnant.github.io/date_algorithms.html>).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_from_march = (i64::from(month) + 9) % 12;
    let day_of_year = (153 * month_from_march + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The inverse of [`days_from_civil`]: the date of a day count since 1970-01-01.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let days = days + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * month_from_march + 2) / 5 + 1) as u32;
    let month = if month_from_march < 10 {
        month_from_march + 3
    } else {
        month_from_march - 9
    } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

fn civil_to_unix_ms(civil: &CivilDateTime) -> i64 {
    let days = days_from_civil(civil.year, civil.month, civil.day);
    let seconds_of_day =
        i64::from(civil.hour) * 3600 + i64::from(civil.minute) * 60 + i64::from(civil.second);
    days * MS_PER_DAY + seconds_of_day * MS_PER_SECOND + i64::from(civil.millisecond)
}

fn unix_ms_to_civil(unix_ms: i64) -> CivilDateTime {
    let days = unix_ms.div_euclid(MS_PER_DAY);
    let ms_of_day = unix_ms.rem_euclid(MS_PER_DAY);
    let (year, month, day) = civil_from_days(days);
    CivilDateTime {
        year,
        month,
        day,
        hour: (ms_of_day / (3600 * MS_PER_SECOND)) as u32,
        minute: (ms_of_day / MS_PER_MINUTE % 60) as u32,
        second: (ms_of_day / MS_PER_SECOND % 60) as u32,
        millisecond: (ms_of_day % MS_PER_SECOND) as u32,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// UTC+01:00 as `getTimezoneOffset()` returns it.
    const CET: i32 = -60;
    /// UTC-05:00.
    const EST: i32 = 300;

    fn utc(text: &str) -> UtcDateTime {
        UtcDateTime::parse_rfc3339(text).unwrap()
    }

    #[test]
    fn epoch_is_day_zero() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(civil_from_days(0), (1970, 1, 1));
    }

    #[test]
    fn civil_days_round_trip() {
        // 1970-01-01 to 2100-12-31, including the leap days of 2000 and 2024.
        for days in 0..47_846 {
            let (year, month, day) = civil_from_days(days);
            assert_eq!(days_from_civil(year, month, day), days, "day {days}");
        }
    }

    #[test]
    fn known_day_counts() {
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(days_from_civil(2026, 11, 30), 20_787);
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
    }

    #[test]
    fn local_input_cet_to_utc() {
        let point = parse_local_input("2026-11-30T19:00", CET).unwrap();
        assert_eq!(point.to_api_string(), "2026-11-30T18:00:00.000Z");
    }

    #[test]
    fn local_input_west_of_utc() {
        let point = parse_local_input("2026-11-30T20:30", EST).unwrap();
        assert_eq!(point.to_api_string(), "2026-12-01T01:30:00.000Z");
    }

    #[test]
    fn local_input_with_seconds() {
        let point = parse_local_input("2026-11-30T19:00:45", 0).unwrap();
        assert_eq!(point.to_api_string(), "2026-11-30T19:00:45.000Z");
    }

    #[test]
    fn local_input_with_fraction() {
        let point = parse_local_input("2026-11-30T19:00:45.5", 0).unwrap();
        assert_eq!(point.to_api_string(), "2026-11-30T19:00:45.500Z");
    }

    #[test]
    fn local_input_crosses_new_year() {
        let point = parse_local_input("2027-01-01T00:30", CET).unwrap();
        assert_eq!(point.to_api_string(), "2026-12-31T23:30:00.000Z");
    }

    #[test]
    fn leap_day_accepted() {
        assert!(parse_local_input("2028-02-29T12:00", 0).is_ok());
    }

    #[test]
    fn february_30_rejected() {
        assert_eq!(
            parse_local_input("2026-02-30T12:00", 0),
            Err(PointInTimeError::InvalidDate {
                input: "2026-02-30T12:00".into()
            })
        );
    }

    #[test]
    fn february_29_in_common_year_rejected() {
        let error = parse_local_input("2026-02-29T12:00", 0).unwrap_err();
        assert!(matches!(error, PointInTimeError::InvalidDate { .. }));
    }

    #[test]
    fn century_not_leap_year() {
        let error = parse_local_input("2100-02-29T12:00", 0).unwrap_err();
        assert!(matches!(error, PointInTimeError::InvalidDate { .. }));
    }

    #[test]
    fn fields_out_of_range_rejected() {
        for input in [
            "2026-13-01T12:00",
            "2026-00-10T12:00",
            "2026-04-31T12:00",
            "2026-04-00T12:00",
            "2026-04-10T24:00",
            "2026-04-10T12:60",
            "2026-04-10T12:00:60",
        ] {
            let error = parse_local_input(input, 0).unwrap_err();
            assert!(
                matches!(error, PointInTimeError::InvalidDate { .. }),
                "{input}: {error:?}"
            );
        }
    }

    #[test]
    fn year_out_of_range_rejected() {
        assert_eq!(
            parse_local_input("1969-12-31T23:59", 0),
            Err(PointInTimeError::YearOutOfRange { year: 1969 })
        );
        assert_eq!(
            parse_local_input("10000-01-01T00:00", 0),
            Err(PointInTimeError::YearOutOfRange { year: 10000 })
        );
    }

    #[test]
    fn malformed_inputs_rejected() {
        for input in [
            "30.11.2026 19:00",
            "2026-11-30",
            "2026-11-30T19",
            "2026-11-30T1900",
            "2026-11-3T19:00",
            "2026-11-30T+9:00",
            "2026-11-30T19:00.5",
            "2026-11-30T19:00:00.",
            "2026-11-30T19:00:00.5x",
            "2026-11-30T19:00:00:00",
        ] {
            let error = parse_local_input(input, 0).unwrap_err();
            assert!(
                matches!(error, PointInTimeError::InvalidFormat { .. }),
                "{input}: {error:?}"
            );
        }
    }

    #[test]
    fn empty_input_missing() {
        assert_eq!(parse_local_input("  ", 0), Err(PointInTimeError::Missing));
    }

    #[test]
    fn offset_out_of_range_rejected() {
        assert_eq!(
            parse_local_input("2026-11-30T19:00", 1200),
            Err(PointInTimeError::InvalidOffset {
                offset_minutes: 1200
            })
        );
    }

    #[test]
    fn restore_point_empty_is_latest() {
        let now = utc("2026-12-04T16:00:00Z");
        assert_eq!(parse_restore_point("", CET, now), Ok(None));
    }

    #[test]
    fn restore_point_in_past() {
        let now = utc("2026-12-04T16:00:00Z");
        let point = parse_restore_point("2026-11-30T19:00", CET, now).unwrap();
        assert_eq!(point, Some(utc("2026-11-30T18:00:00Z")));
    }

    #[test]
    fn restore_point_now_accepted() {
        let now = utc("2026-12-04T16:00:00Z");
        let point = parse_restore_point("2026-12-04T17:00", CET, now).unwrap();
        assert_eq!(point, Some(now));
    }

    #[test]
    fn restore_point_in_future_rejected() {
        let now = utc("2026-12-04T16:00:00Z");
        assert_eq!(
            parse_restore_point("2026-12-04T17:01", CET, now),
            Err(PointInTimeError::InFuture)
        );
    }

    #[test]
    fn display_east_of_utc() {
        let text = format_local_display(utc("2026-11-30T18:00:00Z"), CET).unwrap();
        assert_eq!(text, "2026-11-30 19:00 (UTC+01:00)");
    }

    #[test]
    fn display_west_of_utc() {
        let text = format_local_display(utc("2026-11-30T18:00:00Z"), EST).unwrap();
        assert_eq!(text, "2026-11-30 13:00 (UTC-05:00)");
    }

    #[test]
    fn display_half_hour_offset() {
        // India, UTC+05:30.
        let text = format_local_display(utc("2026-11-30T18:00:00Z"), -330).unwrap();
        assert_eq!(text, "2026-11-30 23:30 (UTC+05:30)");
    }

    #[test]
    fn display_utc() {
        let text = format_local_display(utc("2026-11-30T18:00:00Z"), 0).unwrap();
        assert_eq!(text, "2026-11-30 18:00 (UTC+00:00)");
    }

    #[test]
    fn input_value_round_trip() {
        let instant = utc("2026-11-30T18:00:00Z");
        let value = to_local_input_value(instant, CET).unwrap();
        assert_eq!(value, "2026-11-30T19:00");
        assert_eq!(parse_local_input(&value, CET), Ok(instant));
    }

    #[test]
    fn rfc3339_fraction_truncated() {
        let instant = utc("2026-11-30T18:00:00.1234567Z");
        assert_eq!(instant.to_api_string(), "2026-11-30T18:00:00.123Z");
    }

    #[test]
    fn rfc3339_with_offset() {
        assert_eq!(
            utc("2026-11-30T19:00:00+01:00"),
            utc("2026-11-30T18:00:00Z")
        );
        assert_eq!(
            utc("2026-11-30T13:00:00-05:00"),
            utc("2026-11-30T18:00:00Z")
        );
    }

    #[test]
    fn rfc3339_without_zone_is_utc() {
        assert_eq!(utc("2026-11-30T18:00:00"), utc("2026-11-30T18:00:00Z"));
    }

    #[test]
    fn rfc3339_requires_seconds() {
        assert!(UtcDateTime::parse_rfc3339("2026-11-30T18:00Z").is_err());
    }

    #[test]
    fn rfc3339_garbage_rejected() {
        assert!(UtcDateTime::parse_rfc3339("yesterday").is_err());
        assert!(UtcDateTime::parse_rfc3339("").is_err());
        assert!(UtcDateTime::parse_rfc3339("2026-11-30T18:00:00+25:00").is_err());
    }

    #[test]
    fn api_time_shown_locally() {
        assert_eq!(
            format_api_time_local("2026-11-30T18:00:00.0000000Z", CET),
            "2026-11-30 19:00 (UTC+01:00)"
        );
    }

    #[test]
    fn unparsable_api_time_kept() {
        assert_eq!(format_api_time_local("soon", CET), "soon");
    }

    #[test]
    fn notice_before_first_backup() {
        let notice = restore_point_notice(
            utc("2026-01-01T00:00:00Z"),
            Some(utc("2026-02-01T00:00:00Z")),
            Some(utc("2026-12-01T00:00:00Z")),
        );
        assert!(notice.unwrap().contains("no mailboxes"));
    }

    #[test]
    fn notice_after_last_backup() {
        let notice = restore_point_notice(
            utc("2026-12-02T00:00:00Z"),
            Some(utc("2026-02-01T00:00:00Z")),
            Some(utc("2026-12-01T00:00:00Z")),
        );
        assert!(notice.unwrap().contains("latest backup"));
    }

    #[test]
    fn notice_within_backups() {
        let notice = restore_point_notice(
            utc("2026-06-01T00:00:00Z"),
            Some(utc("2026-02-01T00:00:00Z")),
            None,
        );
        assert_eq!(notice, None);
    }

    #[test]
    fn messages_name_the_fix() {
        let text = PointInTimeError::InvalidFormat {
            input: "30.11.2026".into(),
        }
        .to_string();
        assert!(text.contains("YYYY-MM-DD HH:MM"));
        assert!(PointInTimeError::InFuture
            .to_string()
            .contains("latest backup"));
    }
}
