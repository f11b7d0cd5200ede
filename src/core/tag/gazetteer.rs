//! Regions: the gazetteer of administrative divisions and matching on raw text.
//!
//! Names are matched on the text itself, not on jieba tokens (jieba cuts
//! `闻喜县委` into 闻喜/县委), leftmost-longest ([`NameIndex`]) over full
//! names and safe short forms (闻喜县 and 闻喜). A short form is
//! safe when it has two or more characters, is no other division's full name,
//! and is not listed as an ordinary word in `config/place_stopwords.txt`
//! (方正, 和平, 合作 are).
//! A name shared by several divisions (朝阳区, 城区) counts only when a parent
//! of exactly one of them is named too; a township only when its county or
//! city is named or is the paper's home region, or at lower weight when no
//! other division in the country bears its name (越河街道 → 任城区); county
//! short forms listed together with a sibling (濉溪、蒙城) support each other;
//! former names (`config/former_names.tsv`: 沙县 → 沙县区, 莱芜市 → 莱芜区)
//! count for the current division; `我县`, `全市`, `县委`, `副县长` stand for
//! the home region when its level fits. Every mention that counts through one
//! of these says how in its evidence (`via`).

use std::collections::BTreeMap;

use aho_corasick::AhoCorasick;
use foldhash::{HashMap, HashSet};

use super::TagError;
use super::names::NameIndex;
use crate::core::article::{Evidence, Region};
use crate::core::subject::RegionCode;

/// Level of an administrative division.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// 省级: province, municipality, autonomous region.
    Province,
    /// 地级: prefecture-level city, prefecture, league.
    City,
    /// 县级: county, county-level city, district, banner.
    County,
    /// 乡级: township, town, street.
    Township,
}

impl Level {
    fn parse(s: &str) -> Option<Level> {
        Some(match s {
            "province" => Level::Province,
            "city" => Level::City,
            "county" => Level::County,
            "township" => Level::Township,
            _ => return None,
        })
    }
    /// Lowercase name used in the article JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Province => "province",
            Level::City => "city",
            Level::County => "county",
            Level::Township => "township",
        }
    }
}

/// One division of the gazetteer.
#[derive(Debug, Clone)]
pub struct Division {
    /// 6- or 9-digit code.
    pub code: String,
    /// Index of the parent division.
    pub parent: Option<usize>,
    /// Level.
    pub level: Level,
    /// Official name.
    pub name: String,
}

/// Weight of a mention by where it stands.
const WEIGHT_HEAD: f64 = 3.0;
const WEIGHT_DATELINE: f64 = 2.0;
const WEIGHT_LEAD: f64 = 1.5;
const WEIGHT_BODY: f64 = 1.0;
/// Evidence entries kept per region.
const MAX_EVIDENCE: usize = 5;

/// Ethnic names that make up autonomous-area names (`海北藏族自治州` → 海北).
const ETHNIC: &[&str] = &[
    "蒙古族",
    "回族",
    "藏族",
    "维吾尔族",
    "苗族",
    "彝族",
    "壮族",
    "布依族",
    "朝鲜族",
    "满族",
    "侗族",
    "瑶族",
    "白族",
    "土家族",
    "哈尼族",
    "哈萨克族",
    "傣族",
    "黎族",
    "傈僳族",
    "佤族",
    "畲族",
    "拉祜族",
    "水族",
    "东乡族",
    "纳西族",
    "景颇族",
    "柯尔克孜族",
    "土族",
    "达斡尔族",
    "仫佬族",
    "羌族",
    "布朗族",
    "撒拉族",
    "毛南族",
    "仡佬族",
    "锡伯族",
    "阿昌族",
    "普米族",
    "塔吉克族",
    "怒族",
    "鄂温克族",
    "德昂族",
    "保安族",
    "裕固族",
    "京族",
    "独龙族",
    "鄂伦春族",
    "赫哲族",
    "蒙古",
    "各族",
];

/// Words that stand for the paper's home area, with the name ending the home
/// division must have for them to apply.
const HOME_WORDS: &[(&str, &str)] = &[
    ("我县", "县"),
    ("全县", "县"),
    ("县委", "县"),
    ("县政府", "县"),
    ("县人民政府", "县"),
    ("县人大", "县"),
    ("县政协", "县"),
    ("县纪委", "县"),
    ("县直", "县"),
    ("副县长", "县"),
    ("我市", "市"),
    ("全市", "市"),
    ("市委", "市"),
    ("市政府", "市"),
    ("市人民政府", "市"),
    ("市人大", "市"),
    ("市政协", "市"),
    ("副市长", "市"),
    ("我区", "区"),
    ("全区", "区"),
    ("区委", "区"),
    ("区政府", "区"),
    ("副区长", "区"),
    ("我旗", "旗"),
    ("全旗", "旗"),
    ("旗委", "旗"),
];

#[derive(Debug, Clone, Copy)]
enum Pattern {
    /// A division's name; `strict` when the form needs support from context
    /// (a county's short form, or a name that is also an ordinary word).
    Name {
        division: usize,
        strict: bool,
        /// The name is also an ordinary word (`config/place_stopwords.txt`).
        ordinary: bool,
    },
    /// A former name of a division (`config/former_names.tsv`).
    Former {
        division: usize,
    },
    Home {
        suffix: &'static str,
    },
}

/// The loaded gazetteer and its name index.
pub struct Gazetteer {
    divisions: Vec<Division>,
    /// Township children of each division.
    townships_of: HashMap<usize, Vec<usize>>,
    by_code: HashMap<String, usize>,
    names: NameIndex,
    patterns: Vec<Vec<Pattern>>,
    pattern_text: Vec<String>,
    /// [`ORGANISATION_WORDS`], as one automaton.
    organisation_words: AhoCorasick,
    /// Townships whose name no other division bears.
    unique_townships: HashSet<usize>,
    /// The words of [`HOME_WORDS`], as one automaton: a page is read once to
    /// learn whether it uses any.
    home_words: AhoCorasick,
}

