//! `updated`: a UTC instant written as a bare TOML datetime and as an RFC 3339 string in JSON.

use std::fmt;

use chrono::{DateTime, SecondsFormat, Utc};
use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A packet timestamp, second precision, always UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Timestamp(pub DateTime<Utc>);

impl Timestamp {
    /// Parses the one form the format allows: `YYYY-MM-DDTHH:MM:SSZ` (UTC, whole seconds, no
    /// leap second), so that what is read prints back exactly and every TOML parser reads it.
    pub fn parse(text: &str) -> Result<Self, String> {
        let shape_ok = text.len() == 20
            && text.bytes().enumerate().all(|(i, b)| match i {
                4 | 7 => b == b'-',
                10 => b == b'T',
                13 | 16 => b == b':',
                19 => b == b'Z',
                _ => b.is_ascii_digit(),
            });
        let parsed = shape_ok
            .then(|| chrono::NaiveDateTime::parse_from_str(&text[..19], "%Y-%m-%dT%H:%M:%S").ok())
            .flatten()
            .filter(|t| chrono::Timelike::nanosecond(t) == 0 && &text[17..19] != "60");
        parsed.map(|t| Timestamp(t.and_utc())).ok_or_else(|| {
            format!("{text:?} is not a UTC date-time of the form 2026-11-21T22:10:00Z")
        })
    }

    /// Returns seconds since the Unix epoch.
    pub fn seconds(self) -> i64 {
        self.0.timestamp()
    }

    /// The instant `seconds` after the Unix epoch (`None` out of range).
    pub fn from_seconds(seconds: i64) -> Option<Self> {
        DateTime::from_timestamp(seconds, 0).map(Timestamp)
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.to_rfc3339_opts(SecondsFormat::Secs, true))
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let datetime: toml::value::Datetime = self
            .to_string()
            .parse()
            .map_err(|e| serde::ser::Error::custom(format!("timestamp {self}: {e}")))?;
        datetime.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(TimestampVisitor)
    }
}

struct TimestampVisitor;

impl<'de> Visitor<'de> for TimestampVisitor {
    type Value = Timestamp;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an RFC 3339 date-time such as 2026-11-21T22:10:00Z")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Timestamp, E> {
        Timestamp::parse(text).map_err(E::custom)
    }

    // TOML hands a native datetime over as a one-entry map holding its text.
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Timestamp, A::Error> {
        let Some((_, text)) = map.next_entry::<de::IgnoredAny, String>()? else {
            return Err(de::Error::custom("empty date-time"));
        };
        if map
            .next_entry::<de::IgnoredAny, de::IgnoredAny>()?
            .is_some()
        {
            return Err(de::Error::custom("expected a date-time"));
        }
        self.visit_str(&text)
    }
}
