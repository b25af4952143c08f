//! Strict parsing of front-matter dates in the spellings site generators and feeds write:
//! RFC 2822 (`Thu, 02 Dec 2021 07:56:55 GMT`), RFC 3339 (`2021-05-22T12:02:19Z`), the
//! space-separated date-time of Hexo, Jekyll and YAML timestamps (`2021-05-22 12:02:19`,
//! `2007-04-19 18:21:48+00:00`, `2018-02-24 10:00 +0800`), and plain dates (`2021-05-22`).
//!
//! The shape is recognised by hand (so that "not a date" and "an impossible date" are told
//! apart), and every number is then checked by `jiff`: 2021-02-30 and 25:61 are errors.

use std::fmt;

use jiff::Timestamp;
use jiff::civil::{Date, DateTime, Time, Weekday};
use jiff::tz::{Offset, TimeZone};

/// The spellings artlint recognises. Which of them a site accepts is configurable.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DateFormat {
    /// `Thu, 02 Dec 2021 07:56:55 GMT` (weekday optional), as in RSS feeds.
    Rfc2822,
    /// `2021-05-22T12:02:19Z`, `2021-05-22T12:02:19.5+08:00`, TOML datetimes.
    Rfc3339,
    /// `2021-05-22 12:02:19`, `2021-05-22 12:02`, with an optional offset (`+00:00`, ` +0800`,
    /// `Z`); also with slashes, `2013/7/13 20:46:25` (Hexo's documented form).
    DateTime,
    /// `2021-05-22`, `2013/7/13`.
    Date,
}

impl DateFormat {
    pub const ALL: &'static [DateFormat] = &[
        DateFormat::Rfc2822,
        DateFormat::Rfc3339,
        DateFormat::DateTime,
        DateFormat::Date,
    ];

    pub fn name(self) -> &'static str {
        match self {
            DateFormat::Rfc2822 => "rfc2822",
            DateFormat::Rfc3339 => "rfc3339",
            DateFormat::DateTime => "datetime",
            DateFormat::Date => "date",
        }
    }

    pub fn example(self) -> &'static str {
        match self {
            DateFormat::Rfc2822 => "Thu, 02 Dec 2021 07:56:55 GMT",
            DateFormat::Rfc3339 => "2021-12-02T07:56:55+08:00",
            DateFormat::DateTime => "2021-12-02 07:56:55",
            DateFormat::Date => "2021-12-02",
        }
    }

    pub fn parse_name(name: &str) -> Option<DateFormat> {
        DateFormat::ALL.iter().copied().find(|f| f.name() == name)
    }
}

/// A date as written, checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ParsedDate {
    pub format: DateFormat,
    /// The civil date and time as written (midnight when no time was given).
    pub datetime: DateTime,
    pub has_time: bool,
    /// The offset as written (`GMT` and `Z` are +00:00), if any.
    pub offset: Option<Offset>,
}

impl ParsedDate {
    /// The instant, taking an unspecified offset as UTC.
    pub fn timestamp(&self) -> Option<Timestamp> {
        self.offset
            .unwrap_or(Offset::UTC)
            .to_timestamp(self.datetime)
            .ok()
    }

    /// The calendar date as written.
    pub fn date(&self) -> Date {
        self.datetime.date()
    }
}

/// Why a value is not a good date.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DateError {
    /// No recognised spelling.
    Unparseable,
    /// A recognised spelling with numbers that name no moment (`2021-02-30`, `25:61`).
    Impossible(String),
    /// RFC 2822 with a weekday that is not the date's.
    WeekdayMismatch { written: Weekday, actual: Weekday },
}

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DateError::Unparseable => f.write_str("not a recognised date"),
            DateError::Impossible(why) => f.write_str(why),
            DateError::WeekdayMismatch { written, actual } => write!(
                f,
                "the weekday says {} but the date is a {}",
                weekday_name(*written),
                weekday_name(*actual)
            ),
        }
    }
}