/// The page's home area, and how it was found when the publisher did not
/// name it (said in the evidence of every mention it resolves).
#[derive(Debug, Clone, PartialEq)]
pub struct Home {
    /// The home division.
    pub code: RegionCode,
    /// `None` when the publisher or the paper table named it; else how the
    /// page showed it (`paper name 今日浮山 on the page`).
    pub via: Option<String>,
}

impl Home {
    /// A home region the publisher named.
    pub fn given(code: RegionCode) -> Home {
        Home { code, via: None }
    }
}

/// Why a mention counts although its name alone would not.
#[derive(Debug, Clone, PartialEq)]
enum Via {
    Former(usize),
    UniqueTownship,
    Home(String),
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Section {
    Head,
    Dateline,
    Lead,
    Body,
}

/// An article as the gazetteer read it ([`Gazetteer::read`]): its text and
/// the names found in it, before any home region is applied.
#[derive(Debug, Clone)]
pub struct Reading {
    /// `head + "\n" + dateline + "\n" + body`.
    text: String,
    /// Where the head, the dateline and the lead end, in bytes of `text`.
    head_end: usize,
    dateline_end: usize,
    lead_end: usize,
    names: Vec<Named>,
}

impl Reading {
    /// The part of the article byte `b` of its text is in.
    fn section(&self, b: usize) -> Section {
        if b < self.head_end {
            Section::Head
        } else if b < self.dateline_end {
            Section::Dateline
        } else if b < self.lead_end {
            Section::Lead
        } else {
            Section::Body
        }
    }
}

/// One name found in a [`Reading`].
#[derive(Debug, Clone, Copy)]
struct Named {
    /// The pattern matched.
    pattern: usize,
    /// Byte span in the reading's text.
    start: usize,
    end: usize,
    /// Character offset of its start.
    char_start: usize,
    /// The weight its context gives it ([`Gazetteer::context_factor`]).
    factor: f64,
}

/// One name found: its candidates (division, needs support) and byte span.
struct RawMatch {
    /// (division, needs support, is an ordinary word).
    candidates: Vec<(usize, bool, bool)>,
    mention: Mention,
    start: usize,
    end: usize,
}

#[derive(Clone)]
struct Mention {
    /// How much the mention counts: 1 for a plain mention, less inside an
    /// organisation's name, after 今 (a historical place) or for a variant spelling.
    factor: f64,
    start: usize,
    end: usize,
    section: Section,
    text: String,
    via: Option<Via>,
}

impl Gazetteer {
    /// Parses the TSV (`code, parent, level, name`; `#` comments) and builds
    /// the name index. `stopwords` lists short forms that are ordinary words
    /// (one a line, `#` comments); `former` lists former names
    /// (`name<TAB>code<TAB>note`, `#` comments).
    ///
    /// # Errors
    /// [`TagError::Gazetteer`] with the line number of a malformed row,
    /// [`TagError::FormerNames`] for a former name of an unknown code.
    pub fn parse(tsv: &str, stopwords: &str, former: &str) -> Result<Gazetteer, TagError> {
        let ordinary: HashSet<&str> =
            stopwords.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).collect();
        let mut divisions = Vec::new();
        let mut by_code = HashMap::default();
        let mut parents: Vec<(usize, String, usize)> = Vec::new();
        for (no, line) in tsv.lines().enumerate() {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let err = |reason: &str| TagError::Gazetteer { line: no + 1, reason: reason.to_string() };
            let cols: Vec<&str> = line.split('\t').collect();
            let [code, parent, level, name] = cols[..] else { return Err(err("expected 4 tab-separated columns")) };
            RegionCode::parse(code).map_err(|e| err(&e.to_string()))?;
            let level = Level::parse(level).ok_or_else(|| err("level must be province, city, county or township"))?;
            if name.trim().is_empty() {
                return Err(err("empty name"));
            }
            if by_code.insert(code.to_string(), divisions.len()).is_some() {
                return Err(err("duplicate code"));
            }
            if !parent.is_empty() {
                parents.push((divisions.len(), parent.to_string(), no + 1));
            }
            divisions.push(Division { code: code.to_string(), parent: None, level, name: name.to_string() });
        }
        for (i, parent, line) in parents {
            let p = *by_code
                .get(&parent)
                .ok_or(TagError::Gazetteer { line, reason: format!("unknown parent {parent}") })?;
            divisions[i].parent = Some(p);
        }
        if divisions.is_empty() {
            return Err(TagError::Gazetteer { line: 0, reason: "no divisions".into() });
        }

