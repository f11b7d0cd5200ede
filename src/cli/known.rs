//! Checks of command-line values against the tagging data: a topic slug the
//! taxonomy has, a region code the gazetteer has (naming the nearest when it
//! has not), so a typo fails at once instead of following nothing.

use crate::core::subject::RegionCode;
use crate::core::tag::gazetteer::Gazetteer;
use crate::core::tag::topics::{Taxonomy, UNSORTED};
use crate::settings::Settings;

/// Divisions named when a code is unknown.
const NEAREST_SHOWN: usize = 3;

/// The taxonomy of the configured (or embedded) data.
///
/// # Errors
/// When the data cannot be read or parsed.
pub fn taxonomy(settings: &Settings) -> anyhow::Result<Taxonomy> {
    Ok(Taxonomy::parse(&settings.tag_data()?.topics)?)
}

/// The gazetteer of the configured (or embedded) data.
///
/// # Errors
/// When the data cannot be read or parsed.
pub fn gazetteer(settings: &Settings) -> anyhow::Result<Gazetteer> {
    let data = settings.tag_data()?;
    Ok(Gazetteer::parse(&data.gazetteer, &data.place_stopwords, &data.former_names)?)
}

/// Checks topic slugs against the taxonomy (and `unsorted`).
///
/// # Errors
/// Naming the unknown slug and listing the known ones.
pub fn check_topics(taxonomy: &Taxonomy, slugs: &[String]) -> anyhow::Result<()> {
    let known: Vec<&str> = taxonomy.topics().iter().map(|t| t.slug.as_str()).chain(std::iter::once(UNSORTED)).collect();
    match slugs.iter().find(|s| !known.contains(&s.as_str())) {
        Some(s) => anyhow::bail!("unknown topic {s:?}; the topics are: {}", known.join(", ")),
        None => Ok(()),
    }
}

/// Checks a region code is a division of the gazetteer.
///
/// # Errors
/// Naming the code, what it was given for, and the nearest known divisions.
pub fn check_region(gazetteer: &Gazetteer, code: &RegionCode, flag: &str) -> anyhow::Result<()> {
    if gazetteer.get(code.as_str()).is_some() {
        return Ok(());
    }
    let near: Vec<String> =
        gazetteer.nearest(code.as_str(), NEAREST_SHOWN).iter().map(|d| format!("{} {}", d.code, d.name)).collect();
    if near.is_empty() {
        anyhow::bail!("{flag} {code}: no division has this code");
    }
    anyhow::bail!("{flag} {code}: no division has this code; the nearest are {}", near.join(", "))
}

/// Checks a text for the terminal: every control character (ESC, BEL, NUL,
/// DEL, C1 …) and, unless `keep_newlines`, line breaks become U+FFFD, so a
/// message can neither move the cursor nor recolour the terminal.
pub fn printable(text: &str, keep_newlines: bool) -> std::borrow::Cow<'_, str> {
    let bad = |c: char| c.is_control() && !(keep_newlines && c == '\n');
    if text.chars().any(bad) {
        text.chars().map(|c| if bad(c) { '\u{fffd}' } else { c }).collect::<String>().into()
    } else {
        text.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_never_reach_the_terminal() {
        assert_eq!(printable("\u{1b}[31m红\u{7}", false), "\u{fffd}[31m红\u{fffd}");
        assert_eq!(printable("a\nb\tc\u{9b}", true), "a\nb\u{fffd}c\u{fffd}");
        assert!(matches!(printable("平常的标题", false), std::borrow::Cow::Borrowed(_)));
    }

    #[test]
    fn unknown_topics_and_regions_are_named() {
        let settings = Settings::default();
        let t = taxonomy(&settings).unwrap();
        assert!(check_topics(&t, &["inspection".into(), "unsorted".into()]).is_ok());
        let e = check_topics(&t, &["nosuchtopic".into()]).unwrap_err().to_string();
        assert!(e.contains("\"nosuchtopic\"") && e.contains("inspection") && e.contains("governance"), "{e}");
        let g = gazetteer(&settings).unwrap();
        assert!(check_region(&g, &RegionCode::parse("140823").unwrap(), "--region").is_ok());
        let e = check_region(&g, &RegionCode::parse("999999").unwrap(), "--region").unwrap_err().to_string();
        assert_eq!(e, "--region 999999: no division has this code");
        let e = check_region(&g, &RegionCode::parse("140899").unwrap(), "--home-region").unwrap_err().to_string();
        assert!(e.starts_with("--home-region 140899: no division has this code; the nearest are 1408"), "{e}");
    }
}
