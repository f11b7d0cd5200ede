//! Decode: a message payload (plus header metadata) into a [`Page`].
//!
//! The payload is either the page text (UTF-8, UTF-16 with a BOM, or
//! GB18030/GBK, detected) or a JSON envelope
//! `{"text", "paper", "date", "page", "home_region"}`.

use serde::Deserialize;

use super::page::{Page, PageMeta};
use super::subject::{InvalidValue, RegionCode, issue_date};

/// Why a payload is not a page. Every variant is permanent: the same bytes
/// will fail the same way, so the message is dead-lettered, not retried.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// Nothing but white space.
    #[error("empty payload")]
    Empty,
    /// Larger than the configured limit.
    #[error("page of {size} bytes exceeds the limit of {limit} bytes")]
    TooLarge {
        /// Payload size.
        size: usize,
        /// Configured `max_page_bytes`.
        limit: usize,
    },
    /// Holds NUL bytes or other control characters: not text.
    #[error("binary payload: {0}")]
    Binary(String),
    /// Neither UTF-8 nor GB18030.
    #[error("payload is neither UTF-8 nor GB18030 text")]
    Encoding,
    /// Looks like a JSON envelope but is not a valid one.
    #[error("invalid JSON envelope: {0}")]
    Envelope(String),
    /// A metadata field has an invalid value.
    #[error("invalid metadata: {0}")]
    Meta(#[from] InvalidValue),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Envelope {
    text: String,
    paper: Option<String>,
    date: Option<String>,
    page: Option<serde_json::Value>,
    home_region: Option<serde_json::Value>,
}

/// Decodes a payload. `header_meta` is what message headers (or CLI flags)
/// said; envelope fields win over it.
///
/// # Errors
/// A [`DecodeError`] naming why the payload is not a page.
pub fn decode(payload: &[u8], header_meta: &PageMeta, max_bytes: usize) -> Result<Page, DecodeError> {
    if payload.len() > max_bytes {
        return Err(DecodeError::TooLarge { size: payload.len(), limit: max_bytes });
    }
    let text = decode_text(payload)?;
    let trimmed = text.trim_start_matches('\u{feff}').trim();
    if trimmed.is_empty() {
        return Err(DecodeError::Empty);
    }
    if trimmed.starts_with('{') {
        let env: Envelope = serde_json::from_str(trimmed).map_err(|e| DecodeError::Envelope(e.to_string()))?;
        let home_region = match env.home_region {
            None | Some(serde_json::Value::Null) => None,
            Some(v) => Some(RegionCode::parse(&scalar(&v))?),
        };
        let meta = PageMeta {
            paper: env.paper.filter(|s| !s.trim().is_empty()),
            date: env.date.filter(|s| !s.trim().is_empty()).map(|d| issue_date(&d)).transpose()?,
            page: env.page.filter(|v| !v.is_null()).map(|v| scalar(&v)),
            home_region,
        }
        .or(header_meta);
        if env.text.trim().is_empty() {
            return Err(DecodeError::Empty);
        }
        check_text(&env.text)?;
        return Ok(Page::new(env.text.trim_start_matches('\u{feff}'), meta));
    }
    check_text(trimmed)?;
    Ok(Page::new(text.trim_start_matches('\u{feff}'), header_meta.clone()))
}

fn scalar(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Bytes to text: BOM-marked UTF-16, UTF-8, then GB18030.
fn decode_text(payload: &[u8]) -> Result<String, DecodeError> {
    if payload.contains(&0) && encoding_rs::Encoding::for_bom(payload).is_none() {
        return Err(DecodeError::Binary("NUL bytes".into()));
    }
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(payload) {
        let (text, had_errors) = enc.decode_without_bom_handling(&payload[bom..]);
        return if had_errors { Err(DecodeError::Encoding) } else { Ok(text.into_owned()) };
    }
    if let Ok(s) = std::str::from_utf8(payload) {
        return Ok(s.to_string());
    }
    encoding_rs::GB18030
        .decode_without_bom_handling_and_without_replacement(payload)
        .map(|c| c.into_owned())
        .ok_or(DecodeError::Encoding)
}

/// Refuses text that is mostly control characters or private-use noise.
fn check_text(text: &str) -> Result<(), DecodeError> {
    let mut total = 0usize;
    let mut bad = 0usize;
    for c in text.chars() {
        total += 1;
        if c == '\0' {
            return Err(DecodeError::Binary("NUL characters".into()));
        }
        let control = c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}');
        let private = ('\u{e000}'..='\u{f8ff}').contains(&c) || c == '\u{fffd}';
        if control || private {
            bad += 1;
        }
    }
    if bad * 20 > total {
        return Err(DecodeError::Binary(format!("{bad} of {total} characters are control or unassigned")));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMIT: usize = 1 << 20;

    #[test]
    fn utf8_text_is_a_page() {
        let p = decode("标题\n\n正文。".as_bytes(), &PageMeta::default(), LIMIT).unwrap();
        assert_eq!(p.text, "标题\n\n正文。");
        assert_eq!(p.id.len(), 16);
    }

    #[test]
    fn gb18030_is_detected() {
        let (bytes, _, _) = encoding_rs::GB18030.encode("十五届闻喜县委开展第九轮巡察动员\n\n近日，会议召开。");
        let p = decode(&bytes, &PageMeta::default(), LIMIT).unwrap();
        assert!(p.text.starts_with("十五届闻喜县委"));
    }

    #[test]
    fn envelope_metadata_wins_over_headers() {
        let headers = PageMeta { paper: Some("A报".into()), date: Some("2025-01-01".into()), ..Default::default() };
        let body = r#"{"text":"标题\n\n正文。","paper":"运城日报","page":3,"home_region":"140823"}"#;
        let p = decode(body.as_bytes(), &headers, LIMIT).unwrap();
        assert_eq!(p.meta.paper.as_deref(), Some("运城日报"));
        assert_eq!(p.meta.date.as_deref(), Some("2025-01-01"));
        assert_eq!(p.meta.page.as_deref(), Some("3"));
        assert_eq!(p.meta.home_region.unwrap().as_str(), "140823");
    }

    #[test]
    fn bad_inputs_name_their_reason() {
        let m = PageMeta::default();
        assert_eq!(decode(b"  \n ", &m, LIMIT), Err(DecodeError::Empty));
        assert!(matches!(decode(b"abc\0def", &m, LIMIT), Err(DecodeError::Binary(_))));
        assert_eq!(decode(&[0x61, 0xff, 0x81, 0x20, 0xfe], &m, LIMIT).unwrap_err(), DecodeError::Encoding);
        assert!(matches!(decode(&[b'a'; 100], &m, 10), Err(DecodeError::TooLarge { size: 100, limit: 10 })));
        assert!(matches!(decode(b"{\"txt\": 1}", &m, LIMIT), Err(DecodeError::Envelope(_))));
        assert!(matches!(decode(br#"{"text":"x","home_region":"14"}"#, &m, LIMIT), Err(DecodeError::Meta(_))));
    }
}
