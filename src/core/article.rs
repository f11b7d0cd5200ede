//! The article record: the consumers' contract (`"schema": 1`), documented in
//! the README and in `schema/article.schema.json`.

use serde::{Deserialize, Serialize};

/// Version of the article JSON; bumped on any incompatible change.
pub const SCHEMA_VERSION: u32 = 1;

/// What kind of item an article is on the printed page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A dated news report (usually with a 本报讯 dateline).
    News,
    /// A long report with subheads, a kicker or a reporter's byline.
    Feature,
    /// An essay under a standing column label.
    Column,
    /// A picture with a short text and no headline.
    Photo,
    /// One item of a news-in-brief block.
    Brief,
    /// An opinion piece signed by its author.
    Commentary,
}

/// The people named for an article, by role; names have padding removed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Byline {
    /// 记者: staff reporters.
    pub reporters: Vec<String>,
    /// 通讯员: correspondents.
    pub correspondents: Vec<String>,
    /// Signed authors of columns and commentaries.
    pub authors: Vec<String>,
    /// Photographers named in picture credits.
    pub photographers: Vec<String>,
    /// People credited at the end (`（张三参与采写）`).
    #[serde(default)]
    pub contributors: Vec<String>,
    /// The byline as printed (`本报记者 曹欣怡`, `(记者 邢智轩)`), from which the
    /// name lists above are read.
    #[serde(default)]
    pub printed: Vec<String>,
}

/// A photo caption and its credit line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Caption {
    /// What the picture shows.
    pub text: String,
    /// Who took or supplied it (`李博文 摄`, `资料照片`), if printed.
    pub credit: Option<String>,
}

/// Where in the text a tag was found: the matched text and its character offsets
/// in the article's searchable text (title, subtitle, kicker, body joined by newlines).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    /// The matched text.
    pub text: String,
    /// Character offset of the match.
    pub start: usize,
    /// Character offset just past the match.
    pub end: usize,
    /// How the mention stands for the region when its text alone would not
    /// (`former name of 沙县区`, `home region inferred from the paper name 今日浮山`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub via: Option<String>,
}

/// An administrative division the article is about.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Region {
    /// 6-digit province/city/county code or 9-digit township code.
    pub code: String,
    /// Official name.
    pub name: String,
    /// province | city | county | township.
    pub level: String,
    /// Names from the province down to this division.
    pub path: Vec<String>,
    /// How central the region is to the article (title, lead, mentions).
    pub weight: f64,
    /// Where it was mentioned (first few mentions).
    pub evidence: Vec<Evidence>,
}

/// A topic of the taxonomy in `config/topics.toml` that the article is about.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TopicTag {
    /// Stable ASCII slug, also the subject token.
    pub slug: String,
    /// Human label.
    pub label: String,
    /// Weighted evidence score.
    pub score: f64,
    /// The terms that earned the score.
    pub evidence: Vec<String>,
}

/// Identity of the page an article came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageRef {
    /// Content hash of the page text (16 hex digits).
    pub id: String,
    /// Paper name, if given.
    pub paper: Option<String>,
    /// Issue date, if given.
    pub date: Option<String>,
    /// Page number or name, if given.
    pub page: Option<String>,
}

/// The display lines of an article around its body.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Heads {
    /// Headline; `None` for photo items without one.
    pub title: Option<String>,
    /// Line under the headline (副题).
    pub subtitle: Option<String>,
    /// Line above the headline (引题).
    pub kicker: Option<String>,
    /// Standing column label.
    pub column: Option<String>,
    /// `本报讯`, `本报北京4月16日电` …
    pub dateline: Option<String>,
}

/// An article before tagging: what the splitter found on the page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Draft {
    /// Kind of item.
    pub kind: Option<Kind>,
    /// Headline, kicker, subtitle, column and dateline.
    pub heads: Heads,
    /// People by role.
    pub byline: Byline,
    /// Body paragraphs; subheads are paragraphs too.
    pub paragraphs: Vec<String>,
    /// Subheads, in order.
    pub subheads: Vec<String>,
    /// Photo captions.
    pub captions: Vec<Caption>,
}

/// A split, tagged article: what consumers receive.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Article {
    /// Always [`SCHEMA_VERSION`].
    pub schema: u32,
    /// `<page id>-<seq>`: stable across redeliveries.
    pub id: String,
    /// The page it came from.
    pub page: PageRef,
    /// Order on the page, from 0.
    pub seq: usize,
    /// Kind of item.
    pub kind: Kind,
    /// Headline, kicker, subtitle, column and dateline (flattened in JSON).
    #[serde(flatten)]
    pub heads: Heads,
    /// People by role.
    pub byline: Byline,
    /// Paragraphs separated by one blank line.
    pub body: String,
    /// Subheads, in order (also paragraphs of `body`).
    pub subheads: Vec<String>,
    /// Photo captions.
    pub captions: Vec<Caption>,
    /// Regions, most central first.
    pub regions: Vec<Region>,
    /// Topics, primary first.
    pub topics: Vec<TopicTag>,
    /// Keywords, most characteristic first.
    pub keywords: Vec<String>,
}

impl Article {
    /// The first line of the body, for one-line displays.
    pub fn lead(&self) -> &str {
        self.body.lines().next().unwrap_or("")
    }
}
