//! The line labeler's weights: one weight per feature and label, one per
//! pair of labels in a row, one per label on the first line — read from the
//! model file (`config/line_roles.model`, written by
//! `scripts/train_line_roles.sh`).
//!
//! The file is text: a header naming the feature set it was trained for (a
//! model for other features is refused, not misread), the labels, the
//! transitions, then one line per feature with its non-zero weights by
//! label, so a reviewer can read what the labeler learned.

use super::features::{FeatureSet, PAGE_KINDS};
use super::roles::{LABELS, Label};

/// The embedded default model (`config/line_roles.model`).
pub const DEFAULT_LINE_MODEL: &str = include_str!("../../../config/line_roles.model");

/// First line of a model file.
const MAGIC: &str = "newsdesk-line-roles 1";
/// Weights smaller than this are left out of the model file: they change no
/// decision (the labels' scores differ by whole units).
const WRITTEN_MIN_WEIGHT: f32 = 0.0005;

/// Why a model file cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ModelError {
    /// The file is not a line-role model or is malformed.
    #[error("line {line}: {reason}")]
    Malformed {
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        reason: String,
    },
    /// The model was trained for other features than this build computes.
    #[error(
        "the model was trained for feature set {found}, this build computes {expected}: retrain it with scripts/train_line_roles.sh"
    )]
    FeatureSet {
        /// The model's feature set.
        found: String,
        /// This build's.
        expected: String,
    },
}

/// The labeler's weights.
#[derive(Debug, Clone, PartialEq)]
pub struct LineModel {
    /// features × labels.
    weights: Vec<f32>,
    /// For each kind of page, (labels + 1) × labels: row 0 is the first
    /// line, row k + 1 follows label k. Pages of one paragraph a line and
    /// hard-wrapped pages follow different sequences (a paragraph after a
    /// paragraph, the rest of a paragraph after its first line).
    transitions: Vec<f32>,
    /// The comment lines of the file (what it was trained on).
    about: Vec<String>,
}

impl LineModel {
    /// A model with every weight zero (the start of training).
    pub fn zero() -> LineModel {
        let l = LABELS.len();
        LineModel {
            weights: vec![0.0; FeatureSet::get().len() * l],
            transitions: vec![0.0; PAGE_KINDS.len() * (l + 1) * l],
            about: Vec::new(),
        }
    }

    /// Builds a model from raw tables (training).
    pub(crate) fn from_tables(weights: Vec<f32>, transitions: Vec<f32>) -> LineModel {
        LineModel { weights, transitions, about: Vec::new() }
    }

    /// The raw tables (training).
    pub(crate) fn into_tables(self) -> (Vec<f32>, Vec<f32>) {
        (self.weights, self.transitions)
    }

    /// Adds the features' weights for every label to `out` (one entry a label).
    pub fn score(&self, features: &[u32], out: &mut [f32]) {
        let l = LABELS.len();
        for &f in features {
            let row = &self.weights[f as usize * l..(f as usize + 1) * l];
            for (o, w) in out.iter_mut().zip(row) {
                *o += w;
            }
        }
    }

    /// The weight of `feature` for the label at `label`.
    pub fn weight(&self, feature: usize, label: usize) -> f32 {
        self.weights[feature * LABELS.len() + label]
    }

    /// Index of the transition from row `row` (0: page start, k + 1: after
    /// label k) to label `to` on a page of kind `page`.
    pub(crate) fn transition_index(page: usize, row: usize, to: usize) -> usize {
        let l = LABELS.len();
        (page * (l + 1) + row) * l + to
    }

    /// The score of label `to` right after label `from` on a page of kind `page`.
    pub fn transition(&self, page: usize, from: usize, to: usize) -> f32 {
        self.transitions[Self::transition_index(page, from + 1, to)]
    }

    /// The score of label `to` on the first line of a page of kind `page`.
    pub fn start(&self, page: usize, to: usize) -> f32 {
        self.transitions[Self::transition_index(page, 0, to)]
    }

    /// Sets the score of `to` after `from` on every kind of page (tests).
    pub fn set_transition(&mut self, from: usize, to: usize, w: f32) {
        for page in 0..PAGE_KINDS.len() {
            self.transitions[Self::transition_index(page, from + 1, to)] = w;
        }
    }

    /// The comment lines of the model file.
    pub fn about(&self) -> &[String] {
        &self.about
    }

    /// Features and their weights for `label`, strongest first (what the labeler learned).
    pub fn strongest(&self, label: Label, n: usize) -> Vec<(String, f32)> {
        let fs = FeatureSet::get();
        let k = label.index();
        let mut v: Vec<(usize, f32)> =
            (0..fs.len()).map(|f| (f, self.weight(f, k))).filter(|(_, w)| *w > 0.0).collect();
        v.sort_by(|a, b| b.1.total_cmp(&a.1));
        v.into_iter().take(n).map(|(f, w)| (fs.name(f), w)).collect()
    }