pub fn weekday_name(w: Weekday) -> &'static str {
    match w {
        Weekday::Monday => "Monday",
        Weekday::Tuesday => "Tuesday",
        Weekday::Wednesday => "Wednesday",
        Weekday::Thursday => "Thursday",
        Weekday::Friday => "Friday",
        Weekday::Saturday => "Saturday",
        Weekday::Sunday => "Sunday",
    }
}

/// Values longer than this are not dates; they are not even scanned.
const MAX_DATE_LEN: usize = 64;

/// Parse `text` strictly.
pub fn parse(text: &str) -> Result<ParsedDate, DateError> {
    let text = text.trim();
    if text.len() > MAX_DATE_LEN || text.is_empty() {
        return Err(DateError::Unparseable);
    }
    let mut cursor = Cursor::new(text);
    if text.len() > 4 && text.as_bytes()[..4].iter().all(u8::is_ascii_digit) {
        match text.as_bytes()[4] {
            b'-' => return parse_iso(&mut cursor, b'-'),
            // Hexo's documented `2013/7/13 20:46:25` (its `new Date()` reads it, as does
            // Jekyll's `Time.parse`).
            b'/' => return parse_iso(&mut cursor, b'/'),
            _ => {}
        }
    }
    parse_rfc2822(&mut cursor)
}

struct Cursor<'a> {
    s: &'a [u8],
    at: usize,
}

impl<'a> Cursor<'a> {
    fn new(s: &'a str) -> Self {
        Cursor {
            s: s.as_bytes(),
            at: 0,
        }
    }
    fn peek(&self) -> Option<char> {
        self.s.get(self.at).map(|b| *b as char)
    }
    fn done(&self) -> bool {
        self.at == self.s.len()
    }
    fn eat(&mut self, c: u8) -> bool {
        if self.s.get(self.at) == Some(&c) {
            self.at += 1;
            true
        } else {
            false
        }
    }
    fn spaces(&mut self) -> usize {
        let start = self.at;
        while self.s.get(self.at) == Some(&b' ') {
            self.at += 1;
        }
        self.at - start
    }
    /// Between `min` and `max` ASCII digits, as a number.
    fn digits(&mut self, min: usize, max: usize) -> Option<i64> {
        let start = self.at;
        while self.at - start < max && self.s.get(self.at).is_some_and(u8::is_ascii_digit) {
            self.at += 1;
        }
        let n = self.at - start;
        if n < min {
            self.at = start;
            return None;
        }
        std::str::from_utf8(&self.s[start..self.at])
            .ok()?
            .parse()
            .ok()
    }
    fn word(&mut self) -> &'a str {
        let start = self.at;
        while self.s.get(self.at).is_some_and(u8::is_ascii_alphabetic) {
            self.at += 1;
        }
        std::str::from_utf8(&self.s[start..self.at]).unwrap_or("")
    }
}

fn make_date(y: i64, m: i64, d: i64) -> Result<Date, DateError> {
    let impossible =
        || DateError::Impossible(format!("{y:04}-{m:02}-{d:02} is not a day of the calendar"));
    let (Ok(y), Ok(m), Ok(d)) = (i16::try_from(y), i8::try_from(m), i8::try_from(d)) else {
        return Err(impossible());
    };
    Date::new(y, m, d).map_err(|_| impossible())
}

fn make_time(h: i64, mi: i64, s: i64, nanos: i32) -> Result<Time, DateError> {
    let impossible =
        || DateError::Impossible(format!("{h:02}:{mi:02}:{s:02} is not a time of day"));
    let (Ok(h), Ok(mi), Ok(s)) = (i8::try_from(h), i8::try_from(mi), i8::try_from(s)) else {
        return Err(impossible());
    };
    Time::new(h, mi, s, nanos).map_err(|_| impossible())
}

