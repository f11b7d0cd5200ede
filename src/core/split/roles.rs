//! Roles: every line of the page gets one — furniture, column label,
//! kicker, title, subtitle, byline, dateline, body, subhead, caption,
//! credit, brief or jump — and whether it goes on with the element begun on
//! a line above (the second line of a headline, the rest of a paragraph).
//!
//! The labeler is a linear-chain model: each line's features score every
//! label (weights learned from labelled pages, `config/line_roles.model`),
//! transitions score each label after each other one, and Viterbi finds the
//! best labelling of the whole page at once. The hand rules on top are
//! exact: a `（下转第8版）` / `（上接第7版）` line is a jump, an issue date with
//! its weekday or a line of web chrome is furniture, and a line opening with
//! a bullet goes on with nothing above.

use super::cues::{Cue, Cues};
use super::features::{FeatureSet, LineFeatures};
use super::model::LineModel;

/// What a line is on the printed page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    /// Page header or footer, editors' line, navigation, web chrome.
    Furniture,
    /// `（下转第8版）` / `（上接第7版）`: the article goes on on another page.
    Jump,
    /// A standing column label (`廉洁史话`, `工匠绝活`).
    Column,
    /// The line above the headline (引题).
    Kicker,
    /// The headline.
    Title,
    /// The line under the headline (副题).
    Subtitle,
    /// Who wrote it: `本报记者 张三`, `王  博`, `（张三参与采写）`.
    Byline,
    /// A paragraph opening with a dateline: `本报讯（记者 张三）近日，…`.
    Dateline,
    /// A paragraph of the article's text.
    Body,
    /// A heading inside the text.
    Subhead,
    /// What a picture shows.
    Caption,
    /// Who took or supplied a picture: `张三 摄`, `受访者供图`.
    Credit,
    /// A news-in-brief item opening with a bullet: `◆我市召开…`.
    Brief,
}

impl Role {
    /// The role's name in `--explain`, the page record and the model file.
    pub fn name(self) -> &'static str {
        match self {
            Role::Furniture => "furniture",
            Role::Jump => "jump",
            Role::Column => "column",
            Role::Kicker => "kicker",
            Role::Title => "title",
            Role::Subtitle => "subtitle",
            Role::Byline => "byline",
            Role::Dateline => "dateline",
            Role::Body => "body",
            Role::Subhead => "subhead",
            Role::Caption => "caption",
            Role::Credit => "credit",
            Role::Brief => "brief",
        }
    }

    /// Whether a paragraph of article text begins with a line of this role
    /// (the line that goes on with it is `body+` for all three).
    pub fn is_text(self) -> bool {
        matches!(self, Role::Body | Role::Dateline | Role::Brief)
    }
}

/// A line's role, and whether it goes on with an element begun above.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Label {
    /// The role.
    pub role: Role,
    /// The line continues the element (headline, paragraph, caption …) of a
    /// line above instead of starting one.
    pub continues: bool,
}

const fn start(role: Role) -> Label {
    Label { role, continues: false }
}

const fn more(role: Role) -> Label {
    Label { role, continues: true }
}

/// The labels the labeler chooses from, in the model's order.
pub const LABELS: &[Label] = &[
    start(Role::Furniture),
    start(Role::Jump),
    start(Role::Column),
    more(Role::Column),
    start(Role::Kicker),
    more(Role::Kicker),
    start(Role::Title),
    more(Role::Title),
    start(Role::Subtitle),
    more(Role::Subtitle),
    start(Role::Byline),
    more(Role::Byline),
    start(Role::Dateline),
    start(Role::Body),
    more(Role::Body),
    start(Role::Subhead),
    more(Role::Subhead),
    start(Role::Caption),
    more(Role::Caption),
    start(Role::Credit),
    start(Role::Brief),
];

impl Label {
    /// `title`, `title+`, `body+` …
    pub fn name(self) -> String {
        format!("{}{}", self.role.name(), if self.continues { "+" } else { "" })
    }

    /// The label with this name.
    pub fn parse(name: &str) -> Option<Label> {
        LABELS.iter().copied().find(|l| l.name() == name)
    }

    /// Index in [`LABELS`].
    pub fn index(self) -> usize {
        LABELS.iter().position(|l| *l == self).expect("every label is in LABELS")
    }
}

/// Why a line got its label: its score, the runner-up, and the features
/// that weighed most for it over the runner-up.
#[derive(Debug, Clone, PartialEq)]
pub struct Reason {
    /// The label's score from the line's features (transitions not included).
    pub score: f32,
    /// The best other label on the line's features alone, and its score.
    pub runner_up: (Label, f32),
    /// Features with the largest weight for the label over the runner-up, strongest first.
    pub features: Vec<(String, f32)>,
    /// Set when a hand rule, not the model, decided the line.
    pub rule: Option<&'static str>,
}

/// How many features `--explain` names for a line.
const EXPLAINED_FEATURES: usize = 4;

/// The best labelling of the page's lines: one label a line.
pub fn label(features: &LineFeatures, cues: &[Cues], model: &LineModel) -> Vec<Label> {
    let emissions = emissions(features, cues, model);
    viterbi(&emissions, model, features.page).into_iter().map(|k| LABELS[k]).collect()
}

