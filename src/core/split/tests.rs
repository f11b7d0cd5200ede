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
    assert_eq!(a[0].heads.kicker.as_deref(), Some("聚焦民生实事——"));
    assert_eq!(a[0].heads.subtitle.as_deref(), Some("老旧街区变身居民休闲好去处"));
    assert_eq!(a[1].heads.dateline.as_deref(), Some("本报讯"));
    assert_eq!(a[2].heads.column.as_deref(), Some("乡村行"));
    assert_eq!(a[3].heads.column, None, "a signed piece without a label has no column");
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

/// The seed page and every page of `tests/fixtures/`, by name.
fn all_fixtures() -> Vec<(String, String)> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let seed = root.join("seeds/000_cccc709a122f3acc.txt");
    let mut paths: Vec<_> = std::fs::read_dir(root.join("tests/fixtures"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    paths.sort();
    paths.insert(0, seed);
    paths
        .into_iter()
        .map(|p| (p.file_stem().unwrap().to_string_lossy().into_owned(), std::fs::read_to_string(&p).unwrap()))
        .collect()
}

#[test]
fn nothing_is_lost_on_any_fixture() {
    let fixtures = all_fixtures();
    assert!(fixtures.len() >= 16, "the fixtures are found");
    for (name, text) in fixtures {
        let page = split_text(&text);
        if let Err(e) = check_accounting(&text, &page) {
            panic!("{name}: {e}");
        }
    }
}

/// Every fixture's lines as `newsdesk parse --explain` shows them, without
/// the reasons, against `tests/snapshots/NAME.explain`: a change that moves
/// a line to another role or article shows in review. `UPDATE_SNAPSHOTS=1`
/// rewrites them (then read the diff).
#[test]
fn every_fixture_splits_as_its_snapshot_shows() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots");
    let update = std::env::var_os("UPDATE_SNAPSHOTS").is_some();
    let mut differ = Vec::new();
    for (name, text) in all_fixtures() {
        let got = explain::explain(&TAGGER.splitter().explain(&text, TAGGER.jieba()), false);
        let path = dir.join(format!("{name}.explain"));
        if update {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, &got).unwrap();
            continue;
        }
        let want = std::fs::read_to_string(&path).unwrap_or_default();
        if want != got {
            eprintln!("--- {}\n+++ split now\n{got}", path.display());
            differ.push(name);
        }
    }
    assert!(differ.is_empty(), "split differs from its snapshot (UPDATE_SNAPSHOTS=1 rewrites): {differ:?}");
}

#[test]
fn an_e_paper_navigation_line_is_not_part_of_the_headline() {
    let p = split_text(include_str!("../../../tests/fixtures/epaper_navigation.txt"));
    assert_eq!(titles(&p), vec![Some("李明主持召开县长办公会研究部署当前重点工作")]);
    assert_eq!(p.furniture, vec!["下一版»本期共8版(1-3-8)"]);
    let a = &p.articles[0];
    assert_eq!(a.heads.dateline.as_deref(), Some("本报讯"));
    assert_eq!(a.byline.authors, vec!["周文", "陈晨"], "the names in brackets after the text sign it");
    assert_eq!(a.paragraphs.len(), 3);
}

#[test]
fn an_issue_date_line_and_a_report_byline_with_several_names() {
    let p = split_text(include_str!("../../../tests/fixtures/date_line.txt"));
    assert_eq!(titles(&p), vec![Some("南湖开展作风建设专项督查护航春季农业生产")]);
    let a = &p.articles[0];
    assert_eq!(a.byline.reporters, vec!["刘洋"]);
    assert_eq!(a.byline.correspondents, vec!["张华", "马丽"]);
    assert!(a.paragraphs[0].starts_with("连日来"), "{:?}", a.paragraphs[0]);
    assert!(p.furniture.iter().filter(|f| f.contains("星期四")).count() == 2, "{:?}", p.furniture);
    assert!(p.furniture.iter().any(|f| f.starts_with("第03版")));
}