fn make_offset(sign: i64, hours: i64, minutes: i64) -> Result<Offset, DateError> {
    if hours > 23 || minutes > 59 {
        return Err(DateError::Impossible(format!(
            "{}{hours:02}:{minutes:02} is not a time-zone offset",
            if sign < 0 { '-' } else { '+' }
        )));
    }
    let seconds =
        i32::try_from(sign * (hours * 3600 + minutes * 60)).map_err(|_| DateError::Unparseable)?;
    Offset::from_seconds(seconds).map_err(|_| DateError::Unparseable)
}

/// `HH:MM[:SS[.fraction]]`, the cursor on the first digit.
fn parse_time(c: &mut Cursor) -> Result<(Time, bool), DateError> {
    let h = c.digits(1, 2).ok_or(DateError::Unparseable)?;
    if !c.eat(b':') {
        return Err(DateError::Unparseable);
    }
    let mi = c.digits(2, 2).ok_or(DateError::Unparseable)?;
    let mut s = 0;
    let mut nanos = 0;
    let mut has_seconds = false;
    if c.eat(b':') {
        s = c.digits(2, 2).ok_or(DateError::Unparseable)?;
        has_seconds = true;
        if c.eat(b'.') {
            let start = c.at;
            let frac = c.digits(1, 9).ok_or(DateError::Unparseable)?;
            let len = c.at - start;
            nanos =
                i32::try_from(frac * 10_i64.pow(u32::try_from(9 - len).unwrap_or(0))).unwrap_or(0);
        }
    }
    Ok((make_time(h, mi, s, nanos)?, has_seconds))
}

/// `Z`, `+hh:mm`, `+hhmm`, `+hh`, `+h` (YAML), the cursor on the sign.
fn parse_offset(c: &mut Cursor) -> Result<Option<Offset>, DateError> {
    if c.eat(b'Z') || c.eat(b'z') {
        return Ok(Some(Offset::UTC));
    }
    let sign = if c.eat(b'+') {
        1
    } else if c.eat(b'-') {
        -1
    } else {
        return Ok(None);
    };
    let start = c.at;
    let hours_and_maybe_minutes = c.digits(1, 4).ok_or(DateError::Unparseable)?;
    let n = c.at - start;
    let (hours, minutes) = match n {
        1 | 2 => {
            let minutes = if c.eat(b':') {
                c.digits(2, 2).ok_or(DateError::Unparseable)?
            } else {
                0
            };
            (hours_and_maybe_minutes, minutes)
        }
        4 => (hours_and_maybe_minutes / 100, hours_and_maybe_minutes % 100),
        _ => return Err(DateError::Unparseable),
    };
    make_offset(sign, hours, minutes).map(Some)
}

/// `YYYY-MM-DD` then nothing, `T…` (RFC 3339) or ` …` (date-time).
/// A date `YYYY-MM-DD` (or `YYYY/M/D`: `separator`), then optionally a time.
fn parse_iso(c: &mut Cursor, separator: u8) -> Result<ParsedDate, DateError> {
    let y = c.digits(4, 4).ok_or(DateError::Unparseable)?;
    let bad = || DateError::Unparseable;
    if !c.eat(separator) {
        return Err(bad());
    }
    let m = c.digits(1, 2).ok_or_else(bad)?;
    if !c.eat(separator) {
        return Err(bad());
    }
    let d = c.digits(1, 2).ok_or_else(bad)?;
    if c.done() {
        let date = make_date(y, m, d)?;
        return Ok(ParsedDate {
            format: DateFormat::Date,
            datetime: date.to_datetime(Time::midnight()),
            has_time: false,
            offset: None,
        });
    }
    let format = if separator == b'-' && (c.eat(b'T') || c.eat(b't')) {
        DateFormat::Rfc3339
    } else if c.spaces() > 0 {
        DateFormat::DateTime
    } else {
        return Err(bad());
    };
    // A time must follow: `2018-02-24  +0800` has an offset but no time.
    if !c.peek().is_some_and(|ch| ch.is_ascii_digit()) {
        return Err(bad());
    }
    let (time, _) = parse_time(c)?;
    if format == DateFormat::DateTime {
        c.spaces();
    }
    let offset = parse_offset(c)?;
    if !c.done() {
        return Err(bad());
    }
    if format == DateFormat::Rfc3339 && offset.is_none() {
        // RFC 3339 requires an offset; TOML's local datetime and ISO 8601 allow none.
        // Keep it: it is a date-time without a zone, which DT008 can report.
    }
    let date = make_date(y, m, d)?;
    Ok(ParsedDate {
        format,
        datetime: date.to_datetime(time),
        has_time: true,
        offset,
    })
}

