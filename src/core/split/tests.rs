//! Splitter tests: the seed page, and one small fixture per layout phenomenon
//! (`tests/fixtures/`, written for these tests in the style of real pages).

use std::sync::LazyLock;

use super::*;
use crate::core::article::Kind;
use crate::core::tag::{TagData, Tagger};

/// The service's splitter and lexicon.
static TAGGER: LazyLock<Tagger> = LazyLock::new(|| Tagger::new(TagData::default()).unwrap());

fn split_text(t: &str) -> SplitPage {
    TAGGER.splitter().split(t, TAGGER.jieba()).unwrap()
}

fn titles(p: &SplitPage) -> Vec<Option<&str>> {
    p.articles.iter().map(|a| a.heads.title.as_deref()).collect()
}

#[test]
fn seed_page_has_its_eight_articles() {
    let p = split_text(include_str!("../../../seeds/000_cccc709a122f3acc.txt"));
    let kinds: Vec<Kind> = p.articles.iter().map(|a| a.kind.unwrap()).collect();
    use Kind::*;
    assert_eq!(kinds, vec![Feature, Column, News, News, News, News, News, Photo]);
    let feature = &p.articles[0];
    assert_eq!(feature.heads.kicker.as_deref(), Some("创建新时代党建引领 基层治理示范区"));
    assert_eq!(feature.heads.subtitle.as_deref(), Some("盐湖区北城街道星河社区创新基层治理的实践"));
    assert_eq!(feature.subheads.len(), 3);
    assert_eq!(feature.captions[0].credit.as_deref(), Some("资料照片"));
    assert!(
        feature.paragraphs.iter().any(|x| x.contains("大多与居民日常生活相关")),
        "caption cut out, sentence rejoined"
    );
    assert_eq!(p.articles[1].heads.column.as_deref(), Some("廉洁史话"), "column label printed after its article");
    assert_eq!(p.articles[1].byline.authors, vec!["欣文"]);
    assert_eq!(p.articles[2].heads.title.as_deref(), Some("十五届闻喜县委开展第九轮巡察动员"));
    assert_eq!(p.articles[5].byline.correspondents, vec!["李亚楠"]);
    assert_eq!(p.articles[7].byline.photographers, vec!["李博文"]);
}

#[test]
fn the_seed_page_without_blank_lines_splits_the_same() {
    let seed = include_str!("../../../seeds/000_cccc709a122f3acc.txt");
    let tight: String = seed.lines().filter(|l| !l.trim().is_empty()).map(|l| format!("{l}\n")).collect();
    let (a, b) = (split_text(seed), split_text(&tight));
    assert_eq!(titles(&a), titles(&b));
    assert_eq!(b.articles[7].kind, Some(Kind::Photo), "the photo item is found without the gap above it");
    let paras = |p: &SplitPage| p.articles.iter().map(|x| x.paragraphs.clone()).collect::<Vec<_>>();
    assert_eq!(paras(&a), paras(&b));
}

#[test]
fn headlines_kickers_subtitles_and_columns() {
    let p = split_text(include_str!("../../../tests/fixtures/headlines.txt"));
    assert_eq!(
        titles(&p),
        vec![
            Some("东湖镇新建三座口袋公园"),
            Some("西山县推进农村公路提档升级"),
            Some("古渡口的新故事"),
            Some("为民情怀照千秋"),
            Some("南湖街道开展邻里节系列活动"),
        ]
    );
    let a = &p.articles;
    assert_eq!(a[0].heads.kicker.as_deref(), Some("聚焦民生实事"));
    assert_eq!(a[0].heads.subtitle.as_deref(), Some("老旧街区变身居民休闲好去处"));
    assert_eq!(a[1].heads.dateline.as_deref(), Some("本报讯"));
    assert_eq!(a[2].heads.column.as_deref(), Some("乡村行"));
    assert_eq!(a[3].heads.column.as_deref(), Some("史海钩沉"), "label after a signed column belongs to it");
    assert_eq!(a[3].kind, Some(Kind::Column));
    assert_eq!(a[3].byline.authors, vec!["何平"]);
    assert_eq!(a[4].byline.correspondents, vec!["孙丽"]);
    assert_eq!(a[4].heads.column, None);
}

#[test]
fn bylines_datelines_and_attributions() {
    let p = split_text(include_str!("../../../tests/fixtures/bylines.txt"));
    let a = &p.articles;
    assert_eq!(a.len(), 4);
    assert_eq!(a[0].heads.dateline.as_deref(), Some("本报北京4月16日电"));
    assert_eq!(a[0].byline.reporters, vec!["林海"]);
    assert!(a[0].paragraphs[0].starts_with("记者从有关部门获悉"));
    assert_eq!(a[1].byline.reporters, vec!["吴晓", "许佳宁"]);
    assert_eq!(a[2].byline.correspondents, vec!["马骏"]);
    assert_eq!(a[2].byline.reporters, vec!["何静"]);
    assert_eq!(a[2].byline.contributors, vec!["郭颖", "天乐"]);
    assert!(a[2].paragraphs.iter().all(|x| !x.contains("郭颖")), "attribution leaves the body");
    assert_eq!(a[3].byline.authors, vec!["钱明"]);
}