        let full_names: HashSet<&str> = divisions.iter().map(|d| d.name.as_str()).collect();
        let mut bearers: HashMap<&str, usize> = HashMap::default();
        for d in &divisions {
            *bearers.entry(d.name.as_str()).or_default() += 1;
        }
        let unique_townships: HashSet<usize> = divisions
            .iter()
            .enumerate()
            .filter(|(_, d)| {
                d.level == Level::Township
                    && bearers[d.name.as_str()] == 1
                    && resolvable_alone(&d.name)
                    && !ordinary.contains(d.name.as_str())
            })
            .map(|(i, _)| i)
            .collect();
        let mut index: BTreeMap<String, Vec<Pattern>> = BTreeMap::new();
        for (i, d) in divisions.iter().enumerate() {
            let ordinary_word = ordinary.contains(d.name.as_str());
            index.entry(d.name.clone()).or_default().push(Pattern::Name {
                division: i,
                strict: ordinary_word,
                ordinary: ordinary_word,
            });
            if d.level == Level::Township {
                continue;
            }
            if let Some(short) = short_form(&d.name, d.level)
                && !full_names.contains(short.as_str())
            {
                let ordinary_word = ordinary.contains(short.as_str());
                let strict = d.level == Level::County || ordinary_word;
                index.entry(short).or_default().push(Pattern::Name { division: i, strict, ordinary: ordinary_word });
            }
        }
        for (no, line) in former.lines().enumerate() {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let err = |reason: String| TagError::FormerNames { line: no + 1, reason };
            let mut cols = line.split('\t');
            let (Some(name), Some(code)) = (cols.next().map(str::trim), cols.next().map(str::trim)) else {
                return Err(err("expected name<TAB>code<TAB>note".into()));
            };
            let &division = by_code.get(code).ok_or_else(|| err(format!("{code} is not in the gazetteer")))?;
            if name.is_empty() || full_names.contains(name) {
                return Err(err(format!("{name:?} is empty or a current division's name")));
            }
            index.entry(name.to_string()).or_default().push(Pattern::Former { division });
        }
        for (w, suffix) in HOME_WORDS {
            index.entry((*w).to_string()).or_default().push(Pattern::Home { suffix });
        }
        let pattern_text: Vec<String> = index.keys().cloned().collect();
        let patterns: Vec<Vec<Pattern>> = index.into_values().collect();
        let names = NameIndex::new(&pattern_text);
        let mut townships_of: HashMap<usize, Vec<usize>> = HashMap::default();
        for (i, d) in divisions.iter().enumerate() {
            if let (Level::Township, Some(p)) = (d.level, d.parent) {
                townships_of.entry(p).or_default().push(i);
            }
        }
        let organisation_words =
            AhoCorasick::new(ORGANISATION_WORDS).map_err(|e| TagError::Gazetteer { line: 0, reason: e.to_string() })?;
        let home_words = AhoCorasick::new(HOME_WORDS.iter().map(|(w, _)| w))
            .map_err(|e| TagError::Gazetteer { line: 0, reason: e.to_string() })?;
        Ok(Gazetteer {
            divisions,
            townships_of,
            by_code,
            names,
            patterns,
            pattern_text,
            organisation_words,
            unique_townships,
            home_words,
        })
    }

    /// Number of divisions.
    pub fn len(&self) -> usize {
        self.divisions.len()
    }

    /// Whether the gazetteer is empty (never, once parsed).
    pub fn is_empty(&self) -> bool {
        self.divisions.is_empty()
    }

    /// Looks a division up by code.
    pub fn get(&self, code: &str) -> Option<&Division> {
        self.by_code.get(code).map(|&i| &self.divisions[i])
    }

    /// The divisions nearest an unknown code, for "did you mean": those of
    /// the same length in the deepest division the code would fall in (its
    /// province's, city's or county's leading digits), the closest in number
    /// first, at most `n`.
    pub fn nearest(&self, code: &str, n: usize) -> Vec<&Division> {
        let shared = |d: &Division| d.code.bytes().zip(code.bytes()).take_while(|(a, b)| a == b).count();
        let same_length = || self.divisions.iter().filter(|d| d.code.len() == code.len());
        let best = same_length().map(shared).max().unwrap_or(0);
        // Back to a level's boundary (province 2, city 4, county 6 digits):
        // 140822 shares five digits with 闻喜县 140823, but all of 运城市 1408
        // are as near.
        let Some(best) = [9, 6, 4, 2].into_iter().find(|&level| level <= best) else { return Vec::new() };
        let number = |c: &str| c.parse::<i64>().unwrap_or(0);
        let target = number(code);
        let mut near: Vec<&Division> = same_length().filter(|d| shared(d) >= best).collect();
        near.sort_by_key(|d| ((number(&d.code) - target).abs(), d.code.clone()));
        near.truncate(n);
        near
    }

    /// Every division's name, to add to jieba's dictionary so place names
    /// come out as one token (闻喜县, 后宫乡).
    pub fn dictionary_names(&self) -> impl Iterator<Item = &str> {
        self.divisions.iter().map(|d| d.name.as_str())
    }

    /// Indices from the province down to `i`.
    fn lineage(&self, i: usize) -> Vec<usize> {
        let mut out = vec![i];
        let mut cur = i;
        while let Some(p) = self.divisions[cur].parent {
            out.push(p);
            cur = p;
        }
        out.reverse();
        out
    }

    /// Finds the regions of an article. Offsets in the evidence are character
    /// offsets in `head + "\n" + dateline + "\n" + body`.
    pub fn tag(&self, head: &str, dateline: &str, lead: &str, body: &str, home: Option<&Home>) -> Vec<Region> {
        self.regions(&self.read(head, dateline, lead, body), home)
    }

    /// Reads an article: finds every name in it, with its place and the
    /// weight its context gives it. This is the costly part of tagging, and
    /// it does not depend on the home region, so an article read once can
    /// have its regions decided with one home region and then another
    /// ([`Gazetteer::regions`]).
    pub fn read(&self, head: &str, dateline: &str, lead: &str, body: &str) -> Reading {
        let text = format!("{head}\n{dateline}\n{body}");
        let head_end = head.len();
        let dateline_end = head_end + 1 + dateline.len();
        let lead_end = dateline_end + 1 + lead.len();
        // Char offsets of the matches, counted on from the last one (they come in order).
        let mut counted = (0, 0);
        let mut char_offset = |b: usize| {
            counted = (b, counted.1 + text[counted.0..b].chars().count());
            counted.1
        };
        let names = self
            .names
            .find_iter(&text)
            .map(|m| Named {
                pattern: m.id,
                start: m.start,
                end: m.end,
                char_start: char_offset(m.start),
                factor: self.context_factor(&text, m.start, m.end),
            })
            .collect();
        Reading { text, head_end, dateline_end, lead_end, names }
    }

