//! Newtypes parsed at the boundary: a value that exists is valid.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Why a value was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InvalidValue {
    /// A topic slug must be ASCII lowercase letters, digits and `-`.
    #[error("invalid topic slug {0:?}: use a-z, 0-9 and '-'")]
    Slug(String),
    /// A region code has 6 or 9 digits.
    #[error("invalid region code {0:?}: expected 6 digits (county/city/province) or 9 (township)")]
    RegionCode(String),
    /// An issue date is a calendar day written `YYYY-MM-DD`.
    #[error("invalid date {0:?}: expected a calendar day written YYYY-MM-DD (e.g. 2025-05-06)")]
    Date(String),
    /// A subject token is ASCII without spaces, dots or wildcards.
    #[error("invalid subject token {0:?}: use ASCII letters, digits, '-' and '_'")]
    Token(String),
}

/// Checks an issue date: ISO 8601 `YYYY-MM-DD`, a day the calendar has
/// (`2025-13-45` and `2025-02-30` are not), and returns it trimmed.
///
/// # Errors
/// [`InvalidValue::Date`] for anything else.
pub fn issue_date(s: &str) -> Result<String, InvalidValue> {
    calendar_day(s).map(|_| s.trim().to_string()).ok_or_else(|| InvalidValue::Date(s.to_string()))
}

/// The day `YYYY-MM-DD` names, if it is one.
pub fn calendar_day(s: &str) -> Option<time::Date> {
    let s = s.trim();
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' || !digits(0..4) || !digits(5..7) || !digits(8..10) {
        return None;
    }
    let month = time::Month::try_from(s[5..7].parse::<u8>().ok()?).ok()?;
    time::Date::from_calendar_date(s[..4].parse().ok()?, month, s[8..10].parse().ok()?).ok()
}

/// A topic's slug, usable as a subject token.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TopicSlug(String);

impl TopicSlug {
    /// Parses a slug.
    ///
    /// # Errors
    /// [`InvalidValue::Slug`] unless it is 1–40 of `a-z 0-9 -`.
    pub fn parse(s: &str) -> Result<TopicSlug, InvalidValue> {
        let ok = !s.is_empty()
            && s.len() <= 40
            && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if ok { Ok(TopicSlug(s.to_string())) } else { Err(InvalidValue::Slug(s.to_string())) }
    }
    /// The slug text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for TopicSlug {
    type Error = InvalidValue;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        TopicSlug::parse(&s)
    }
}
impl From<TopicSlug> for String {
    fn from(s: TopicSlug) -> String {
        s.0
    }
}
impl fmt::Display for TopicSlug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A statistical division code: 6 digits (province, city, county) or 9 (township).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct RegionCode(String);

impl RegionCode {
    /// Parses a code.
    ///
    /// # Errors
    /// [`InvalidValue::RegionCode`] unless it is 6 or 9 ASCII digits.
    pub fn parse(s: &str) -> Result<RegionCode, InvalidValue> {
        let s = s.trim();
        if (s.len() == 6 || s.len() == 9) && s.bytes().all(|b| b.is_ascii_digit()) {
            Ok(RegionCode(s.to_string()))
        } else {
            Err(InvalidValue::RegionCode(s.to_string()))
        }
    }
    /// The code text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for RegionCode {
    type Error = InvalidValue;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        RegionCode::parse(&s)
    }
}
impl From<RegionCode> for String {
    fn from(s: RegionCode) -> String {
        s.0
    }
}
impl fmt::Display for RegionCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A NATS subject built only from validated tokens.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Subject(String);

impl Subject {
    /// Joins a prefix (itself dot-separated tokens) and tokens into a subject.
    ///
    /// # Errors
    /// [`InvalidValue::Token`] when any token is empty or holds anything but
    /// ASCII letters, digits, `-` and `_`.
    pub fn join(prefix: &str, tokens: &[&str]) -> Result<Subject, InvalidValue> {
        let mut all: Vec<&str> = prefix.split('.').collect();
        all.extend_from_slice(tokens);
        for t in &all {
            let ok = !t.is_empty() && t.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
            if !ok {
                return Err(InvalidValue::Token((*t).to_string()));
            }
        }
        Ok(Subject(all.join(".")))
    }
    /// The subject text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Subject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_ascii_lowercase() {
        assert!(TopicSlug::parse("party-building").is_ok());
        assert!(TopicSlug::parse("Party").is_err());
        assert!(TopicSlug::parse("巡察").is_err());
        assert!(TopicSlug::parse("").is_err());
        assert!(TopicSlug::parse("a.b").is_err());
    }

    #[test]
    fn issue_dates_are_calendar_days_written_iso() {
        assert_eq!(issue_date(" 2025-05-06 ").unwrap(), "2025-05-06");
        assert!(issue_date("2024-02-29").is_ok(), "a leap day");
        for bad in ["2025-13-45", "2025-02-30", "2023-02-29", "notadate", "2025-5-6", "2025/05/06", "20250506", ""] {
            assert!(matches!(issue_date(bad), Err(InvalidValue::Date(_))), "{bad}");
        }
        assert!(issue_date("2025-13-45").unwrap_err().to_string().contains("YYYY-MM-DD"));
    }

    #[test]
    fn region_codes_have_six_or_nine_digits() {
        assert!(RegionCode::parse("140823").is_ok());
        assert!(RegionCode::parse("140823204").is_ok());
        assert!(RegionCode::parse("1408").is_err());
        assert!(RegionCode::parse("14082x").is_err());
    }

    #[test]
    fn subjects_refuse_wildcards_and_empty_tokens() {
        assert_eq!(
            Subject::join("news", &["articles", "topic", "inspection"]).unwrap().as_str(),
            "news.articles.topic.inspection"
        );
        assert!(Subject::join("news", &["a", ">"]).is_err());
        assert!(Subject::join("news", &["a b"]).is_err());
        assert!(Subject::join("news..x", &["a"]).is_err());
    }
}
