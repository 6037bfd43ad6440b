//! Scratch: what the coach finds in each line of stdin; with --score, lines
//! are "label<TAB>message" and precision/recall are printed.
use rapport::coach::{Coach, rules, verdict};
use rapport::prompts::Catalog;
use std::io::BufRead;
fn main() {
    let catalog = Catalog::embedded().unwrap();
    let coach = Coach::from_catalog(&catalog).unwrap();
    let lex = coach.lexicon();
    let score = std::env::args().any(|a| a == "--score");
    let (mut tp, mut fp, mut fn_, mut tn) = (0, 0, 0, 0);
    for line in std::io::stdin().lock().lines() {
        let line = line.unwrap();
        if line.starts_with('#') {
            continue;
        }
        let (label, text) = if score {
            let (l, t) = line.split_once('\t').unwrap();
            (l == "B", t.to_owned())
        } else {
            (false, line.clone())
        };
        let tokens = lex.tokenize(&text);
        let found = rules::find(lex, &tokens);
        let a = coach.analyze(&text);
        if score {
            match (label, a.blaming()) {
                (true, true) => tp += 1,
                (false, true) => {
                    fp += 1;
                    println!("FA {text}\n   {:?} p {:.3}", found.cues, a.probability)
                }
                (true, false) => {
                    fn_ += 1;
                    println!("MISS {text}\n   {:?} p {:.3}", found.cues, a.probability)
                }
                _ => tn += 1,
            }
            continue;
        }
        let norms: Vec<String> = tokens.all.iter().map(|t| t.norm.to_string()).collect();
        println!(
            "{text}\n  norms {:?}\n  cues {:?}\n  p {:.3} reasons {:?} focus {:?} topic {:?}",
            norms,
            found.cues,
            a.probability,
            a.reasons,
            a.focus,
            a.topic.map(|i| lex.topics.names[i].clone())
        );
        let v = verdict(&coach, &text);
        println!("  -> {:?} | frame {:?}", v.suggestion, v.frame);
    }
    if score {
        println!(
            "precision {:.3} recall {:.3} (tp {tp} fp {fp} fn {fn_} tn {tn})",
            tp as f64 / (tp + fp) as f64,
            tp as f64 / (tp + fn_) as f64
        );
    }
}