/// The labels and, for each line, why (for `--explain`).
pub fn label_explained(features: &LineFeatures, cues: &[Cues], model: &LineModel) -> Vec<(Label, Reason)> {
    let emissions = emissions(features, cues, model);
    let best = viterbi(&emissions, model, features.page);
    let fs = FeatureSet::get();
    let l = LABELS.len();
    best.into_iter()
        .enumerate()
        .map(|(i, k)| {
            let row = &emissions[i * l..(i + 1) * l];
            let rule = forced(cues[i]).map(|(_, why)| why);
            let (ru, rs) = (0..l)
                .filter(|j| *j != k)
                .map(|j| (j, row[j]))
                .max_by(|a, b| a.1.total_cmp(&b.1))
                .unwrap_or((k, row[k]));
            let mut why: Vec<(String, f32)> = features
                .of(i)
                .iter()
                .map(|&f| (fs.name(f as usize), model.weight(f as usize, k) - model.weight(f as usize, ru)))
                .filter(|(_, w)| *w > 0.0)
                .collect();
            why.sort_by(|a, b| b.1.total_cmp(&a.1));
            why.truncate(EXPLAINED_FEATURES);
            (LABELS[k], Reason { score: row[k], runner_up: (LABELS[ru], rs), features: why, rule })
        })
        .collect()
}

/// The label an exact hand rule gives a line, if any: a jump line is a
/// jump; a page header of an issue date with the weekday or page number, or
/// a line of web chrome (`config/layout_cues.toml`), with nothing that reads
/// as a sentence, is furniture.
fn forced(cues: Cues) -> Option<(usize, &'static str)> {
    if cues.has(Cue::JumpIn) || cues.has(Cue::JumpOut) {
        return Some((start(Role::Jump).index(), "a page jump line"));
    }
    let prose = cues.has(Cue::EndsSentence) || cues.has(Cue::InnerStop) || cues.has(Cue::EndsComma);
    let furniture = start(Role::Furniture).index();
    if prose {
        return None;
    }
    if cues.has(Cue::DateOnly) || (cues.has(Cue::IssueDate) && (cues.has(Cue::Weekday) || cues.has(Cue::PageNumber))) {
        return Some((furniture, "an issue date with its weekday or page"));
    }
    cues.has(Cue::ChromeMostly).then_some((furniture, "web chrome"))
}

/// Per line and label: the score of the line's features (lines × labels),
/// with the labels a hand rule rules out at minus infinity.
pub(crate) fn emissions(features: &LineFeatures, cues: &[Cues], model: &LineModel) -> Vec<f32> {
    let l = LABELS.len();
    let mut out = vec![0.0f32; features.len() * l];
    for i in 0..features.len() {
        let row = &mut out[i * l..(i + 1) * l];
        model.score(features.of(i), row);
        if let Some((k, _)) = forced(cues[i]) {
            // An exact rule: the other labels are out of the question.
            for (j, s) in row.iter_mut().enumerate() {
                if j != k {
                    *s = f32::NEG_INFINITY;
                }
            }
        }
        if cues[i].has(Cue::Bullet) {
            // A bullet opens an item: the line goes on with nothing above.
            for (s, label) in row.iter_mut().zip(LABELS) {
                if label.continues {
                    *s = f32::NEG_INFINITY;
                }
            }
        }
    }
    out
}

/// Viterbi over the page: the label sequence with the best total of
/// emissions and the transitions of the page's kind.
pub(crate) fn viterbi(emissions: &[f32], model: &LineModel, page: usize) -> Vec<usize> {
    let l = LABELS.len();
    let n = emissions.len() / l;
    if n == 0 {
        return Vec::new();
    }
    let mut score = vec![0.0f32; l];
    let mut back = vec![0u8; n * l];
    for (j, s) in score.iter_mut().enumerate() {
        *s = model.start(page, j) + emissions[j];
    }
    // The page kind's transitions into each label, one contiguous column
    // per label, so that the inner loop runs over two slices.
    let into: Vec<f32> =
        (0..l).flat_map(|j| (0..l).map(move |k| (k, j))).map(|(k, j)| model.transition(page, k, j)).collect();
    let mut next = vec![0.0f32; l];
    for (row, back) in emissions.chunks_exact(l).zip(back.chunks_exact_mut(l)).skip(1) {
        for (j, ((nx, e), b)) in next.iter_mut().zip(row).zip(back.iter_mut()).enumerate() {
            let mut best = f32::NEG_INFINITY;
            let mut arg = 0;
            for (k, (s, t)) in score.iter().zip(&into[j * l..(j + 1) * l]).enumerate() {
                // Selects rather than branches: which label wins is not predictable.
                let v = s + t;
                let better = v > best;
                best = if better { v } else { best };
                arg = if better { k } else { arg };
            }
            *nx = best + e;
            *b = arg as u8;
        }
        std::mem::swap(&mut score, &mut next);
    }
    let mut k = (0..l).max_by(|a, b| score[*a].total_cmp(&score[*b])).unwrap_or(0);
    let mut out = vec![0; n];
    for i in (0..n).rev() {
        out[i] = k;
        k = back[i * l + k] as usize;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_have_unique_names_that_parse_back() {
        for l in LABELS {
            assert_eq!(Label::parse(&l.name()), Some(*l));
        }
        assert_eq!(Label::parse("body+"), Some(more(Role::Body)));
        assert_eq!(Label::parse("dateline+"), None);
    }

    #[test]
    fn viterbi_follows_transitions_over_weak_emissions() {
        // Two labels matter here: title (6) and title+ (7). The second line
        // leans slightly to title on its own, but title → title is very
        // unlikely and title → title+ likely.
        let mut m = LineModel::zero();
        let (t, tp) = (start(Role::Title).index(), more(Role::Title).index());
        m.set_transition(t, t, -5.0);
        m.set_transition(t, tp, 2.0);
        let l = LABELS.len();
        let mut e = vec![-10.0f32; 2 * l];
        e[t] = 3.0;
        e[l + t] = 1.0;
        e[l + tp] = 0.5;
        assert_eq!(viterbi(&e, &m, 0), vec![t, tp]);
    }
}
