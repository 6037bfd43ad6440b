//! Scratch: each rule's time.
use rapport::coach::Coach;
use rapport::coach::rules::{self, Findings, clause};
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
    let toks: Vec<_> = lines.iter().map(|l| lex.tokenize(l)).collect();
    let n = 200_000;
    let run = |name: &str, f: &dyn Fn(&rapport::coach::text::Tokens<'_>, &mut Findings)| {
        let t = Instant::now();
        let mut c = 0;
        for i in 0..n {
            let tk = &toks[i % toks.len()];
            let mut fd = Findings::default();
            f(tk, &mut fd);
            c += fd.cues.len();
        }
        println!(
            "{name}: {:.0} ns ({c})",
            t.elapsed().as_nanos() as f64 / n as f64
        );
    };
    run("clauses", &|t, _| {
        clause::partner_clauses(lex, t);
    });
    run("label", &|t, f| {
        let c = clause::partner_clauses(lex, t);
        rules::label::find(lex, t, &c, f)
    });
    run("accusation", &|t, f| {
        let c = clause::partner_clauses(lex, t);
        rules::accusation::find(lex, t, &c, f)
    });
    run("absolute", &|t, f| {
        let c = clause::partner_clauses(lex, t);
        rules::absolute::find(lex, t, &c, f)
    });
    run("disguised", &|t, f| rules::disguised::find(lex, t, f));
    run("rhetorical", &|t, f| rules::rhetorical::find(lex, t, f));
    run("command", &|t, f| rules::command::find(lex, t, f));
    run("contempt", &|t, f| {
        let c = clause::partner_clauses(lex, t);
        rules::contempt::find(lex, t, &c, f)
    });
    run("kindness", &|t, f| {
        let c = clause::partner_clauses(lex, t);
        rules::kindness::find(lex, t, &c, f)
    });
    run("all", &|t, f| {
        *f = rules::find(lex, t);
    });
}
