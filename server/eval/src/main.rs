//! `cargo run --release -p specwright-eval [-- --wild DIR] [--unlabelled FILE] [--findings FILE] [--write]`
//!
//! Checks the wild set exactly as `specwright check` does, matches every finding against the
//! labels in `eval/labels/`, and prints per rule and per document kind, for the tuning and the
//! test half: findings, labelled, precision with its 95 % Wilson interval, recall on the recall
//! labels, findings still unlabelled, findings per 1,000 words of prose and analysis time per
//! MB. `--unlabelled FILE` writes the findings no label matches (to be judged); `--findings FILE` every finding with its verdict; `--write`
//! writes `server/core/src/rules/measured.tsv`, which the rule docs quote.

use specwright_core::config::RuleSetting;
use specwright_core::{Severity, rules};
use specwright_eval::*;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::Instant;

#[derive(Default, Clone, Copy)]
struct Tally {
    found: usize,
    labelled: usize,
    right: usize,
}

impl Tally {
    fn add(&mut self, verdict: Option<bool>) {
        self.found += 1;
        if let Some(v) = verdict {
            self.labelled += 1;
            self.right += usize::from(v);
        }
    }

    fn precision(&self) -> String {
        if self.labelled == 0 {
            return "–".into();
        }
        let (lo, hi) = wilson(self.right, self.labelled);
        format!(
            "{:.2} [{:.2}–{:.2}]",
            self.right as f64 / self.labelled as f64,
            lo,
            hi
        )
    }
}

#[derive(Default, Clone, Copy)]
struct Recall {
    raised: usize,
    found: usize,
}

impl Recall {
    fn show(&self) -> String {
        if self.raised == 0 {
            return "–".into();
        }
        format!(
            "{:.2} ({}/{})",
            self.found as f64 / self.raised as f64,
            self.found,
            self.raised
        )
    }
}