#[test]
fn captions_leave_the_body_and_photo_items_stand_alone() {
    let p = split_text(include_str!("../../../tests/fixtures/captions.txt"));
    let a = &p.articles;
    assert_eq!(a.len(), 2);
    let caps: Vec<(&str, Option<&str>)> =
        a[0].captions.iter().map(|c| (c.text.as_str(), c.credit.as_deref())).collect();
    assert_eq!(
        caps,
        vec![
            ("改造后的老街区吸引了不少游客。", Some("资料照片")),
            ("图①：改造后的老街夜景。", Some("赵  峰摄")),
            ("图②：居民在便民服务点办理业务。", Some("受访者供图")),
        ]
    );
    assert_eq!(a[0].byline.photographers, vec!["赵峰"]);
    assert!(a[0].paragraphs[0].ends_with("方便居民就近办理各类事务。"), "{:?}", a[0].paragraphs);
    assert_eq!(a[1].kind, Some(Kind::Photo));
    assert_eq!(a[1].heads.title, None);
    assert_eq!(a[1].byline.photographers, vec!["钱程"]);
}

#[test]
fn brief_items_are_articles_of_their_own() {
    let p = split_text(include_str!("../../../tests/fixtures/briefs.txt"));
    let a = &p.articles;
    assert_eq!(a.len(), 3);
    assert!(a.iter().all(|x| x.kind == Some(Kind::Brief) && x.heads.column.as_deref() == Some("要闻简报")));
    assert_eq!(a[0].heads.title.as_deref(), Some("我市召开安全生产工作会议"));
    assert_eq!(a[0].heads.dateline.as_deref(), Some("本报讯"));
    assert_eq!(a[1].heads.title.as_deref(), Some("城东新区首个智慧停车场投用"));
    assert_eq!(a[1].byline.reporters, vec!["黄河"]);
    assert_eq!(a[2].heads.title, None);
}

#[test]
fn news_items_without_bylines_are_told_apart_from_subheads() {
    let p = split_text(include_str!("../../../tests/fixtures/no_byline.txt"));
    assert_eq!(titles(&p), vec![Some("甲县举行防汛应急演练"), Some("乙镇开展送医下乡义诊"), Some("丙村修通产业路")]);
    assert_eq!(p.articles[0].heads.dateline.as_deref(), Some("本报讯"));
    assert_eq!(p.articles[1].paragraphs.len(), 2);
    assert!(p.articles.iter().all(|a| a.subheads.is_empty()));
}

#[test]
fn furniture_belongs_to_no_article() {
    let p = split_text(include_str!("../../../tests/fixtures/furniture.txt"));
    assert_eq!(titles(&p), vec![Some("清河市举办职业技能大赛")]);
    assert_eq!(p.articles[0].paragraphs.len(), 2);
    for f in ["2025年6月3日 星期二", "第2版", "（下转第二版）", "下一版", "本期共8版"] {
        assert!(p.furniture.iter().any(|x| x == f), "{f} in {:?}", p.furniture);
    }
}

#[test]
fn indented_paragraphs_without_blank_lines_and_crlf() {
    let page = crate::core::page::Page::new(include_str!("../../../tests/fixtures/indented.txt"), Default::default());
    let p = split_text(&page.text);
    assert_eq!(titles(&p), vec![Some("社区食堂开进老旧小区")]);
    assert_eq!(p.articles[0].byline.reporters, vec!["王磊"]);
    assert_eq!(p.articles[0].paragraphs.len(), 3);
}

#[test]
fn hard_wrapped_two_page_dump_with_jump_lines() {
    let p = split_text(include_str!("../../../tests/fixtures/hard_wrapped.txt"));
    assert_eq!(titles(&p), vec![Some("北川县专家进田间指导春耕生产")]);
    let a = &p.articles[0];
    assert_eq!(a.byline.reporters, vec!["宋佳"]);
    assert_eq!(a.paragraphs.len(), 2, "{:?}", a.paragraphs);
    assert!(a.paragraphs[0].ends_with("发放技术资料五百余份。"), "rejoined around the caption");
    assert!(a.paragraphs[1].ends_with("确保春耕生产顺利推进。"), "rejoined across the page jump");
    assert_eq!(a.captions[0].text, "图为专家在田间讲解。");
    for f in ["（下转第4版）", "第4版", "（上接第1版）"] {
        assert!(p.furniture.iter().any(|x| x == f), "{f} in {:?}", p.furniture);
    }
}