fn month_number(name: &str) -> Option<i64> {
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let lower = name.to_ascii_lowercase();
    MONTHS
        .iter()
        .position(|m| *m == lower)
        .map(|i| i as i64 + 1)
}

fn weekday_from_name(name: &str) -> Option<Weekday> {
    match name.to_ascii_lowercase().as_str() {
        "mon" => Some(Weekday::Monday),
        "tue" => Some(Weekday::Tuesday),
        "wed" => Some(Weekday::Wednesday),
        "thu" => Some(Weekday::Thursday),
        "fri" => Some(Weekday::Friday),
        "sat" => Some(Weekday::Saturday),
        "sun" => Some(Weekday::Sunday),
        _ => None,
    }
}

/// RFC 2822 zone names (obsolete US zones included, as feeds still write them).
fn zone_offset(name: &str) -> Option<i64> {
    Some(match name {
        "GMT" | "UT" | "UTC" | "Z" => 0,
        "EST" => -5,
        "EDT" => -4,
        "CST" => -6,
        "CDT" => -5,
        "MST" => -7,
        "MDT" => -6,
        "PST" => -8,
        "PDT" => -7,
        _ => return None,
    })
}

/// `[Www, ]DD Mon YYYY HH:MM[:SS] ZONE`.
fn parse_rfc2822(c: &mut Cursor) -> Result<ParsedDate, DateError> {
    let bad = || DateError::Unparseable;
    let mut written_weekday = None;
    if c.peek().is_some_and(|ch| ch.is_ascii_alphabetic()) {
        let name = c.word();
        written_weekday = Some(weekday_from_name(name).ok_or_else(bad)?);
        if !c.eat(b',') {
            return Err(bad());
        }
        c.spaces();
    }
    let d = c.digits(1, 2).ok_or_else(bad)?;
    if c.spaces() == 0 {
        return Err(bad());
    }
    let m = month_number(c.word()).ok_or_else(bad)?;
    if c.spaces() == 0 {
        return Err(bad());
    }
    let y = c.digits(4, 4).ok_or_else(bad)?;
    if c.spaces() == 0 {
        return Err(bad());
    }
    let (time, _) = parse_time(c)?;
    if c.spaces() == 0 {
        return Err(bad());
    }
    let offset = if c.peek().is_some_and(|ch| ch == '+' || ch == '-') {
        parse_offset(c)?.ok_or_else(bad)?
    } else {
        let zone = c.word();
        let hours = zone_offset(zone).ok_or_else(bad)?;
        make_offset(hours.signum(), hours.abs(), 0)?
    };
    if !c.done() {
        return Err(bad());
    }
    let date = make_date(y, m, d)?;
    if let Some(written) = written_weekday
        && written != date.weekday()
    {
        return Err(DateError::WeekdayMismatch {
            written,
            actual: date.weekday(),
        });
    }
    Ok(ParsedDate {
        format: DateFormat::Rfc2822,
        datetime: date.to_datetime(time),
        has_time: true,
        offset: Some(offset),
    })
}