    /// The regions of an article read by [`Gazetteer::read`], with `home`
    /// resolving 我县, 县委 and the home county's townships.
    pub fn regions(&self, reading: &Reading, home: Option<&Home>) -> Vec<Region> {
        let text = &reading.text;
        let home_idx = home.and_then(|h| self.by_code.get(h.code.as_str()).copied());
        let home_via = home.and_then(|h| h.via.clone());
        let home_line: HashSet<usize> = home_idx.map(|h| self.lineage(h)).unwrap_or_default().into_iter().collect();
        let section = |b: usize| reading.section(b);

        // Every match with its candidates; strict ones still to be supported.
        let mut raw: Vec<RawMatch> = Vec::new();
        for m in &reading.names {
            let pid = m.pattern;
            let start = m.char_start;
            let mut mention = Mention {
                factor: m.factor,
                start,
                end: start + self.pattern_text[pid].chars().count(),
                section: section(m.start),
                text: self.pattern_text[pid].clone(),
                via: None,
            };
            let mut candidates = Vec::new();
            for p in &self.patterns[pid] {
                match *p {
                    Pattern::Name { division, strict, ordinary } => candidates.push((division, strict, ordinary)),
                    Pattern::Former { division } => {
                        candidates.push((division, false, false));
                        mention.via = Some(Via::Former(division));
                    }
                    Pattern::Home { suffix } => {
                        if let Some(h) = home_idx.filter(|&h| self.divisions[h].name.ends_with(suffix)) {
                            candidates.push((h, false, false));
                            mention.via = home_via.clone().map(Via::Home);
                        }
                    }
                }
            }
            if !candidates.is_empty() {
                raw.push(RawMatch { candidates, mention, start: m.start, end: m.end });
            }
        }
        // Divisions named in a form that needs no support.
        let plain: HashSet<usize> =
            raw.iter().flat_map(|r| r.candidates.iter().filter(|x| !x.1).map(|x| x.0)).collect();
        let mut found: Vec<(Vec<usize>, Mention)> = Vec::new();
        for (k, r) in raw.iter().enumerate() {
            // Address context: the match right before names an ancestor (运城闻喜, 安徽和县).
            let before: Vec<usize> = match k.checked_sub(1).map(|p| &raw[p]) {
                Some(p) if p.end == r.start => p.candidates.iter().map(|x| x.0).collect(),
                _ => Vec::new(),
            };
            // A list of names (宿县、濉溪、蒙城): the names right before and after, across one 、.
            let listed: Vec<usize> = [k.checked_sub(1).map(|p| (&raw[p], r)), raw.get(k + 1).map(|n| (r, n))]
                .into_iter()
                .flatten()
                .filter(|(a, b)| &text[a.end..b.start] == LIST_SEPARATOR)
                .map(|(a, b)| if std::ptr::eq(a, r) { b } else { a })
                .flat_map(|o| o.candidates.iter().filter(|x| !x.2).map(|x| x.0))
                .collect();
            let supported = |i: usize, ordinary: bool| {
                let line = self.lineage(i);
                plain.contains(&i)
                    // An ordinary word (矿区) needs more than a province-wide home.
                    || line.iter().any(|a| {
                        home_line.contains(a) && *a != i && !(ordinary && self.divisions[*a].level == Level::Province)
                    })
                    || home_idx == Some(i)
                    || before.iter().any(|b| line.contains(b) && *b != i)
                    || (!ordinary && self.divisions[i].level == Level::County && listed.iter().any(|&o| self.siblings(i, o)))
            };
            let mut kept: Vec<usize> = r
                .candidates
                .iter()
                .filter(|(i, strict, ordinary)| !strict || supported(*i, *ordinary))
                .map(|x| x.0)
                .collect();
            // One division under two forms (沙县: short form and former name) is one candidate.
            kept.sort_unstable();
            kept.dedup();
            if !kept.is_empty() {
                found.push((kept, r.mention.clone()));
            }
        }

        // Anchors: divisions above township level named without ambiguity, and the home area.
        let mut anchors: HashSet<usize> = home_line.clone();
        for (c, _) in &found {
            if c.len() == 1 && self.divisions[c[0]].level != Level::Township {
                anchors.extend(self.lineage(c[0]));
            }
        }
        // How closely a candidate is backed: the depth of its nearest named ancestor.
        let backing = |i: usize, anchors: &HashSet<usize>| {
            let line = self.lineage(i);
            line.iter().take(line.len() - 1).rposition(|a| anchors.contains(a)).map(|d| d + 1)
        };
        // The one candidate backed most closely, if there is one.
        let pick = |c: &[usize], anchors: &HashSet<usize>| {
            let scored: Vec<(usize, usize)> = c.iter().filter_map(|&i| backing(i, anchors).map(|d| (i, d))).collect();
            let best = scored.iter().map(|s| s.1).max()?;
            let top: Vec<usize> = scored.iter().filter(|s| s.1 == best).map(|s| s.0).collect();
            (top.len() == 1).then(|| top[0])
        };

        let mut accepted: BTreeMap<usize, Vec<Mention>> = BTreeMap::new();
        let mut townships: Vec<(Vec<usize>, Mention)> = Vec::new();
        for (c, m) in found {
            if c.iter().all(|&i| self.divisions[i].level == Level::Township) {
                townships.push((c, m));
                continue;
            }
            let chosen = if c.len() == 1 { Some(c[0]) } else { pick(&c, &anchors).or_else(|| self.broadest(&c)) };
            if let Some(i) = chosen {
                accepted.entry(i).or_default().push(m);
            }
        }
        // Townships need their county or city named (or to be at home).
        let mut named: HashSet<usize> = home_line;
        for &i in accepted.keys() {
            named.extend(self.lineage(i));
        }
        for (c, mut m) in townships {
            if let Some(i) = pick(&c, &named) {
                accepted.entry(i).or_default().push(m);
            } else if let [i] = c[..]
                && self.unique_townships.contains(&i)
            {
                m.factor *= FACTOR_UNIQUE_TOWNSHIP;
                m.via = Some(Via::UniqueTownship);
                accepted.entry(i).or_default().push(m);
            }
        }

        // Township names written one character off (后官乡 for 后宫乡), inside a named county.
        let counties: Vec<usize> =
            accepted.keys().copied().chain(home_idx).filter(|&i| self.divisions[i].level == Level::County).collect();
        let taken: Vec<(usize, usize)> = raw.iter().map(|r| (r.mention.start, r.mention.end)).collect();
        for (i, m) in self.variant_townships(text, &counties, &taken, &section) {
            accepted.entry(i).or_default().push(m);
        }

        let weight_of = |mentions: &[Mention]| {
            mentions
                .iter()
                .map(|m| {
                    m.factor
                        * match m.section {
                            Section::Head => WEIGHT_HEAD,
                            Section::Dateline => WEIGHT_DATELINE,
                            Section::Lead => WEIGHT_LEAD,
                            Section::Body => WEIGHT_BODY,
                        }
                })
                .sum::<f64>()
        };
        let weights: BTreeMap<usize, f64> = accepted.iter().map(|(&i, m)| (i, weight_of(m))).collect();
        // Parents are implied by their children's paths. A parent stands as a
        // region of its own only when it weighs more than its named children
        // together (闻喜县 in the headline over a list of its townships).
        let mut below: BTreeMap<usize, f64> = BTreeMap::new();
        for (&i, &w) in &weights {
            for a in self.lineage(i).into_iter().rev().skip(1) {
                *below.entry(a).or_default() += w;
            }
        }
        let mut regions: Vec<Region> = accepted
            .into_iter()
            .filter(|(i, _)| below.get(i).is_none_or(|&b| weights[i] > b))
            .map(|(i, mentions)| {
                let d = &self.divisions[i];
                Region {
                    code: d.code.clone(),
                    name: d.name.clone(),
                    level: d.level.as_str().to_string(),
                    path: self.lineage(i).into_iter().map(|a| self.divisions[a].name.clone()).collect(),
                    weight: (weights[&i] * 100.0).round() / 100.0,
                    evidence: mentions
                        .into_iter()
                        .take(MAX_EVIDENCE)
                        .map(|m| Evidence {
                            via: m.via.as_ref().map(|v| self.describe(v)),
                            text: m.text,
                            start: m.start,
                            end: m.end,
                        })
                        .collect(),
                }
            })
            .collect();
        regions.sort_by(|a, b| b.weight.total_cmp(&a.weight).then(a.code.cmp(&b.code)));
        regions
    }
}

