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

/// How a conditional random field is fitted: passes, step size, weight decay.
#[derive(Debug, Clone, Copy)]
pub struct CrfOptions {
    /// Passes over the pages.
    pub epochs: usize,
    /// AdaGrad's step size.
    pub rate: f64,
    /// L2 penalty on the weights, per page seen: keeps a weight from growing
    /// on a feature a few pages happen to share.
    pub l2: f64,
    /// Seed of the page order.
    pub seed: u64,
}

/// Trains a linear-chain conditional random field (Lafferty et al. 2001)
/// by AdaGrad on the log-likelihood of each page's gold labelling with an
/// L2 penalty. Unlike the perceptron, whose transition weights grow with
/// every mistake, the CRF's weights stay calibrated: a label pair scores by
/// how likely it is, so one line's strong evidence is not overruled by a
/// habit of the sequence. Decoding is the same Viterbi over the same tables.
pub fn train_crf(examples: &[Example], o: CrfOptions) -> (LineModel, Report) {
    let l = LABELS.len();
    let nf = FeatureSet::get().len();
    let mut w = vec![0.0f64; nf * l];
    let mut t = vec![0.0f64; LineModel::zero().into_tables().1.len()];
    let mut gw = vec![0.0f64; nf * l];
    let mut gt = vec![0.0f64; t.len()];
    const EPS: f64 = 1e-8;
    let mut order: Vec<usize> = (0..examples.len()).collect();
    let mut rng = o.seed | 1;
    let mut report = Report::default();
    let mut grad_t = vec![0.0f64; t.len()];
    for _ in 0..o.epochs {
        shuffle(&mut order, &mut rng);
        let mut wrong = 0usize;
        let mut total = 0usize;
        for &e in &order {
            let ex = &examples[e];
            let n = ex.labels.len();
            if n == 0 {
                continue;
            }
            let page = ex.features.page;
            let tr = |from: usize, to: usize| t[LineModel::transition_index(page, from, to)];
            // emissions
            let mut em = vec![0.0f64; n * l];
            for i in 0..n {
                let row = &mut em[i * l..(i + 1) * l];
                for &f in ex.features.of(i) {
                    let wr = &w[f as usize * l..(f as usize + 1) * l];
                    for (r, x) in row.iter_mut().zip(wr) {
                        *r += x;
                    }
                }
            }
            // forward, backward (log space)
            let mut alpha = vec![0.0f64; n * l];
            let mut beta = vec![0.0f64; n * l];
            for j in 0..l {
                alpha[j] = tr(0, j) + em[j];
            }
            let mut buf = vec![0.0f64; l];
            for i in 1..n {
                for j in 0..l {
                    for k in 0..l {
                        buf[k] = alpha[(i - 1) * l + k] + tr(k + 1, j);
                    }
                    alpha[i * l + j] = log_sum_exp(&buf) + em[i * l + j];
                }
            }
            for i in (0..n - 1).rev() {
                for k in 0..l {
                    for j in 0..l {
                        buf[j] = tr(k + 1, j) + em[(i + 1) * l + j] + beta[(i + 1) * l + j];
                    }
                    beta[i * l + k] = log_sum_exp(&buf);
                }
            }
            let log_z = log_sum_exp(&alpha[(n - 1) * l..n * l]);
            // gradients of the negative log-likelihood
            grad_t.iter_mut().for_each(|g| *g = 0.0);
            for i in 0..n {
                let gold = ex.labels[i];
                let mut grad = [0.0f64; 32];
                let mut best = 0;
                for j in 0..l {
                    let p = (alpha[i * l + j] + beta[i * l + j] - log_z).exp();
                    grad[j] = p - if j == gold { 1.0 } else { 0.0 };
                    if p > (alpha[i * l + best] + beta[i * l + best] - log_z).exp() {
                        best = j;
                    }
                }
                total += 1;
                wrong += usize::from(best != gold);
                for &f in ex.features.of(i) {
                    let base = f as usize * l;
                    for j in 0..l {
                        let g = grad[j] + o.l2 * w[base + j];
                        if g == 0.0 {
                            continue;
                        }
                        gw[base + j] += g * g;
                        w[base + j] -= o.rate * g / (gw[base + j].sqrt() + EPS);
                    }
                }
                if i == 0 {
                    for j in 0..l {
                        let p = (alpha[j] + beta[j] - log_z).exp();
                        grad_t[LineModel::transition_index(page, 0, j)] += p - if j == gold { 1.0 } else { 0.0 };
                    }
                } else {
                    let prev = ex.labels[i - 1];
                    for k in 0..l {
                        for j in 0..l {
                            let idx = LineModel::transition_index(page, k + 1, j);
                            let p = (alpha[(i - 1) * l + k] + t[idx] + em[i * l + j] + beta[i * l + j] - log_z).exp();
                            grad_t[idx] += p - if k == prev && j == gold { 1.0 } else { 0.0 };
                        }
                    }
                }
            }
            for (idx, g) in grad_t.iter().enumerate() {
                let g = g + o.l2 * t[idx];
                if g == 0.0 {
                    continue;
                }
                gt[idx] += g * g;
                t[idx] -= o.rate * g / (gt[idx].sqrt() + EPS);
            }
        }
        report.epoch_errors.push(wrong as f64 / total.max(1) as f64);
    }
    let w: Vec<f32> = w.iter().map(|x| *x as f32).collect();
    let t: Vec<f32> = t.iter().map(|x| *x as f32).collect();
    (LineModel::from_tables(w, t), report)
}

fn log_sum_exp(v: &[f64]) -> f64 {
    let m = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if m == f64::NEG_INFINITY {
        return m;
    }
    m + v.iter().map(|x| (x - m).exp()).sum::<f64>().ln()
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