#[test]
fn web_chrome_is_furniture_and_a_spaced_closing_byline_is_read() {
    let p = split_text(include_str!("../../../tests/fixtures/web_chrome.txt"));
    assert_eq!(titles(&p), vec![None]);
    assert_eq!(p.furniture, vec!["用微信扫描二维码分享至好友和朋友圈"]);
    let a = &p.articles[0];
    assert_eq!(a.byline.reporters, vec!["陈思远", "刘安"]);
    assert_eq!(a.paragraphs.len(), 2);
}

#[test]
fn e_paper_metadata_glued_to_a_headline_or_under_it_is_cut_off_and_its_author_kept() {
    let p = split_text(include_str!("../../../tests/fixtures/epaper_metadata.txt"));
    assert_eq!(titles(&p), vec![Some("我县荣获“省级文明县城”称号"), Some("我县开展冬春农田水利建设")]);
    let a = &p.articles;
    assert_eq!(a[0].byline.authors, vec!["丁一"], "glued to the headline");
    assert_eq!(a[1].byline.authors, vec!["王丽", "李强"], "on its own line under the headline");
    assert!(a.iter().all(|x| x.heads.dateline.as_deref() == Some("本报讯")));
    assert!(a[0].paragraphs[0].starts_with("近日"));
    assert_eq!(p.furniture.iter().filter(|f| f.contains("刊发日期")).count(), 2, "{:?}", p.furniture);
}

#[test]
fn a_pdf_extracted_page_header_wrapped_headline_and_interrupted_sentence() {
    let p = split_text(include_str!("../../../tests/fixtures/pdf_page.txt"));
    assert_eq!(titles(&p), vec![Some("守住一张纸的温度"), Some("县文化馆开展非遗进社区活动")]);
    assert!(p.furniture.iter().any(|f| f.contains("第6版")), "the page header is no kicker: {:?}", p.furniture);
    let a = &p.articles[0];
    assert_eq!(a.heads.kicker.as_deref(), Some("古法造纸第三代传承人王秀英——"));
    assert_eq!(a.heads.column.as_deref(), Some("匠心传承"));
    assert_eq!(a.byline.reporters, vec!["陈东"]);
    assert_eq!(a.captions.len(), 1);
    assert_eq!(a.captions[0].credit.as_deref(), Some("李  阳摄"));
    assert!(
        a.paragraphs.iter().any(|x| x.contains("铺在帘上。“抄纸靠的是手上的感觉")),
        "the sentence the picture interrupted is one again: {:?}",
        a.paragraphs
    );
    assert!(a.paragraphs.iter().any(|x| x.ends_with("走进了年轻人的生活。")));
    let b = &p.articles[1];
    assert_eq!(b.byline.reporters, vec!["赵敏"]);
    assert_eq!(b.paragraphs.len(), 2);
    assert!(p.furniture.iter().any(|f| f.starts_with("责任编辑")));
}

#[test]
fn a_credit_above_the_first_text_signs_it_and_names_alone_sign_a_dateline() {
    let p = split_text(include_str!("../../../tests/fixtures/photo_on_top.txt"));
    let a = &p.articles;
    assert_eq!(titles(&p), vec![None, Some("县政府召开常务会议")]);
    assert_eq!(a[0].kind, Some(Kind::Photo));
    assert_eq!(a[0].byline.photographers, vec!["马骁"]);
    assert_eq!(a[0].paragraphs.len(), 1);
    assert_eq!(a[1].heads.dateline.as_deref(), Some("本报讯"));
    assert_eq!(a[1].byline.authors, vec!["韩雪", "立新"]);
    assert!(a[1].paragraphs[0].starts_with("5月7日"));
}

#[test]
fn bulleted_and_numbered_brief_blocks_are_briefs_under_their_label() {
    let p = split_text(include_str!("../../../tests/fixtures/brief_blocks.txt"));
    let a = &p.articles;
    assert_eq!(a.len(), 5);
    assert!(a.iter().all(|x| x.kind == Some(Kind::Brief)));
    let columns: Vec<Option<&str>> = a.iter().map(|x| x.heads.column.as_deref()).collect();
    assert_eq!(columns, vec![Some("本地新闻"), Some("本地新闻"), Some("本地新闻"), Some("工作动态"), Some("工作动态")]);
    assert!(a[1].paragraphs[0].contains("3月10日"));
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