/// Organisation words: a place name followed by one of them in the same
/// phrase names an organisation (厦门大学, 山西星河房地产开发有限公司).
const ORGANISATION_WORDS: &[&str] = &["大学", "学院", "公司", "集团", "银行", "研究院", "研究所"];
/// How far after a place name an organisation word is looked for, in characters.
const ORGANISATION_REACH: usize = 14;
/// Weight of a mention inside an organisation's name.
const FACTOR_ORGANISATION: f64 = 0.3;
/// Weight of a historical mention (今永济市人).
const FACTOR_HISTORICAL: f64 = 0.5;
/// Weight of a township written one character off.
const FACTOR_VARIANT: f64 = 0.5;
/// Weight of a township named without its county or city, whose name no other
/// division in the country bears: likely it, but a reader would want the county.
const FACTOR_UNIQUE_TOWNSHIP: f64 = 0.5;
/// Shortest stem (the name without 镇, 乡 or 街道) of a township resolved on
/// its uniqueness alone: one-character stems (西街道) are parts of longer
/// names and phrases.
const UNIQUE_TOWNSHIP_MIN_STEM: usize = 2;
/// Township suffixes, longest first.
const TOWNSHIP_SUFFIXES: &[&str] = &["街道", "镇", "乡"];
/// A unique township whose stem ends in one of these is read as a phrase, not
/// a name: 分乡镇 is 部分乡镇 (所有乡镇, 各村镇) far more often than the town.
const GENERIC_STEM_ENDS: &[char] = &['乡', '镇', '村', '街', '区', '县', '市'];

/// Whether a township's name can stand for it without its county: a stem
/// long enough, not ending like a generic word.
fn resolvable_alone(name: &str) -> bool {
    let stem = TOWNSHIP_SUFFIXES.iter().find_map(|s| name.strip_suffix(s)).unwrap_or(name);
    stem.chars().count() >= UNIQUE_TOWNSHIP_MIN_STEM && !stem.ends_with(GENERIC_STEM_ENDS)
}
/// Words after a place name that make it a paper's name (焦作日报, 浮山报).
const PAPER_WORDS: &[&str] = &["日报", "晚报", "报", "新闻", "融媒", "手机报"];
/// The word before a place name that makes it a county paper's name (今日浮山).
const PAPER_BEFORE: &str = "今日";
/// What separates the names of a list (宿县、濉溪、蒙城).
const LIST_SEPARATOR: &str = "、";

impl Gazetteer {
    /// The weight factor the context gives a match at bytes `start..end` of `text`.
    fn context_factor(&self, text: &str, start: usize, end: usize) -> f64 {
        if text[..start].ends_with('今') {
            return FACTOR_HISTORICAL;
        }
        let after = &text[end..];
        let phrase_end = after
            .char_indices()
            .take_while(|(_, c)| crate::core::text::is_cjk(*c) || c.is_ascii_alphanumeric())
            .take(ORGANISATION_REACH)
            .last()
            .map_or(0, |(i, c)| i + c.len_utf8());
        if self.organisation_words.is_match(&after[..phrase_end]) {
            return FACTOR_ORGANISATION;
        }
        1.0
    }

