//! Scratch: profile target.
use rapport::coach::{Coach, verdict};
use rapport::prompts::Catalog;
fn main() {
    let coach = Coach::from_catalog(&Catalog::embedded().unwrap()).unwrap();
    let text = std::fs::read_to_string("tests/data/coach-chat.tsv").unwrap()
        + std::fs::read_to_string("tests/data/reword-eval.tsv")
            .unwrap()
            .as_str();
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split_once('\t').map(|x| x.1))
        .collect();
    let mut b = 0;
    for i in 0..200_000 {
        b += verdict(&coach, lines[i % lines.len()]).blaming as usize;
    }
    println!("{b}");
}