const USAGE: &str = "usage: specwright-eval [--wild DIR] [--findings FILE.jsonl] [--unlabelled FILE.jsonl] [--write]
  --wild DIR          the wild set (default ../shared/fixtures/wild)
  --findings FILE     every finding, one JSON object per line, with its label when it has one
  --unlabelled FILE   the findings no label matches, for a reviewer to judge
  --write             record the measured figures in server/core/src/rules/measured.tsv";

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let mut wild = default_wild();
    let mut unlabelled_out: Option<PathBuf> = None;
    let mut findings_out: Option<PathBuf> = None;
    let mut write = false;
    while let Some(a) = args.next() {
        match a.as_str() {
            "--wild" => wild = PathBuf::from(args.next().unwrap_or_default()),
            "--unlabelled" => unlabelled_out = args.next().map(PathBuf::from),
            "--findings" => findings_out = args.next().map(PathBuf::from),
            "--write" => write = true,
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(());
            }
            other => {
                eprintln!("specwright-eval: unknown argument {other:?}\n{USAGE}");
                std::process::exit(2);
            }
        }
    }
    if !wild.is_dir() {
        println!(
            "specwright-eval: the wild set is not here ({}): it lives in ../shared/fixtures/wild next to the project; nothing measured",
            wild.display()
        );
        return Ok(());
    }
    let root = root();
    let split = Split::read(&root.join("eval/split.json"))?;
    let labels: Vec<Label> = read_jsonl(&root.join("eval/labels/precision.jsonl"))?;
    let recall: Vec<RecallLabel> = read_jsonl(&root.join("eval/labels/recall.jsonl"))?;
    let verdicts: HashMap<Key, bool> = labels.iter().map(|l| (l.key(), l.verdict)).collect();

    let wild_str = wild.to_string_lossy().to_string();
    let started = Instant::now();
    // Rules that are off by default still run (as hints) so that they stay measured; the
    // default set's figures count only the rules on by default.
    let editor = specwright_core::config::ConfigFile {
        rules: Some(
            rules::registry()
                .iter()
                .filter(|r| r.meta().default_severity() == Severity::Off)
                .map(|r| {
                    (
                        r.meta().id.to_string(),
                        RuleSetting::Severity(Severity::Hint),
                    )
                })
                .collect(),
        ),
        ..Default::default()
    };
    let report = specwright::check::run_with(std::slice::from_ref(&wild), editor)?;
    let elapsed = started.elapsed();
    let observed = observe(&report, &wild_str);

    let mut bytes = 0usize;
    let mut words: BTreeMap<Half, usize> = BTreeMap::new();
    let mut texts: HashMap<String, &str> = HashMap::new();
    for s in &report.sources {
        let Some(rel) = s.path.strip_prefix(&wild_str) else {
            continue;
        };
        let rel = rel.trim_start_matches('/');
        bytes += s.text.len();
        if let Some(h) = split.half_of(rel) {
            *words.entry(h).or_default() += prose_words(&s.text);
        }
        texts.insert(rel.to_string(), s.text.as_str());
    }

    let mut by_rule: BTreeMap<(String, Half), Tally> = BTreeMap::new();
    let mut by_kind: BTreeMap<(String, Half), Tally> = BTreeMap::new();
    for o in &observed {
        let Some(h) = split.half_of(&o.path) else {
            continue;
        };
        let v = verdicts.get(&o.key()).copied();
        by_rule.entry((o.rule.clone(), h)).or_default().add(v);
        by_kind.entry((o.kind.clone(), h)).or_default().add(v);
    }
    let tally = |id: &str, h: Half| {
        by_rule
            .get(&(id.to_string(), h))
            .copied()
            .unwrap_or_default()
    };
    // Which rules each set holds: on by the compiled-in default (earned from the labels when
    // `measured.tsv` was last written), and on by what the labels as they are now earn. When
    // the two differ, `--write` records the new figures.
    let on: HashMap<&str, (Severity, Severity)> = rules::registry()
        .iter()
        .map(|r| {
            let m = r.meta();
            let (te, tu) = (tally(m.id, Half::Test), tally(m.id, Half::Tuning));
            let now = specwright_core::rules::measured::Measured {
                test_labelled: te.labelled,
                test_right: te.right,
                tuning_labelled: tu.labelled,
                tuning_right: tu.right,
                recall_raised: 0,
                recall_found: 0,
            };
            (m.id, (m.default_severity(), now.earned(m.severity)))
        })
        .collect();
    let on_default = |rule: &str| on.get(rule).is_some_and(|o| o.0 != Severity::Off);
    let on_earned = |rule: &str| on.get(rule).is_some_and(|o| o.1 != Severity::Off);
    let mut default_set: BTreeMap<Half, Tally> = BTreeMap::new();
    let mut earned_set: BTreeMap<Half, Tally> = BTreeMap::new();
    let mut unlabelled = Vec::new();
    for o in &observed {
        let Some(h) = split.half_of(&o.path) else {
            continue;
        };
        let v = verdicts.get(&o.key()).copied();
        if on_default(&o.rule) {
            default_set.entry(h).or_default().add(v);
        }
        if on_earned(&o.rule) {
            earned_set.entry(h).or_default().add(v);
        }
        if v.is_none() {
            unlabelled.push(o);
        }
    }

    // Recall: a raised problem is found when a finding of a rule that answers it starts on
    // one of the lines holding the labelled text.
    let mut on_line: HashMap<(&str, usize), Vec<&str>> = HashMap::new();
    for o in &observed {
        on_line
            .entry((o.path.as_str(), o.line))
            .or_default()
            .push(o.rule.as_str());
    }
    let mut recall_by_kind: BTreeMap<(String, Half), Recall> = BTreeMap::new();
    let mut recall_by_rule: BTreeMap<(String, Half), Recall> = BTreeMap::new();
    let mut recall_all: BTreeMap<Half, Recall> = BTreeMap::new();
    let mut recall_earned: BTreeMap<Half, Recall> = BTreeMap::new();
    for r in &recall {
        let (Some(h), Some(text)) = (split.half_of(&r.path), texts.get(&r.path)) else {
            continue;
        };
        let lines = lines_matching(text, &r.line_text);
        for p in &r.problems {
            let answering = rules_for_problem(&p.kind);
            // Whether a finding of a rule `pick` keeps starts on one of the labelled lines.
            let found = |pick: &dyn Fn(&str) -> bool| {
                lines.iter().any(|&l| {
                    on_line
                        .get(&(r.path.as_str(), l))
                        .is_some_and(|rs| rs.iter().any(|x| pick(x)))
                })
            };
            let hit = found(&|x| answering.contains(&x) && on_default(x));
            let earned_hit = found(&|x| answering.contains(&x) && on_earned(x));
            for (e, hit) in [
                (recall_by_kind.entry((p.kind.clone(), h)).or_default(), hit),
                (recall_all.entry(h).or_default(), hit),
                (recall_earned.entry(h).or_default(), earned_hit),
            ] {
                e.raised += 1;
                e.found += usize::from(hit);
            }
            for rule in answering {
                let e = recall_by_rule.entry((rule.to_string(), h)).or_default();
                e.raised += 1;
                e.found += usize::from(found(&|x| x == *rule));
            }
        }
    }

    let mb = bytes as f64 / 1_048_576.0;
    println!(
        "# Specwright on the wild set ({} files, {:.1} MB; split seed {}; {} precision labels, {} recall lines)\n",
        report.files_checked,
        mb,
        split.seed,
        labels.len(),
        recall.len()
    );
    println!(
        "analysis: {:.0} ms in all, {:.0} ms per MB (check, release build)\n",
        elapsed.as_secs_f64() * 1e3,
        elapsed.as_secs_f64() * 1e3 / mb.max(1e-9)
    );
    let per_k = |n: usize, h: Half| {
        let w = words.get(&h).copied().unwrap_or(0).max(1);
        n as f64 * 1000.0 / w as f64
    };
    let mut table = String::new();
    let _ = writeln!(
        table,
        "| rule | default | earned now | tuning found | labelled | precision | test found | labelled | precision | recall tuning | recall test | per 1k words (tuning/test) |"
    );
    let _ = writeln!(table, "|---|---|---|--:|--:|---|--:|--:|---|---|---|---|");
    let mut measured = String::from(
        "# rule\tearned\ttest_labelled\ttest_right\ttuning_labelled\ttuning_right\trecall_raised\trecall_found\n",
    );
    for meta in rules::registry().iter().map(|r| r.meta()) {
        let r = |h| {
            recall_by_rule
                .get(&(meta.id.to_string(), h))
                .copied()
                .unwrap_or_default()
        };
        let (tu, te) = (tally(meta.id, Half::Tuning), tally(meta.id, Half::Test));
        let _ = writeln!(
            table,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {:.2}/{:.2} |",
            meta.id,
            meta.default_severity(),
            on.get(meta.id).map_or(Severity::Off, |o| o.1),
            tu.found,
            tu.labelled,
            tu.precision(),
            te.found,
            te.labelled,
            te.precision(),
            r(Half::Tuning).show(),
            r(Half::Test).show(),
            per_k(tu.found, Half::Tuning),
            per_k(te.found, Half::Test),
        );
        let (rt, rs) = (r(Half::Tuning), r(Half::Test));
        let _ = writeln!(
            measured,
            "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
            meta.id,
            on.get(meta.id).map_or(Severity::Off, |o| o.1),
            te.labelled,
            te.right,
            tu.labelled,
            tu.right,
            rt.raised + rs.raised,
            rt.found + rs.found
        );
    }
    println!("## Per rule\n\n{table}");

    println!(
        "## Per document kind\n\n| kind | half | found | labelled | precision |\n|---|---|--:|--:|---|"
    );
    for ((kind, h), t) in &by_kind {
        println!(
            "| {kind} | {} | {} | {} | {} |",
            h.as_str(),
            t.found,
            t.labelled,
            t.precision()
        );
    }

    println!("\n## Recall by problem kind\n\n| problem | tuning | test |\n|---|---|---|");
    let kinds: std::collections::BTreeSet<&String> =
        recall_by_kind.keys().map(|(k, _)| k).collect();
    for k in kinds {
        let r = |h| {
            recall_by_kind
                .get(&(k.clone(), h))
                .copied()
                .unwrap_or_default()
        };
        println!(
            "| {k} | {} | {} |",
            r(Half::Tuning).show(),
            r(Half::Test).show()
        );
    }

    print_set("The default rule set", &default_set, &recall_all);
    let earned_rules: Vec<&str> = rules::registry()
        .iter()
        .map(|r| r.meta().id)
        .filter(|id| {
            on_earned(id)
                && Half::BOTH
                    .iter()
                    .any(|&h| by_rule.contains_key(&(id.to_string(), h)))
        })
        .collect();
    print_set(
        &format!(
            "The earned rule set (rules the labels as they are now earn a default: {})",
            earned_rules.join(", ")
        ),
        &earned_set,
        &recall_earned,
    );
    let stale = stale(&labels, &recall, &wild);
    println!("\nstale labels: {}", stale.len());

    // Every finding with its verdict (null when unjudged), for reading what a rule gets wrong.
    if let Some(path) = findings_out {
        let mut out = String::new();
        for o in &observed {
            let mut v = serde_json::to_value(o)?;
            v["verdict"] = serde_json::json!(verdicts.get(&o.key()));
            v["half"] = serde_json::json!(split.half_of(&o.path).map(Half::as_str));
            out.push_str(&serde_json::to_string(&v)?);
            out.push('\n');
        }
        std::fs::write(&path, out)?;
    }
    if let Some(path) = unlabelled_out {
        let mut out = String::new();
        for o in &unlabelled {
            out.push_str(&serde_json::to_string(o)?);
            out.push('\n');
        }
        std::fs::write(&path, out)?;
        println!(
            "{} unlabelled findings written to {}",
            unlabelled.len(),
            path.display()
        );
    }
    if write {
        let path = root.join("server/core/src/rules/measured.tsv");
        std::fs::write(&path, measured)?;
        println!("wrote {}", path.display());
    }
    Ok(())
}

/// One set of rules, both halves: findings, labelled, precision, recall, unlabelled.
fn print_set(title: &str, set: &BTreeMap<Half, Tally>, recall: &BTreeMap<Half, Recall>) {
    println!(
        "\n## {title}\n\n| half | findings | labelled | precision | recall | unlabelled |\n|---|--:|--:|---|---|--:|"
    );
    for h in Half::BOTH {
        let t = set.get(&h).copied().unwrap_or_default();
        let r = recall.get(&h).copied().unwrap_or_default();
        println!(
            "| {} | {} | {} | {} | {} | {} |",
            h.as_str(),
            t.found,
            t.labelled,
            t.precision(),
            r.show(),
            t.found - t.labelled
        );
    }
}
