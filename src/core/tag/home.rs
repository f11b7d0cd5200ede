//! Home region from the page itself, for pages whose publisher names no home
//! region and whose paper is not in `config/papers.toml`: `我县`, `县委` and
//! the townships of the home county only resolve with one.
//!
//! Two signs, in order: the paper's own name printed on the page (`今日浮山`,
//! `焦作日报`, in its header, its furniture or its first lines), and else the
//! county that dominates the page's articles (the first region of at least
//! [`DOMINANT_MIN_ARTICLES`] articles and [`DOMINANT_SHARE`] of those that
//! have one), looked for only when the page uses a home word at all. Either
//! is said in the evidence of every mention it resolves.

use super::gazetteer::{Gazetteer, Home};
use crate::core::article::{Draft, Region};
use crate::core::subject::RegionCode;

/// Lines from the top of the page where a paper's name may stand besides its
/// furniture (a header the splitter kept as a headline is still a header).
pub const PAPER_NAME_LINES: usize = 3;
/// A county dominates a page when it is the first region of at least this
/// many articles (one article naming its county proves nothing about the paper) …
pub const DOMINANT_MIN_ARTICLES: usize = 2;
/// … and of at least this share of the articles that have a region.
pub const DOMINANT_SHARE: f64 = 0.5;

/// The home region the page shows, if it shows one. `regions` tags a draft
/// without a home region.
pub fn infer(
    gazetteer: &Gazetteer,
    text: &str,
    furniture: &[String],
    drafts: &[Draft],
    regions: impl FnMut(&Draft) -> Vec<Region>,
) -> Option<Home> {
    if !gazetteer.mentions_home_word(text) {
        return None;
    }
    let top = text.lines().take(PAPER_NAME_LINES);
    if let Some((code, name)) =
        furniture.iter().map(String::as_str).chain(top).find_map(|line| gazetteer.paper_name(line))
    {
        return Some(Home { code, via: Some(format!("inferred from the paper name {name} on the page")) });
    }
    dominant_county(drafts.iter().map(regions)).map(|(code, k, n)| Home {
        code,
        via: Some(format!("inferred from the county most named on the page ({k} of {n} articles)")),
    })
}

/// The county that is the first region of most articles, with how many of
/// how many articles, when it dominates.
fn dominant_county(regions: impl Iterator<Item = Vec<Region>>) -> Option<(RegionCode, usize, usize)> {
    let mut counts: Vec<(String, usize)> = Vec::new();
    let mut with_region = 0;
    for r in regions {
        let Some(first) = r.first() else { continue };
        with_region += 1;
        let county = match first.level.as_str() {
            "county" => first.code.clone(),
            "township" => first.code[..6].to_string(),
            _ => continue,
        };
        match counts.iter_mut().find(|c| c.0 == county) {
            Some(c) => c.1 += 1,
            None => counts.push((county, 1)),
        }
    }
    let (code, k) = counts.into_iter().max_by_key(|c| c.1)?;
    (k >= DOMINANT_MIN_ARTICLES && k as f64 >= DOMINANT_SHARE * with_region as f64)
        .then(|| RegionCode::parse(&code).ok().map(|c| (c, k, with_region)))
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::article::Heads;

    const SMALL: &str = "\
140000\t\tprovince\t山西省
141000\t140000\tcity\t临汾市
141027\t141000\tcounty\t浮山县
141027100\t141027\ttownship\t天坛镇
141026\t141000\tcounty\t安泽县
";

    fn gaz() -> Gazetteer {
        Gazetteer::parse(SMALL, "", "").unwrap()
    }

    fn draft(body: &str) -> Draft {
        Draft { heads: Heads::default(), paragraphs: vec![body.to_string()], ..Draft::default() }
    }

    fn infer_on(text: &str, furniture: &[&str], bodies: &[&str]) -> Option<Home> {
        let g = gaz();
        let furniture: Vec<String> = furniture.iter().map(|s| s.to_string()).collect();
        let drafts: Vec<Draft> = bodies.iter().map(|b| draft(b)).collect();
        infer(&g, text, &furniture, &drafts, |d| g.tag("", "", "", &d.paragraphs[0], None))
    }

    #[test]
    fn the_paper_name_in_the_furniture_names_the_home_county() {
        let home = infer_on("我县召开会议。", &["今日浮山  第2版"], &["我县召开会议。"]).unwrap();
        assert_eq!(home.code.as_str(), "141027");
        assert!(home.via.unwrap().contains("今日浮山"));
        let home = infer_on("浮山报\n县委召开会议。", &[], &["县委召开会议。"]).unwrap();
        assert_eq!(home.code.as_str(), "141027", "a paper name on the first lines counts too");
    }

    #[test]
    fn a_county_named_first_by_most_articles_is_home() {
        let bodies = ["浮山县天坛镇修路。", "浮山县开展巡察。", "我县召开会议。"];
        let home = infer_on("我县召开会议。", &[], &bodies).unwrap();
        assert_eq!(home.code.as_str(), "141027");
        assert!(home.via.unwrap().contains("2 of 2"));
    }

    #[test]
    fn no_home_without_a_home_word_or_a_dominant_county() {
        assert_eq!(
            infer_on("浮山县修路。", &["今日浮山"], &["浮山县修路。"]),
            None,
            "no home word: nothing to resolve"
        );
        let split = ["浮山县修路。", "安泽县修路。", "我县召开会议。"];
        assert_eq!(infer_on("我县召开会议。", &[], &split), None, "one article each proves nothing");
        assert_eq!(infer_on("我县召开会议。", &[], &["浮山县修路。", "我县开会。"]), None, "one article is not a page");
    }
}