/// Format `date` with a strftime pattern, keeping its instant. A date without an offset is
/// read in `zone` (the site's zone) when one is given; a date with an offset is converted to
/// `zone`. `None` when that cannot be done without moving the date (an offset to drop and no
/// zone to convert to, an offset wanted and none known) or when the pattern is invalid.
pub fn format(date: &ParsedDate, pattern: &str, zone: Option<&TimeZone>) -> Option<String> {
    let wants_offset = pattern.contains("%z") || pattern.contains("%:z") || pattern.contains("%Z");
    match (date.offset, zone) {
        (Some(_), Some(zone)) => {
            let zoned = date.timestamp()?.to_zoned_datetime(zone.clone());
            jiff::fmt::strtime::format(pattern, &zoned).ok()
        }
        (Some(offset), None) if wants_offset => {
            let zoned = date.timestamp()?.to_zoned_datetime(TimeZone::fixed(offset));
            jiff::fmt::strtime::format(pattern, &zoned).ok()
        }
        // Dropping the offset (even +00:00: a zone-less date is read in the site's zone) would
        // move the instant.
        (Some(_), None) => None,
        (None, Some(zone)) => {
            let zoned = date.datetime.to_zoned_datetime(zone.clone()).ok()?;
            jiff::fmt::strtime::format(pattern, &zoned).ok()
        }
        (None, None) if wants_offset => None,
        (None, None) => jiff::fmt::strtime::format(pattern, date.datetime).ok(),
    }
}

impl ParsedDate {
    /// The instant, reading a date without an offset in `zone` (UTC when none is given).
    pub fn instant_in(&self, zone: Option<&TimeZone>) -> Option<Timestamp> {
        match (self.offset, zone) {
            (None, Some(zone)) => self
                .datetime
                .to_zoned_datetime(zone.clone())
                .ok()
                .map(|z| z.timestamp()),
            _ => self.timestamp(),
        }
    }
}

