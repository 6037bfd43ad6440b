//! Scratch: quick speed probe.
use rapport::coach::model::features;
use rapport::coach::{Coach, rules, verdict};
use rapport::prompts::Catalog;
use std::time::Instant;
fn main() {
    let coach = Coach::from_catalog(&Catalog::embedded().unwrap()).unwrap();
    let lex = coach.lexicon();
    let text = std::fs::read_to_string("tests/data/coach-chat.tsv").unwrap()
        + std::fs::read_to_string("tests/data/reword-eval.tsv")
            .unwrap()
            .as_str();
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split_once('\t').map(|x| x.1))
        .collect();
    let n = 20_000;
    let time = |name: &str, f: &dyn Fn(&str) -> usize| {
        let t = Instant::now();
        let mut b = 0;
        for i in 0..n {
            b += f(lines[i % lines.len()]);
        }
        println!(
            "{name}: {:.0}/s ({b})",
            n as f64 / t.elapsed().as_secs_f64()
        );
    };
    time("tokenize", &|l| lex.tokenize(l).all.len());
    time("rules", &|l| {
        let t = lex.tokenize(l);
        rules::find(lex, &t).cues.len()
    });
    time("classes", &|l| {
        let t = lex.tokenize(l);
        features::classes(lex, &t).len()
    });
    time("features", &|l| {
        let t = lex.tokenize(l);
        let f = rules::find(lex, &t);
        let mut c = 0;
        features::each(lex, &t, &f, |_, _| c += 1);
        c
    });
    time("analyse", &|l| coach.analyze(l).blaming() as usize);
    time("verdict", &|l| verdict(&coach, l).blaming as usize);
}