    /// Townships of `counties` written with one character changed (not the
    /// suffix 乡/镇/街道), at places no other name was matched.
    fn variant_townships(
        &self,
        text: &str,
        counties: &[usize],
        taken: &[(usize, usize)],
        section: &dyn Fn(usize) -> Section,
    ) -> Vec<(usize, Mention)> {
        let townships = |county: &usize| self.townships_of.get(county).map(Vec::as_slice).unwrap_or(&[]);
        // A variant keeps the suffix: windows can only end where its last
        // character is, one of a few (乡, 镇, 道).
        let mut lasts: Vec<char> =
            counties.iter().flat_map(townships).filter_map(|&t| self.divisions[t].name.chars().last()).collect();
        lasts.sort_unstable();
        lasts.dedup();
        if lasts.is_empty() {
            return Vec::new();
        }
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        let mut ends_with: Vec<Vec<usize>> = vec![Vec::new(); lasts.len()];
        for (k, &(_, c)) in chars.iter().enumerate() {
            if let Some(i) = lasts.iter().position(|&l| l == c) {
                ends_with[i].push(k);
            }
        }
        let mut out = Vec::new();
        for county in counties {
            for &t in townships(county) {
                let name: Vec<char> = self.divisions[t].name.chars().collect();
                let suffix = if self.divisions[t].name.ends_with("街道") { 2 } else { 1 };
                if name.len() < suffix + 2 {
                    continue;
                }
                let last = name[name.len() - 1];
                let ends = lasts.iter().position(|&l| l == last).map_or(&[][..], |i| &ends_with[i]);
                for w in ends.iter().filter_map(|&e| (e + 1).checked_sub(name.len())) {
                    let window = &chars[w..w + name.len()];
                    let diffs = window.iter().zip(&name).filter(|((_, a), b)| a != *b).count();
                    let suffix_same = window[name.len() - suffix..]
                        .iter()
                        .zip(&name[name.len() - suffix..])
                        .all(|((_, a), b)| a == b);
                    if diffs != 1 || !suffix_same {
                        continue;
                    }
                    let (start, end) = (w, w + name.len());
                    if taken.iter().any(|&(s, e)| s < end && start < e) {
                        continue;
                    }
                    let written: String = window.iter().map(|(_, c)| *c).collect();
                    out.push((
                        t,
                        Mention {
                            factor: FACTOR_VARIANT,
                            start,
                            end,
                            section: section(window[0].0),
                            text: written,
                            via: None,
                        },
                    ));
                }
            }
        }
        out
    }

    /// Whether `text` holds a word that stands for the home region (我县, 县委 …).
    pub fn mentions_home_word(&self, text: &str) -> bool {
        self.home_words.is_match(text)
    }

    /// The county or city whose paper `line` (a header or furniture line)
    /// names (`今日浮山`, `焦作日报`, `浮山报`, `A1:清徐*要闻`), with the name
    /// as written: a name of one county or city only, directly after 今日,
    /// before a paper word, or standing apart between characters that are
    /// not ideographs.
    pub fn paper_name(&self, line: &str) -> Option<(RegionCode, String)> {
        for m in self.names.find_iter(line) {
            let mut divisions = self.patterns[m.id].iter().filter_map(|p| match *p {
                Pattern::Name { division, .. } | Pattern::Former { division }
                    if matches!(self.divisions[division].level, Level::City | Level::County) =>
                {
                    Some(division)
                }
                _ => None,
            });
            let (Some(i), None) = (divisions.next(), divisions.next()) else { continue };
            let name = &line[m.start..m.end];
            let written = if line[..m.start].ends_with(PAPER_BEFORE) {
                format!("{PAPER_BEFORE}{name}")
            } else if let Some(word) = PAPER_WORDS.iter().find(|w| line[m.end..].starts_with(*w)) {
                format!("{name}{word}")
            } else if !line[..m.start].chars().next_back().is_some_and(crate::core::text::is_cjk)
                && !line[m.end..].chars().next().is_some_and(crate::core::text::is_cjk)
            {
                // A name standing apart in a header line: `A1:清徐*要闻`.
                name.to_string()
            } else {
                continue;
            };
            return RegionCode::parse(&self.divisions[i].code).ok().map(|c| (c, written));
        }
        None
    }

    /// Whether two divisions are in the same province (and are not the same).
    fn siblings(&self, a: usize, b: usize) -> bool {
        a != b && self.lineage(a).first() == self.lineage(b).first()
    }

    /// The evidence note for a mention that counts through `via`.
    fn describe(&self, via: &Via) -> String {
        match via {
            Via::Former(i) => format!("former name of {}", self.divisions[*i].name),
            Via::UniqueTownship => "township name no other division bears".to_string(),
            Via::Home(how) => format!("home region {how}"),
        }
    }

    /// Among same-named divisions none of whose parents is named, the one
    /// province or city that outranks the others (河北 the province, not 河北区).
    fn broadest(&self, c: &[usize]) -> Option<usize> {
        let top = c.iter().map(|&i| self.divisions[i].level).min()?;
        let at_top: Vec<usize> = c.iter().copied().filter(|&i| self.divisions[i].level == top).collect();
        (at_top.len() == 1 && top <= Level::City).then(|| at_top[0])
    }
}