/// A time zone by IANA name (`Asia/Shanghai`), `UTC`, or fixed offset (`+08:00`, `-0500`).
pub fn time_zone(name: &str) -> Option<TimeZone> {
    if let Ok(tz) = TimeZone::get(name) {
        return Some(tz);
    }
    let mut cursor = Cursor::new(name.trim());
    match parse_offset(&mut cursor) {
        Ok(Some(offset)) if cursor.done() => Some(TimeZone::fixed(offset)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq)]
    enum Verdict {
        Valid(DateFormat),
        Unparseable,
        Impossible,
        WrongWeekday,
    }
    use Verdict::*;

    fn verdict(s: &str) -> Verdict {
        match parse(s) {
            Ok(p) => Valid(p.format),
            Err(DateError::Unparseable) => Unparseable,
            Err(DateError::Impossible(_)) => Impossible,
            Err(DateError::WeekdayMismatch { .. }) => WrongWeekday,
        }
    }

    /// Spellings from generators' documentation (Hexo, Jekyll, Hugo, YAML 1.1 timestamps, RFC
    /// 2822/3339, TOML) and from `../shared/corpus`, each with its verdict.
    const TABLE: &[(&str, Verdict)] = &[
        // RSS feeds (rsshub posts, seed post)
        ("Thu, 02 Dec 2021 07:56:55 GMT", Valid(DateFormat::Rfc2822)),
        ("Thu, 23 Dec 2021 13:35:27 GMT", Valid(DateFormat::Rfc2822)),
        ("Sat, 27 Nov 2021 03:22:46 GMT", Valid(DateFormat::Rfc2822)),
        ("Thu, 14 Jul 2022 12:34:31 GMT", Valid(DateFormat::Rfc2822)),
        ("Tue, 01 Jun 2021 04:46:47 GMT", Valid(DateFormat::Rfc2822)),
        ("Thu, 01 Jul 2021 08:04:00 GMT", Valid(DateFormat::Rfc2822)),
        ("02 Dec 2021 07:56:55 GMT", Valid(DateFormat::Rfc2822)),
        ("Thu, 2 Dec 2021 07:56:55 +0800", Valid(DateFormat::Rfc2822)),
        ("Thu, 02 Dec 2021 07:56 -0500", Valid(DateFormat::Rfc2822)),
        ("Thu, 02 Dec 2021 07:56:55 EST", Valid(DateFormat::Rfc2822)),
        ("Thu, 02 Dec 2021 07:56:55 UT", Valid(DateFormat::Rfc2822)),
        ("thu, 02 dec 2021 07:56:55 GMT", Valid(DateFormat::Rfc2822)),
        ("Fri, 02 Dec 2021 07:56:55 GMT", WrongWeekday),
        ("Mon, 29 Feb 2021 10:00:00 GMT", Impossible),
        ("Thu, 02 Dec 2021 24:00:00 GMT", Impossible),
        ("Thu, 02 Dez 2021 07:56:55 GMT", Unparseable),
        ("Thu, 02 Dec 2021 07:56:55", Unparseable),
        ("Thu 02 Dec 2021 07:56:55 GMT", Unparseable),
        ("Thursday, 02 Dec 2021 07:56:55 GMT", Unparseable),
        ("Thu, 02 Dec 21 07:56:55 GMT", Unparseable),
        ("Thu, 02 Dec 2021 07:56:55 CET", Unparseable),
        // Hexo (`YYYY-MM-DD HH:mm:ss`, rsshub posts)
        ("2021-05-22 12:02:19", Valid(DateFormat::DateTime)),
        ("2021-04-28 12:11:32", Valid(DateFormat::DateTime)),
        ("2013-07-13 20:46:25", Valid(DateFormat::DateTime)),
        ("2021-05-22 12:02", Valid(DateFormat::DateTime)),
        // Hexo's documented slashes (hexo.io/docs/front-matter)
        ("2013/7/13 20:46:25", Valid(DateFormat::DateTime)),
        ("2013/07/13", Valid(DateFormat::Date)),
        ("2013/2/29", Impossible),
        ("2013/07-13", Unparseable),
        ("2013/07/13T20:46:25", Unparseable),
        // Jekyll (geoserver and terminus2049 posts, Jekyll docs)
        ("2007-04-19 18:21:48+00:00", Valid(DateFormat::DateTime)),
        ("2006-11-27 21:50:29+00:00", Valid(DateFormat::DateTime)),
        ("2018-02-24 10:00 +0800", Valid(DateFormat::DateTime)),
        ("2018-02-22 09:47 +0800", Valid(DateFormat::DateTime)),
        ("2016-12-01", Valid(DateFormat::Date)),
        ("2011-12-31 23:59:59 -0500", Valid(DateFormat::DateTime)),
        ("2018-02-24  +0800", Unparseable),
        ("2018-02-24 +0800", Unparseable),
        ("2021-02-30", Impossible),
        ("2021-13-01", Impossible),
        ("2021-00-10", Impossible),
        ("2021-04-31 10:00", Impossible),
        ("2021-05-22 25:61", Impossible),
        ("2021-05-22 23:60:00", Impossible),
        ("2021-05-22 12:02:19 +2500", Impossible),
        ("2020-02-29", Valid(DateFormat::Date)),
        ("1900-02-29", Impossible),
        ("2000-02-29", Valid(DateFormat::Date)),
        // YAML 1.1 timestamps (yaml.org/type/timestamp)
        ("2001-12-14t21:59:43.10-05:00", Valid(DateFormat::Rfc3339)),
        ("2001-12-14 21:59:43.10 -5", Valid(DateFormat::DateTime)),
        ("2001-12-15 2:59:43.10", Valid(DateFormat::DateTime)),
        ("2002-12-14", Valid(DateFormat::Date)),
        ("2001-1-2", Valid(DateFormat::Date)),
        // RFC 3339, Hugo and TOML
        ("2021-05-22T12:02:19Z", Valid(DateFormat::Rfc3339)),
        ("2021-05-22T12:02:19+08:00", Valid(DateFormat::Rfc3339)),
        ("2021-05-22T12:02:19.123456789Z", Valid(DateFormat::Rfc3339)),
        ("2017-01-02T15:04:05-07:00", Valid(DateFormat::Rfc3339)),
        ("1979-05-27T07:32:00", Valid(DateFormat::Rfc3339)),
        (
            "1979-05-27T00:32:00.999999-07:00",
            Valid(DateFormat::Rfc3339),
        ),
        ("2021-05-22T12:02:19+0800", Valid(DateFormat::Rfc3339)),
        ("2021-05-22T", Unparseable),
        ("2021-05-22T12", Unparseable),
        ("2021-05-22T12:02:19+08:00 extra", Unparseable),
        ("2021-05-22T12:02:19.Z", Unparseable),
        // Not dates at all
        ("", Unparseable),
        ("yesterday", Unparseable),
        ("2021", Unparseable),
        ("20210522", Unparseable),
        ("22/05/2021", Unparseable),
        ("05/22/2021 12:02", Unparseable),
        ("2021年5月22日", Unparseable),
        ("2021-05-22 12:02:19 GMT", Unparseable),
        ("1621684939", Unparseable),
    ];

    #[test]
    fn table_of_real_date_spellings() {
        assert!(TABLE.len() >= 60, "the table holds {} cases", TABLE.len());
        let failures: Vec<String> = TABLE
            .iter()
            .filter(|(s, expected)| verdict(s) != *expected)
            .map(|(s, expected)| format!("{s:?}: expected {expected:?}, got {:?}", verdict(s)))
            .collect();
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn offsets_and_instants() {
        let p = parse("2018-02-24 10:00 +0800").unwrap();
        assert_eq!(p.offset, Some(Offset::from_hours(8).unwrap()));
        assert_eq!(p.timestamp().unwrap().to_string(), "2018-02-24T02:00:00Z");
        let p = parse("Thu, 02 Dec 2021 07:56:55 EST").unwrap();
        assert_eq!(p.timestamp().unwrap().to_string(), "2021-12-02T12:56:55Z");
        assert!(parse("2021-05-22").unwrap().offset.is_none());
    }

    #[test]
    fn hostile_values_are_refused_quickly() {
        assert_eq!(parse(&"9".repeat(10_000)), Err(DateError::Unparseable));
        assert_eq!(parse("2021-05-22\u{0}\u{1b}"), Err(DateError::Unparseable));
        assert_eq!(
            parse("2021-05-22 12:02:19\u{7f}"),
            Err(DateError::Unparseable)
        );
        assert_eq!(parse("九九九九-05-22"), Err(DateError::Unparseable));
        assert_eq!(parse("99999-05-22"), Err(DateError::Unparseable));
    }

    #[test]
    fn formatting_keeps_the_instant() {
        let p = parse("Thu, 02 Dec 2021 07:56:55 GMT").unwrap();
        assert_eq!(format(&p, "%Y-%m-%d %H:%M:%S", None), None);
        let utc = TimeZone::fixed(Offset::UTC);
        assert_eq!(
            format(&p, "%Y-%m-%d %H:%M:%S", Some(&utc)).unwrap(),
            "2021-12-02 07:56:55"
        );
        let shanghai = TimeZone::fixed(Offset::from_hours(8).unwrap());
        assert_eq!(
            format(&p, "%Y-%m-%d %H:%M:%S", Some(&shanghai)).unwrap(),
            "2021-12-02 15:56:55"
        );
        let day = parse("2021-12-02").unwrap();
        assert_eq!(
            format(&day, "%Y-%m-%d %H:%M:%S", None).unwrap(),
            "2021-12-02 00:00:00"
        );
        let p = parse("2018-02-24 10:00 +0800").unwrap();
        // Without a zone to convert to, dropping +08:00 would move the post by eight hours.
        assert_eq!(format(&p, "%Y-%m-%d %H:%M:%S", None), None);
        assert_eq!(
            format(&p, "%Y-%m-%d %H:%M:%S %z", None).unwrap(),
            "2018-02-24 10:00:00 +0800"
        );
    }
}