    /// Reads a model file.
    ///
    /// # Errors
    /// [`ModelError`] when the file is malformed or made for other features.
    pub fn parse(text: &str) -> Result<LineModel, ModelError> {
        let fs = FeatureSet::get();
        let index: foldhash::HashMap<String, usize> = (0..fs.len()).map(|f| (fs.name(f), f)).collect();
        let mut model = LineModel::zero();
        let l = LABELS.len();
        let bad = |line: usize, reason: String| ModelError::Malformed { line, reason };
        let mut lines = text.lines().enumerate().map(|(i, t)| (i + 1, t));
        let mut header = false;
        let mut labels: Vec<usize> = Vec::new();
        for (no, line) in &mut lines {
            if let Some(c) = line.strip_prefix('#') {
                model.about.push(c.trim().to_string());
                continue;
            }
            if line.trim().is_empty() {
                continue;
            }
            let mut parts = line.split('\t');
            let key = parts.next().unwrap_or("");
            match key {
                _ if !header => {
                    if line != MAGIC {
                        return Err(bad(no, format!("expected `{MAGIC}`, not a line-role model")));
                    }
                    header = true;
                }
                "features" => {
                    let found = parts.next().unwrap_or("").to_string();
                    if found != fs.fingerprint() {
                        return Err(ModelError::FeatureSet { found, expected: fs.fingerprint() });
                    }
                }
                "labels" => {
                    labels = parts
                        .map(|n| {
                            Label::parse(n).map(Label::index).ok_or_else(|| bad(no, format!("unknown label `{n}`")))
                        })
                        .collect::<Result<_, _>>()?;
                }
                "start" | "after" => {
                    let kind = parts.next().unwrap_or("");
                    let page = PAGE_KINDS
                        .iter()
                        .position(|k| *k == kind)
                        .ok_or_else(|| bad(no, format!("unknown kind of page `{kind}`")))?;
                    let row = if key == "start" {
                        0
                    } else {
                        let from = parts.next().unwrap_or("");
                        Label::parse(from).ok_or_else(|| bad(no, format!("unknown label `{from}`")))?.index() + 1
                    };
                    let ws: Vec<&str> = parts.collect();
                    if ws.len() != labels.len() {
                        return Err(bad(no, format!("{} weights for {} labels", ws.len(), labels.len())));
                    }
                    for (w, &k) in ws.iter().zip(&labels) {
                        model.transitions[Self::transition_index(page, row, k)] =
                            w.parse().map_err(|_| bad(no, format!("weight `{w}`")))?;
                    }
                }
                "w" => {
                    let name = parts.next().unwrap_or("");
                    let &f = index.get(name).ok_or_else(|| bad(no, format!("unknown feature `{name}`")))?;
                    for pair in parts.next().unwrap_or("").split(' ').filter(|p| !p.is_empty()) {
                        let (label, w) =
                            pair.split_once(':').ok_or_else(|| bad(no, format!("`{pair}` is not label:weight")))?;
                        let k = Label::parse(label).ok_or_else(|| bad(no, format!("unknown label `{label}`")))?.index();
                        model.weights[f * l + k] = w.parse().map_err(|_| bad(no, format!("weight `{w}`")))?;
                    }
                }
                other => return Err(bad(no, format!("unknown entry `{other}`"))),
            }
        }
        if !header {
            return Err(bad(1, "empty model file".into()));
        }
        Ok(model)
    }

    /// The model as a file, `about` as its comment lines.
    pub fn to_text(&self, about: &[String]) -> String {
        use std::fmt::Write;
        let fs = FeatureSet::get();
        let l = LABELS.len();
        let mut out = String::new();
        for a in about {
            let _ = writeln!(out, "# {a}");
        }
        let _ = writeln!(out, "{MAGIC}");
        let _ = writeln!(out, "features\t{}", fs.fingerprint());
        let names: Vec<String> = LABELS.iter().map(|x| x.name()).collect();
        let _ = writeln!(out, "labels\t{}", names.join("\t"));
        let row = |page: usize, r: usize| {
            let at = Self::transition_index(page, r, 0);
            self.transitions[at..at + l].iter().map(|w| format!("{w:.3}")).collect::<Vec<_>>().join("\t")
        };
        for (page, kind) in PAGE_KINDS.iter().enumerate() {
            let _ = writeln!(out, "start\t{kind}\t{}", row(page, 0));
            for (k, name) in names.iter().enumerate() {
                let _ = writeln!(out, "after\t{kind}\t{name}\t{}", row(page, k + 1));
            }
        }
        for f in 0..fs.len() {
            let ws: Vec<String> = (0..l)
                .filter(|&k| self.weights[f * l + k].abs() >= WRITTEN_MIN_WEIGHT)
                .map(|k| format!("{}:{:.3}", names[k], self.weights[f * l + k]))
                .collect();
            if !ws.is_empty() {
                let _ = writeln!(out, "w\t{}\t{}", fs.name(f), ws.join(" "));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_model_loads() {
        let m = LineModel::parse(DEFAULT_LINE_MODEL).unwrap();
        assert!(!m.about().is_empty(), "the model says what it was trained on");
    }

    #[test]
    fn a_model_round_trips_through_its_file() {
        let mut m = LineModel::zero();
        m.weights[3 * LABELS.len() + 2] = 1.25;
        m.transitions[LineModel::transition_index(2, 0, 5)] = -0.5;
        m.set_transition(4, 6, 2.0);
        let text = m.to_text(&["test".into()]);
        let back = LineModel::parse(&text).unwrap();
        assert_eq!(back.weights, m.weights);
        assert_eq!(back.transitions, m.transitions);
        assert_eq!(back.about(), &["test".to_string()]);
    }

    #[test]
    fn a_model_for_other_features_is_refused_with_the_remedy() {
        let text = LineModel::zero().to_text(&[]).replace(&FeatureSet::get().fingerprint(), "0000000000000000");
        let e = LineModel::parse(&text).unwrap_err().to_string();
        assert!(e.contains("retrain"), "{e}");
        assert!(LineModel::parse("hello").unwrap_err().to_string().contains("not a line-role model"));
    }
}