#[test]
fn a_jump_reopens_the_article_after_others() {
    let text = "甲县召开春耕会议\n\n本报讯(记者 王一)近日，甲县召开春耕生产会议，部署\n\n（下转第2版）\n\u{c}\n乙县开展植树活动\n\n本报讯(记者 李二)近日，乙县组织干部群众开展义务植树活动。\n\n（上接第1版）\n\n全县春耕生产工作。会议要求抓好农资供应。\n";
    let p = split_text(text);
    assert_eq!(titles(&p), vec![Some("甲县召开春耕会议"), Some("乙县开展植树活动")]);
    assert_eq!(
        p.articles[0].paragraphs,
        vec!["近日，甲县召开春耕生产会议，部署全县春耕生产工作。会议要求抓好农资供应。"]
    );
}

#[test]
fn gb18030_pages_split_like_utf8() {
    let text = include_str!("../../../tests/fixtures/headlines.txt");
    let (bytes, _, _) = encoding_rs::GB18030.encode(text);
    let page = crate::core::decode::decode(&bytes, &Default::default(), 1 << 20).unwrap();
    assert_eq!(split_text(&page.text).articles, split_text(text).articles);
}

#[test]
fn splitting_is_deterministic() {
    let text = include_str!("../../../seeds/000_cccc709a122f3acc.txt");
    assert_eq!(split_text(text), split_text(text));
}

#[test]
fn a_page_without_prose_is_an_error() {
    assert_eq!(
        TAGGER.splitter().split("第3版\n\n责任编辑：张三\n", &NoLexicon),
        Err(SplitError::NoArticles { lines: 2 })
    );
}

#[test]
fn every_line_is_accounted_for_with_its_role() {
    let p = split_text(include_str!("../../../tests/fixtures/captions.txt"));
    let roles: Vec<(&str, Option<usize>)> = p.lines.iter().map(|l| (l.role, l.article)).collect();
    assert_eq!(
        roles,
        vec![
            ("title", Some(0)),
            ("byline", Some(0)),
            ("body", Some(0)),
            ("caption", Some(0)),
            ("body", Some(0)),
            ("caption", Some(0)),
            ("credit", Some(0)),
            ("caption", Some(0)),
            ("credit", Some(0)),
            ("body", Some(0)),
            ("body", Some(1)),
            ("caption", Some(1)),
        ]
    );
    let seed = split_text(include_str!("../../../seeds/000_cccc709a122f3acc.txt"));
    assert!(seed.lines.iter().all(|l| l.article.is_some()), "the seed page has no furniture");
    let column = seed.lines.iter().find(|l| l.text == "廉洁史话").unwrap();
    assert_eq!((column.role, column.article), ("column", Some(1)));
    let furniture = split_text(include_str!("../../../tests/fixtures/furniture.txt"));
    assert_eq!(furniture.lines.iter().filter(|l| l.role == "furniture").count(), furniture.furniture.len());
}

#[test]
fn nothing_is_lost_on_any_fixture() {
    let fixtures = [
        include_str!("../../../seeds/000_cccc709a122f3acc.txt"),
        include_str!("../../../tests/fixtures/headlines.txt"),
        include_str!("../../../tests/fixtures/bylines.txt"),
        include_str!("../../../tests/fixtures/captions.txt"),
        include_str!("../../../tests/fixtures/briefs.txt"),
        include_str!("../../../tests/fixtures/furniture.txt"),
        include_str!("../../../tests/fixtures/indented.txt"),
        include_str!("../../../tests/fixtures/hard_wrapped.txt"),
        include_str!("../../../tests/fixtures/short_news.txt"),
        include_str!("../../../tests/fixtures/no_byline.txt"),
    ];
    for (i, text) in fixtures.iter().enumerate() {
        let page = split_text(text);
        if let Err(e) = check_accounting(text, &page) {
            panic!("fixture {i}: {e}");
        }
    }
}

#[test]
fn the_accounting_check_sees_a_lost_character() {
    let text = include_str!("../../../tests/fixtures/short_news.txt");
    let mut page = split_text(text);
    page.articles[0].paragraphs[0].pop();
    assert!(check_accounting(text, &page).unwrap_err().contains("lost"));
    let mut page = split_text(text);
    page.furniture.push("多".into());
    assert!(check_accounting(text, &page).unwrap_err().contains("多"));
}

#[test]
fn every_line_goes_to_the_article_that_took_it_even_when_its_text_moved() {
    // A dateline printed on a line of its own (its text is in no paragraph)
    // and a photo item split off the article above (its text moved).
    let text = "县里推进基层治理工作\n\n本报讯(记者 王小明)\n\n\
                近日，县里召开全县基层治理工作推进会，总结去年各项工作。\n\n\
                会议要求各乡镇抓好落实，确保各项任务按时完成。\n\n\n\
                新建的文化广场迎来首批游客。\n\n图为广场一角。\n李文 摄\n";
    let page = split_text(text);
    let fates: Vec<(&str, Option<usize>)> = page.lines.iter().map(|l| (l.role, l.article)).collect();
    assert_eq!(
        fates,
        vec![
            ("title", Some(0)),
            ("dateline", Some(0)),
            ("body", Some(0)),
            ("body", Some(0)),
            ("body", Some(1)),
            ("caption", Some(1)),
            ("credit", Some(1)),
        ]
    );
    assert_eq!(page.articles[1].kind, Some(Kind::Photo));
}
