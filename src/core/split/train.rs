//! Training the line labeler: an averaged structured perceptron over
//! labelled pages (Collins 2002). Each page is labelled with the current
//! weights by Viterbi; where the labelling differs from the gold, the gold
//! labels' features and transitions gain a unit and the predicted ones lose
//! one. The weights averaged over every step are the model: averaging keeps
//! the weights that held for many pages, not the last few updates.
//!
//! Used by `examples/train_line_roles.rs` (via `scripts/train_line_roles.sh`);
//! not by the service.

use super::cues::Cues;
use super::features::{FeatureSet, LineFeatures};
use super::model::LineModel;
use super::roles::{LABELS, emissions, viterbi};

/// One labelled page: its lines' cues and features and gold label indices.
#[derive(Debug, Clone)]
pub struct Example {
    /// The cues of its lines (the hand rules read them).
    pub cues: Vec<Cues>,
    /// The features of its lines.
    pub features: LineFeatures,
    /// The gold label of each line (indices into [`LABELS`]).
    pub labels: Vec<usize>,
}

/// How training went, epoch by epoch.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Share of lines the weights of the epoch (not yet averaged) got wrong.
    pub epoch_errors: Vec<f64>,
}

/// Trains a model on `examples` for `epochs` passes, visiting the pages in an
/// order shuffled from `seed` each pass.
pub fn train(examples: &[Example], epochs: usize, seed: u64) -> (LineModel, Report) {
    let l = LABELS.len();
    let nf = FeatureSet::get().len();
    let mut w = vec![0.0f32; nf * l];
    let mut t = LineModel::zero().into_tables().1;
    // Sums of step × update, for the average (Daumé's trick: avg = w − u / c).
    let mut uw = vec![0.0f64; nf * l];
    let mut ut = vec![0.0f64; t.len()];
    let mut c = 1.0f64;
    let mut order: Vec<usize> = (0..examples.len()).collect();
    let mut rng = seed | 1;
    let mut report = Report::default();
    for _ in 0..epochs {
        shuffle(&mut order, &mut rng);
        let (mut wrong, mut total) = (0usize, 0usize);
        for &e in &order {
            let ex = &examples[e];
            let model = LineModel::from_tables(w.clone(), t.clone());
            let n = ex.labels.len();
            let em = emissions(&ex.features, &ex.cues, &model);
            let page = ex.features.page;
            let pred = viterbi(&em, &model, page);
            total += n;
            for i in 0..n {
                let (g, p) = (ex.labels[i], pred[i]);
                let gp = if i == 0 { 0 } else { ex.labels[i - 1] + 1 };
                let pp = if i == 0 { 0 } else { pred[i - 1] + 1 };
                let (gt, pt) = (LineModel::transition_index(page, gp, g), LineModel::transition_index(page, pp, p));
                if g != p {
                    wrong += 1;
                    for &f in ex.features.of(i) {
                        let f = f as usize;
                        w[f * l + g] += 1.0;
                        w[f * l + p] -= 1.0;
                        uw[f * l + g] += c;
                        uw[f * l + p] -= c;
                    }
                }
                if gt != pt {
                    t[gt] += 1.0;
                    t[pt] -= 1.0;
                    ut[gt] += c;
                    ut[pt] -= c;
                }
            }
            c += 1.0;
        }
        report.epoch_errors.push(wrong as f64 / total.max(1) as f64);
    }
    let avg = |w: &[f32], u: &[f64]| w.iter().zip(u).map(|(w, u)| (f64::from(*w) - u / c) as f32).collect::<Vec<_>>();
    (LineModel::from_tables(avg(&w, &uw), avg(&t, &ut)), report)
}

/// Trains one model per seed and averages their weights: the perceptron's
/// result depends on the order it saw the pages in, the average of several
/// orders much less (a bagged perceptron).
pub fn train_averaged(examples: &[Example], epochs: usize, seeds: &[u64]) -> (LineModel, Vec<Report>) {
    let mut reports = Vec::new();
    let mut sum: Option<(Vec<f32>, Vec<f32>)> = None;
    for &seed in seeds {
        let (m, r) = train(examples, epochs, seed);
        reports.push(r);
        let (w, t) = m.into_tables();
        match sum.as_mut() {
            None => sum = Some((w, t)),
            Some((sw, st)) => {
                sw.iter_mut().zip(&w).for_each(|(a, b)| *a += b);
                st.iter_mut().zip(&t).for_each(|(a, b)| *a += b);
            }
        }
    }
    let k = seeds.len().max(1) as f32;
    let (mut w, mut t) = sum.unwrap_or_else(|| LineModel::zero().into_tables());
    w.iter_mut().for_each(|x| *x /= k);
    t.iter_mut().for_each(|x| *x /= k);
    (LineModel::from_tables(w, t), reports)
}

fn shuffle(v: &mut [usize], state: &mut u64) {
    for i in (1..v.len()).rev() {
        // xorshift64: reproducible from the seed, no dependency.
        *state ^= *state << 13;
        *state ^= *state >> 7;
        *state ^= *state << 17;
        let j = (*state % (i as u64 + 1)) as usize;
        v.swap(i, j);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::split::NoLexicon;
    use crate::core::split::cues::{CueWords, DEFAULT_LAYOUT_CUES, cues_of};
    use crate::core::split::features::features;
    use crate::core::split::lines::read;
    use crate::core::split::roles::{Label, label};

    fn example(text: &str, labels: &[&str]) -> (Example, Vec<crate::core::split::cues::Cues>) {
        let sheet = read(text);
        let words = CueWords::parse(DEFAULT_LAYOUT_CUES).unwrap();
        let cues = cues_of(sheet.lines.iter().map(|l| l.text.as_str()), &words);
        let f = features(&sheet, &cues, &NoLexicon);
        let labels = labels.iter().map(|n| Label::parse(n).unwrap().index()).collect();
        (Example { cues: cues.clone(), features: f, labels }, cues)
    }

    #[test]
    fn the_perceptron_learns_a_page_layout_and_applies_it_to_another_page() {
        let pages = [
            (
                "第2版 要闻\n\n甲县召开春耕会议\n\n本报记者 王一\n\n近日，甲县召开春耕生产会议。\n\n会议要求抓好农资供应。\n",
                ["furniture", "title", "byline", "body", "body"],
            ),
            (
                "第3版 综合\n\n乙镇开展植树活动\n\n本报记者 李二\n\n近日，乙镇组织干部群众植树。\n\n活动共植树三千余株。\n",
                ["furniture", "title", "byline", "body", "body"],
            ),
        ];
        let examples: Vec<Example> = pages.iter().map(|(t, l)| example(t, l).0).collect();
        let (model, report) = train(&examples, 10, 7);
        assert_eq!(*report.epoch_errors.last().unwrap(), 0.0, "{report:?}");
        let (unseen, cues) = example(
            "第5版 社会\n\n丙村修通产业路\n\n本报记者 赵三\n\n近日，丙村新修的产业路通车。\n\n村民出行更方便了。\n",
            &["furniture", "title", "byline", "body", "body"],
        );
        let got: Vec<usize> = label(&unseen.features, &cues, &model).into_iter().map(Label::index).collect();
        assert_eq!(got, unseen.labels);
    }
}
