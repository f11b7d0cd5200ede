//! Splitter tests on the seed page and on small fixtures written for each layout rule.

use super::*;

fn split_text(t: &str) -> Vec<Draft> {
    split(t, &jieba_rs::Jieba::new()).unwrap().articles
}

#[test]
fn seed_page_has_eight_articles() {
    let a = split_text(include_str!("../../../seeds/000_cccc709a122f3acc.txt"));
    for d in &a {
        eprintln!(
            "{:?} {:?} {:?} {:?} {:?} paras={} caps={:?}",
            d.kind,
            d.heads.kicker,
            d.heads.title,
            d.heads.subtitle,
            d.heads.column,
            d.paragraphs.len(),
            d.captions
        );
    }
    assert_eq!(a.len(), 8);
}