/// The common short form of a division's name (闻喜县 → 闻喜, 广西壮族自治区 → 广西).
fn short_form(name: &str, level: Level) -> Option<String> {
    let stem = if let Some(pos) = name.find("自治") {
        let before = &name[..pos];
        let cut = ETHNIC.iter().filter_map(|e| before.find(e)).min().unwrap_or(before.len());
        name[..cut].to_string()
    } else {
        let suffixes: &[&str] = match level {
            Level::Province => &["特别行政区", "省", "市"],
            Level::City => &["地区", "市", "盟"],
            Level::County => &["县", "市", "区", "旗", "特区", "林区"],
            Level::Township => &[],
        };
        let s = suffixes.iter().find_map(|s| name.strip_suffix(s))?;
        s.to_string()
    };
    (stem.chars().count() >= 2 && stem != name).then_some(stem)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: &str = "140000\t\tprovince\t山西省
140800\t140000\tcity\t运城市
140802\t140800\tcounty\t盐湖区
140823\t140800\tcounty\t闻喜县
140823204\t140823\ttownship\t后宫乡
140823100\t140823\ttownship\t城关镇
140500\t140000\tcity\t晋城市
140502\t140500\tcounty\t城区
140300\t140000\tcity\t阳泉市
140302\t140300\tcounty\t城区
140303\t140300\tcounty\t矿区
230000\t\tprovince\t黑龙江省
230100\t230000\tcity\t哈尔滨市
230124\t230100\tcounty\t方正县
230124100\t230124\ttownship\t城关镇
350000\t\tprovince\t福建省
350200\t350000\tcity\t厦门市
350400\t350000\tcity\t三明市
350405\t350400\tcounty\t沙县区
340000\t\tprovince\t安徽省
340600\t340000\tcity\t淮北市
340621\t340600\tcounty\t濉溪县
341300\t340000\tcity\t宿州市
341302\t341300\tcounty\t埇桥区
341600\t340000\tcity\t亳州市
341622\t341600\tcounty\t蒙城县
370000\t\tprovince\t山东省
370800\t370000\tcity\t济宁市
370811\t370800\tcounty\t任城区
370811014\t370811\ttownship\t越河街道
420000\t\tprovince\t湖北省
420500\t420000\tcity\t宜昌市
420506\t420500\tcounty\t夷陵区
420506103\t420506\ttownship\t分乡镇
";
    const FORMER: &str = "# former names\n沙县\t350405\t沙县区\n宿县\t341302\t埇桥区\n";

    fn gaz() -> Gazetteer {
        Gazetteer::parse(SMALL, "# words\n方正\n", FORMER).unwrap()
    }

    fn codes(r: &[Region]) -> Vec<&str> {
        r.iter().map(|r| r.code.as_str()).collect()
    }

    #[test]
    fn an_unknown_code_gets_its_nearest_divisions() {
        let g = gaz();
        let near = |c: &str| g.nearest(c, 2).iter().map(|d| d.code.clone()).collect::<Vec<_>>();
        assert_eq!(near("140822"), ["140823", "140802"]);
        assert_eq!(near("140823999"), ["140823204", "140823100"]);
        assert!(near("999999").is_empty(), "no province shares its digits");
    }

    #[test]
    fn full_and_short_names_match_on_raw_text() {
        let g = gaz();
        let r = g.tag("十五届闻喜县委开展巡察", "", "", "闻喜的干部。", None);
        assert_eq!(codes(&r), vec!["140823"]);
        assert_eq!(r[0].path, vec!["山西省", "运城市", "闻喜县"]);
        assert_eq!(r[0].evidence[0].text, "闻喜县");
        assert_eq!(r[0].weight, WEIGHT_HEAD + WEIGHT_BODY);
    }

    #[test]
    fn shared_names_need_a_named_parent() {
        let g = gaz();
        assert!(g.tag("", "", "", "城区的道路变宽了。", None).is_empty());
        assert_eq!(codes(&g.tag("", "", "", "晋城市城区的道路变宽了。", None)), vec!["140502"]);
    }

    #[test]
    fn townships_need_their_county_or_home() {
        let g = gaz();
        assert!(g.tag("", "", "", "城关镇召开会议。", None).is_empty());
        assert_eq!(codes(&g.tag("", "", "", "方正县城关镇召开会议。", None)), vec!["230124100"]);
        let home = Home::given(RegionCode::parse("140823").unwrap());
        assert_eq!(codes(&g.tag("", "", "", "后宫乡召开会议。", Some(&home))), vec!["140823204"]);
    }

    #[test]
    fn ordinary_words_are_not_short_forms() {
        let g = gaz();
        assert!(g.tag("", "", "", "他为人方正。", None).is_empty());
        assert_eq!(codes(&g.tag("", "", "", "方正县医院。", None)), vec!["230124"]);
        assert_eq!(codes(&g.tag("", "", "", "哈尔滨方正的医院。", None)), vec!["230124"]);
    }

    #[test]
    fn parents_stand_alone_only_when_they_outweigh_their_children() {
        let g = gaz();
        // 运城市 only prefixes the county: implied by 闻喜县's path.
        assert_eq!(codes(&g.tag("", "", "", "运城市闻喜县召开会议。", None)), vec!["140823"]);
        // The headline county outweighs the one township named in the body.
        let r = g.tag("闻喜县开展巡察", "", "", "对后宫乡开展巡察。", None);
        assert_eq!(codes(&r), vec!["140823", "140823204"]);
        // A township named as often as its county replaces it.
        assert_eq!(codes(&g.tag("", "", "", "闻喜县后宫乡召开会议。", None)), vec!["140823204"]);
    }

    #[test]
    fn a_township_spelt_one_character_off_counts_inside_its_county() {
        let g = gaz();
        let r = g.tag("", "", "", "闻喜县巡察组进驻后官乡。", None);
        assert_eq!(codes(&r), vec!["140823", "140823204"]);
        assert_eq!(r[1].evidence[0].text, "后官乡");
        assert_eq!(r[1].weight, FACTOR_VARIANT * WEIGHT_BODY, "lower confidence than an exact name");
        assert!(g.tag("", "", "", "巡察组进驻后官乡。", None).is_empty(), "not without its county");
        assert!(
            g.tag("", "", "", "闻喜县巡察组进驻后宫镇。", None).iter().all(|r| r.level != "township"),
            "the suffix must match"
        );
    }

    #[test]
    fn names_inside_organisations_and_history_weigh_less() {
        let g = gaz();
        let r = g.tag("", "", "", "会议在厦门大学举办。", None);
        assert_eq!(codes(&r), vec!["350200"]);
        assert_eq!(r[0].weight, FACTOR_ORGANISATION * WEIGHT_BODY);
        let r = g.tag("", "", "", "社区联合山西星河房地产开发有限公司开展活动。", None);
        assert_eq!(r[0].weight, FACTOR_ORGANISATION * WEIGHT_BODY);
        let r = g.tag("", "", "", "李钦叔(名献能,今闻喜县人)。", None);
        assert_eq!((r[0].code.as_str(), r[0].weight), ("140823", FACTOR_HISTORICAL * WEIGHT_BODY));
        let r = g.tag("", "", "", "闻喜县召开会议。", None);
        assert_eq!(r[0].weight, WEIGHT_BODY, "a plain mention counts fully");
    }

    #[test]
    fn county_short_forms_need_support() {
        let g = gaz();
        assert!(g.tag("", "", "", "闻喜的干部。", None).is_empty());
        assert_eq!(codes(&g.tag("", "", "", "运城闻喜的干部。", None)), vec!["140823"]);
        let home = Home::given(RegionCode::parse("140800").unwrap());
        assert_eq!(codes(&g.tag("", "", "", "闻喜的干部。", Some(&home))), vec!["140823"]);
    }

    #[test]
    fn home_words_resolve_to_the_home_region() {
        let g = gaz();
        let home = Home::given(RegionCode::parse("140823").unwrap());
        assert_eq!(codes(&g.tag("", "", "", "坚决服从县委安排部署。", Some(&home))), vec!["140823"]);
        assert!(g.tag("", "", "", "坚决服从县委安排部署。", None).is_empty());
        let city = Home::given(RegionCode::parse("140800").unwrap());
        assert!(g.tag("", "", "", "坚决服从县委安排部署。", Some(&city)).is_empty());
    }

    #[test]
    fn former_names_count_for_the_current_division() {
        let g = gaz();
        let r = g.tag("", "", "", "沙县的小吃师傅走向全国。", None);
        assert_eq!(codes(&r), vec!["350405"]);
        assert_eq!(r[0].evidence[0].text, "沙县");
        assert_eq!(r[0].evidence[0].via.as_deref(), Some("former name of 沙县区"));
        assert_eq!(r[0].weight, WEIGHT_BODY, "a former name is a plain mention");
    }

    #[test]
    fn a_township_no_other_division_bears_resolves_alone_at_lower_weight() {
        let g = gaz();
        let r = g.tag("", "", "", "越河街道兴隆社区居民清理垃圾。", None);
        assert_eq!(codes(&r), vec!["370811014"]);
        assert_eq!(r[0].path, vec!["山东省", "济宁市", "任城区", "越河街道"]);
        assert_eq!(r[0].weight, FACTOR_UNIQUE_TOWNSHIP * WEIGHT_BODY);
        assert_eq!(r[0].evidence[0].via.as_deref(), Some("township name no other division bears"));
        assert!(g.tag("", "", "", "城关镇召开会议。", None).is_empty(), "a name two townships bear stays unresolved");
        let r = g.tag("", "", "", "任城区越河街道召开会议。", None);
        assert_eq!(r[0].weight, WEIGHT_BODY, "with its county named it counts fully");
        assert_eq!(r[0].evidence[0].via, None);
    }

    #[test]
    fn county_short_forms_listed_with_a_sibling_support_each_other() {
        let g = gaz();
        let r = g.tag("", "", "", "发现了跨越宿县、濉溪、蒙城三县的煤田。", None);
        let mut c = codes(&r);
        c.sort_unstable();
        assert_eq!(c, vec!["340621", "341302", "341622"]);
        assert!(g.tag("", "", "", "濉溪的煤田。", None).is_empty(), "alone it still needs support");
        assert!(g.tag("", "", "", "濉溪和蒙城的煤田。", None).is_empty(), "only a list separated by 、");
        assert!(g.tag("", "", "", "方正、濉溪的干部。", None).is_empty(), "different provinces, an ordinary word");
    }

    #[test]
    fn offices_of_the_home_county_stand_for_it() {
        let g = gaz();
        let home = Home::given(RegionCode::parse("140823").unwrap());
        for text in ["副县长出席开幕式。", "县直机关干部职工篮球赛开赛。", "县人大常委会副主任出席。"]
        {
            assert_eq!(codes(&g.tag("", "", "", text, Some(&home))), vec!["140823"], "{text}");
        }
        assert!(g.tag("", "", "", "城市长远发展。", Some(&home)).is_empty());
    }

    #[test]
    fn a_home_region_the_page_showed_is_said_in_the_evidence() {
        let g = gaz();
        let home = Home {
            code: RegionCode::parse("140823").unwrap(),
            via: Some("inferred from the paper name 今日闻喜 on the page".into()),
        };
        let r = g.tag("", "", "", "我县召开会议。", Some(&home));
        assert_eq!(
            r[0].evidence[0].via.as_deref(),
            Some("home region inferred from the paper name 今日闻喜 on the page")
        );
    }

    #[test]
    fn paper_names_on_the_page_name_their_county_or_city() {
        let g = gaz();
        let found = |line: &str| g.paper_name(line).map(|(c, w)| (c.as_str().to_string(), w));
        assert_eq!(found("今日闻喜  2024年5月6日"), Some(("140823".into(), "今日闻喜".into())));
        assert_eq!(found("运城日报 第3版"), Some(("140800".into(), "运城日报".into())));
        assert_eq!(found("闻喜报"), Some(("140823".into(), "闻喜报".into())));
        assert_eq!(found("A1:闻喜*要闻总第2472期"), Some(("140823".into(), "闻喜".into())));
        assert_eq!(found("闻喜县召开会议"), None);
        assert_eq!(found("山西日报"), None, "a province has no home words");
    }

    #[test]
    fn an_ordinary_word_needs_more_than_a_province_wide_home() {
        let g = Gazetteer::parse(SMALL, "矿区\n", "").unwrap();
        let province = Home::given(RegionCode::parse("140000").unwrap());
        assert!(g.tag("", "", "", "将这里从工业矿区打造成生态保护区。", Some(&province)).is_empty());
        let city = Home::given(RegionCode::parse("140300").unwrap());
        assert_eq!(codes(&g.tag("", "", "", "矿区召开会议。", Some(&city))), vec!["140303"]);
        assert!(g.tag("", "", "", "部分乡镇召开会议。", None).is_empty());
        assert!(resolvable_alone("越河街道") && resolvable_alone("晋熙镇"));
        assert!(!resolvable_alone("分乡镇") && !resolvable_alone("西街道"));
    }

    #[test]
    fn former_names_of_unknown_codes_are_refused() {
        let err = Gazetteer::parse(SMALL, "", "# c\n旧县\t999999\tx\n").err().unwrap();
        assert!(err.to_string().contains("line 2") && err.to_string().contains("999999"), "{err}");
        assert!(Gazetteer::parse(SMALL, "", "闻喜县\t140823\tx\n").is_err(), "a current name is no former name");
    }

    #[test]
    fn malformed_rows_name_their_line() {
        let err = Gazetteer::parse("# c\n140000\t\tprovince\n", "", "").err().unwrap();
        assert!(err.to_string().contains("line 2"), "{err}");
        assert!(Gazetteer::parse("140800\t149999\tcity\t运城市\n", "", "").is_err());
    }
}
