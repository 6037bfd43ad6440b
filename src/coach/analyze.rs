//! Spotting blame: which parts of a message accuse rather than express, and
//! the clause a suggestion should turn around.
//!
//! Rules (precision first — a kind message must never be flagged):
//! - "you" as the subject of an accusation: a strong verb ("you ignored
//!   me"), a negated care verb ("you don't listen"), "you make me so angry",
//!   or a blame phrase ("it's your fault");
//! - absolutes about the partner ("you always…", "you never…"), unless the
//!   clause is affectionate ("you always make me smile");
//! - character labels ("you're so selfish", "you idiot");
//! - judgements dressed as feelings ("I feel like you don't care");
//! - rhetorical questions ("why can't you ever…", "what's wrong with you");
//! - contempt and sarcasm ("whatever.", "yeah right", "🙄").
//!
//! "you" counts as a subject only at the start of a clause, so "I'll love
//! you always" and "can you pick up milk?" are left alone.

use smallvec::SmallVec;

use super::lexicon::Lexicon;
use super::text::{PhraseSet, Sentence, Starts, Token, Tokens};

/// Why a message reads as blaming.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Reason {
    YouAccusation,
    Absolute,
    Label,
    Disguised,
    Rhetorical,
    Contempt,
}

impl Reason {
    const ALL: [Reason; 6] = [
        Reason::YouAccusation,
        Reason::Absolute,
        Reason::Label,
        Reason::Disguised,
        Reason::Rhetorical,
        Reason::Contempt,
    ];

    /// A stable code, used by `rapport reword --json`.
    pub fn code(self) -> &'static str {
        match self {
            Reason::YouAccusation => "you_accusation",
            Reason::Absolute => "absolute",
            Reason::Label => "label",
            Reason::Disguised => "disguised_you",
            Reason::Rhetorical => "rhetorical_question",
            Reason::Contempt => "contempt",
        }
    }
}

/// A set of reasons, as bits; iterated in the order of [`Reason`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Reasons(u8);

impl Reasons {
    pub fn push(&mut self, reason: Reason) {
        self.0 |= 1 << reason as u8;
    }

    pub fn contains(&self, reason: &Reason) -> bool {
        self.0 & (1 << *reason as u8) != 0
    }

    pub fn is_empty(&self) -> bool {
        self.0 == 0
    }

    pub fn iter(&self) -> impl Iterator<Item = Reason> + use<> {
        let reasons = *self;
        Reason::ALL.into_iter().filter(move |r| reasons.contains(r))
    }
}

/// The part of a message a suggestion is built around.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Focus {
    #[default]
    None,
    /// A character label ("selfish").
    Label(String),
    /// A negated verb: base form, the action as written, and its tense.
    Negated {
        verb: String,
        action: String,
        past: bool,
    },
    /// A strong accusing verb, the words after it, and its tense.
    Turned {
        verb: String,
        rest: String,
        past: bool,
    },
    /// What the partner does, absolutes removed ("leave dishes in the sink").
    Action(String),
}

/// The verdict on one message.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Analysis {
    /// Empty when the message is not blaming.
    pub reasons: Reasons,
    /// Words suggesting self-harm or violence: answer with help, not advice.
    pub crisis: bool,
    pub focus: Focus,
    /// A feeling the author named ("you make me so angry" -> "angry").
    pub named_feeling: Option<String>,
}

impl Analysis {
    pub fn blaming(&self) -> bool {
        !self.reasons.is_empty()
    }

    /// Help, not advice: nothing else is reported.
    fn crisis() -> Analysis {
        Analysis {
            crisis: true,
            ..Analysis::default()
        }
    }

    fn add(&mut self, reason: Reason) {
        self.reasons.push(reason);
    }

    fn focus_on(&mut self, focus: Focus) {
        if self.focus == Focus::None {
            self.focus = focus;
        }
    }
}

/// Analyses a message.
pub fn analyze(lex: &Lexicon, message: &str) -> Analysis {
    let mut tokens = Tokens::default();
    tokens.cut(&lex.vocabulary, message);
    analyze_tokens(lex, &tokens)
}

/// Judges one sentence on its own: [`analyze_tokens`] is this for each
/// sentence, stopping at the first crisis. Only `reasons` and `crisis` are
/// filled; the feeling the author named is not looked for.
pub fn judge_sentence(lex: &Lexicon, sentence: &Sentence<'_, '_>) -> Analysis {
    if sentence.holds(&lex.crisis) {
        return Analysis::crisis();
    }
    let mut analysis = Analysis::default();
    analyze_sentence(lex, sentence, &mut analysis, Naming::Skip);
    analysis
}

/// Whether a sentence's analysis looks for the feeling its author named
/// and the part a suggestion is built around (judging one of our own
/// suggestions needs neither).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Naming {
    Find,
    Skip,
}

/// Whether a clause's verdict should carry its focus.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Wanted {
    Focus,
    ReasonsOnly,
}

/// Only a message's first focus is kept, so a clause judged after it need
/// not write its own.
fn wanted(naming: Naming, analysis: &Analysis) -> Wanted {
    if naming == Naming::Find && analysis.focus == Focus::None {
        Wanted::Focus
    } else {
        Wanted::ReasonsOnly
    }
}

/// Analyses a message already cut into tokens.
pub fn analyze_tokens(lex: &Lexicon, tokens: &Tokens<'_>) -> Analysis {
    let mut analysis = Analysis::default();
    for sentence in tokens.sentences() {
        if sentence.holds(&lex.crisis) {
            return Analysis::crisis();
        }
        analyze_sentence(lex, &sentence, &mut analysis, Naming::Find);
    }
    analysis
}

fn analyze_sentence(
    lex: &Lexicon,
    sentence: &Sentence<'_, '_>,
    analysis: &mut Analysis,
    naming: Naming,
) {
    let tokens = sentence.tokens;
    // Each rule needs a word from one of its lists; `may_hold` skips the
    // rules whose words the sentence lacks without looking at its tokens.
    let affectionate = sentence.holds(&lex.positive);
    let leads = sentence.may_hold(&lex.feeling_leads) || sentence.may_hold(&lex.leads_after_i);
    if naming == Naming::Find && analysis.named_feeling.is_none() && leads {
        analysis.named_feeling = named_feeling(lex, tokens);
    }
    if sentence.may_hold(&lex.contempt) {
        contempt(lex, tokens, analysis);
    }
    if !affectionate && sentence.holds(&lex.blame_phrases) {
        analysis.add(Reason::YouAccusation);
    }
    if sentence.holds(&lex.rhetorical) {
        analysis.add(Reason::Rhetorical);
    }
    let disguise = sentence.may_hold(&lex.disguised_openers);
    let you = sentence.may_hold(&lex.you);
    if !disguise && !you {
        return;
    }
    // The "you"s a rule has judged; on the stack for all but long sentences.
    let mut short = [false; 64];
    let mut long = Vec::new();
    let handled: &mut [bool] = match short.get_mut(..tokens.len()) {
        Some(handled) => handled,
        None => {
            long.resize(tokens.len(), false);
            &mut long
        }
    };
    if disguise {
        disguised(lex, sentence, analysis, handled, naming);
    }
    // The rest is about "you" as a subject.
    if !you {
        return;
    }
    negated_questions(lex, sentence, analysis, handled, naming);
    why_questions(lex, sentence, analysis, handled, naming);
    let lead = lex
        .absolute_leads
        .match_at(tokens, opening(lex, tokens))
        .is_some();
    for at in 0..tokens.len() {
        if handled[at] || !lex.you.contains(&tokens[at]) {
            continue;
        }
        let focus = wanted(naming, analysis);
        if starts_clause(lex, tokens, at) {
            clause(lex, tokens, at, sentence.question, false, focus).apply(analysis);
        } else if lead {
            // "Every time I bring it up you walk away": the "you" after the
            // lead's clause is a subject, and the lead is the absolute.
            let verdict = clause(lex, tokens, at, sentence.question, false, focus);
            if verdict.accuses() {
                analysis.add(Reason::Absolute);
                verdict.apply(analysis);
            }
        }
    }
}

/// Whether the word at `at` begins a clause (so "you" there is a subject).
fn starts_clause(lex: &Lexicon, tokens: &[Token<'_>], at: usize) -> bool {
    let Some(previous) = at.checked_sub(1).map(|p| &tokens[p]) else {
        return true;
    };
    lex.clause_marks.contains(previous)
        || lex.subject_starts.contains(previous)
        || !starts_alphanumeric(previous)
}

fn contempt(lex: &Lexicon, tokens: &[Token<'_>], analysis: &mut Analysis) {
    let start = opening(lex, tokens);
    for at in 0..tokens.len() {
        let Some(length) = lex.contempt.match_at(tokens, at) else {
            continue;
        };
        let symbol = !starts_alphanumeric(&tokens[at]);
        // Short phrases ("whatever", "oh great", "grow up") are contempt only
        // at the start of a sentence; "whatever you want is fine" is not.
        if symbol || at <= start || length >= 3 {
            let whole_sentence = tokens.len() <= start + length + 1;
            let single_word = length == 1 && !symbol;
            let then_mark = tokens
                .get(at + length)
                .is_some_and(|t| lex.clause_marks.contains(t));
            if !single_word
                || whole_sentence
                || at <= start && (tokens.len() <= start + 3 || then_mark)
            {
                analysis.add(Reason::Contempt);
                return;
            }
        }
    }
}

/// Where a sentence really starts, after interjections and marks ("Wow, …").
fn opening(lex: &Lexicon, tokens: &[Token<'_>]) -> usize {
    let mut at = 0;
    while at < tokens.len() {
        if lex.clause_marks.contains(&tokens[at]) {
            at += 1;
        } else if let Some(length) = lex.interjections.match_at(tokens, at) {
            at += length;
        } else {
            break;
        }
    }
    at
}

/// "I feel like you …": a judgement dressed as a feeling.
fn disguised(
    lex: &Lexicon,
    sentence: &Sentence<'_, '_>,
    analysis: &mut Analysis,
    handled: &mut [bool],
    naming: Naming,
) {
    let tokens = sentence.tokens;
    for at in 0..tokens.len() {
        let Some(length) = lex.disguised_openers.match_at(tokens, at) else {
            continue;
        };
        let you = at + length - 1;
        handled[you] = true;
        let focus = wanted(naming, analysis);
        let verdict = clause(lex, tokens, you, sentence.question, false, focus);
        if verdict.accuses() {
            analysis.add(Reason::Disguised);
            verdict.apply(analysis);
        }
    }
}

/// "Can't you ever …?", "Won't you for once …?": a question that accuses.
fn negated_questions(
    lex: &Lexicon,
    sentence: &Sentence<'_, '_>,
    analysis: &mut Analysis,
    handled: &mut [bool],
    naming: Naming,
) {
    let tokens = sentence.tokens;
    let start = opening(lex, tokens);
    let Some(length) = lex.negated_openers.match_at(tokens, start) else {
        return;
    };
    let you = start + length;
    if !tokens.get(you).is_some_and(|t| lex.you.contains(t))
        || !lex.why_accusing.occurs_in(&tokens[you + 1..])
    {
        return;
    }
    handled[you] = true;
    analysis.add(Reason::Rhetorical);
    clause(lex, tokens, you, false, true, wanted(naming, analysis)).apply_focus_only(analysis);
}

/// "why do you always …", "why can't you ever …", "why would you …".
fn why_questions(
    lex: &Lexicon,
    sentence: &Sentence<'_, '_>,
    analysis: &mut Analysis,
    handled: &mut [bool],
    naming: Naming,
) {
    let tokens = sentence.tokens;
    if !sentence.may_hold(&lex.why) {
        return;
    }
    for at in 0..tokens.len() {
        if !lex.why.contains(&tokens[at]) {
            continue;
        }
        let Some(length) = lex.why_auxiliaries.match_at(tokens, at + 1) else {
            continue;
        };
        let you = at + 1 + length;
        if !tokens.get(you).is_some_and(|t| lex.you.contains(t)) {
            continue;
        }
        handled[you] = true;
        let auxiliary = &tokens[at + 1..you];
        let negated = lex.negations.occurs_in(auxiliary);
        let suggesting = lex.suggesting_negations.occurs_in(auxiliary);
        let would = auxiliary.iter().any(|t| t.word == lex.named.would);
        let refusing = negated && !suggesting;
        let verdict = clause(lex, tokens, you, false, refusing, wanted(naming, analysis));
        let rest = &tokens[you + 1..];
        let named = &lex.named;
        let copula = auxiliary
            .iter()
            .any(|t| [named.are, named.were, named.aren_t, named.arent].contains(&t.word));
        let end = clause_end(lex, tokens, you);
        let label = copula
            .then(|| label_from(lex, tokens, you + 1, end))
            .flatten();
        if let Some(label) = &label {
            analysis.add(Reason::Label);
            analysis.focus_on(Focus::Label(label.clone()));
        }
        if refusing
            || would
            || label.is_some()
            || lex.why_accusing.occurs_in(rest)
            || verdict.accuses()
        {
            analysis.add(Reason::Rhetorical);
            if verdict.reasons.contains(&Reason::Label) {
                analysis.add(Reason::Label);
            }
            verdict.apply_focus_only(analysis);
        }
    }
}

/// What one "you …" clause says.
#[derive(Default)]
struct Verdict {
    reasons: Reasons,
    focus: Focus,
    named_feeling: Option<String>,
}

impl Verdict {
    fn accuses(&self) -> bool {
        !self.reasons.is_empty()
    }

    fn apply(self, analysis: &mut Analysis) {
        for reason in self.reasons.iter() {
            analysis.add(reason);
        }
        self.apply_focus_only(analysis);
    }

    fn apply_focus_only(self, analysis: &mut Analysis) {
        if !self.reasons.is_empty() || self.focus != Focus::None {
            analysis.focus_on(self.focus);
        }
        if let Some(feeling) = self.named_feeling {
            analysis.named_feeling.get_or_insert(feeling);
        }
    }
}

/// Judges the clause whose subject is the "you" at `you`. `negated_before`
/// is set when a negation came before the "you" ("why can't you …").
fn clause(
    lex: &Lexicon,
    tokens: &[Token<'_>],
    you: usize,
    question: bool,
    negated_before: bool,
    wanted: Wanted,
) -> Verdict {
    let mut verdict = Verdict::default();
    let end = clause_end(lex, tokens, you);
    let window = &tokens[you + 1..end];
    if let Some(label) = label(lex, tokens, you, end) {
        verdict.reasons.push(Reason::Label);
        verdict.focus = Focus::Label(label);
        return verdict;
    }
    if let Some(feeling) = blamed_feeling(lex, window) {
        verdict.reasons.push(Reason::YouAccusation);
        verdict.named_feeling = feeling;
        return verdict;
    }
    let starts = Starts::of(window);
    let holds = |set: &PhraseSet| starts.holds(set, window);
    let kind_absolute = holds(&lex.kind_absolutes);
    let absolute = !kind_absolute && holds(&lex.absolutes);
    let affectionate = holds(&lex.positive);
    let mut at = skip(lex, window, 0);
    let negation = if negated_before {
        Some(0)
    } else {
        lex.negations.match_at(window, at)
    };
    if let Some(length) = negation {
        let past = !negated_before && lex.past_negations.match_at(window, at).is_some();

        at = skip(lex, window, at + length);
        at = skip_bother(lex, window, at);
        if lex.negated_kind.match_at(window, at).is_some() || kind_absolute {
            return verdict;
        }
        let Some(word) = window.get(at) else {
            return verdict;
        };
        let lower = word.lower();
        let Some(verb) = base_form(lex, &lower) else {
            return verdict;
        };
        // A question without an absolute ("you don't want to go?") asks.
        if question && !absolute && !window.iter().any(|t| t.word == lex.named.even) {
            return verdict;
        }
        verdict.reasons.push(Reason::YouAccusation);
        if absolute {
            verdict.reasons.push(Reason::Absolute);
        }
        if wanted == Wanted::ReasonsOnly {
            return verdict;
        }
        let past = past || lex.past_irregular.contains(word) || lower.ends_with("ed");
        let mut action = verb.clone();
        push_words(lex, &window[at + 1..], &mut action);
        verdict.focus = Focus::Negated { verb, action, past };
        return verdict;
    }
    if let Some(length) = lex.strong_accusations.match_at(window, at) {
        verdict.reasons.push(Reason::YouAccusation);
        if absolute {
            verdict.reasons.push(Reason::Absolute);
        }
        if wanted == Wanted::ReasonsOnly {
            return verdict;
        }
        let past = window[at].lower().ends_with("ed") || lex.past_irregular.contains(&window[at]);
        let key = known_words(lex, &window[at..at + length]);
        let preposition = lex
            .turned_around
            .get(&key)
            .and_then(|t| t.rsplit(' ').next());
        let rest = drop_objects(lex, &window[at + length..], preposition);
        verdict.focus = Focus::Turned {
            verb: key,
            rest: words(lex, rest),
            past,
        };
        return verdict;
    }
    if absolute && !affectionate && !question {
        verdict.reasons.push(Reason::Absolute);
        if wanted == Wanted::ReasonsOnly {
            return verdict;
        }
        let action = words(lex, window);
        if !action.is_empty() {
            verdict.focus = Focus::Action(action);
        }
    }
    verdict
}

/// The end of the clause that starts at `you`: the next clause break or mark.
fn clause_end(lex: &Lexicon, tokens: &[Token<'_>], you: usize) -> usize {
    (you + 2..tokens.len())
        .find(|&at| {
            lex.clause_marks.contains(&tokens[at])
                || lex.clause_breaks.match_at(tokens, at).is_some()
        })
        .unwrap_or(tokens.len())
}

/// "you're (so) selfish", "you are such a jerk", "you idiot".
fn label(lex: &Lexicon, tokens: &[Token<'_>], you: usize, end: usize) -> Option<String> {
    let mut at = you + 1;
    let named = &lex.named;
    let copula = if [named.you_re, named.youre].contains(&tokens[you].word) {
        true
    } else {
        tokens
            .get(at)
            .is_some_and(|t| [named.are, named.were].contains(&t.word))
            && {
                at += 1;
                true
            }
    };
    if !copula {
        // Direct address: "you idiot", alone or before a mark.
        let length = lex.labels.match_at(tokens, at)?;
        let alone = at + length >= tokens.len() || lex.clause_marks.contains(&tokens[at + length]);
        return alone.then(|| known_words(lex, &tokens[at..at + length]));
    }
    label_from(lex, tokens, at, end)
}

/// A label after a copula, past intensifiers: "so selfish", "such a jerk".
fn label_from(lex: &Lexicon, tokens: &[Token<'_>], mut at: usize, end: usize) -> Option<String> {
    while at < end {
        if let Some(length) = lex.labels.match_at(tokens, at) {
            return Some(known_words(lex, &tokens[at..at + length]));
        }
        if lex.negations.match_at(tokens, at).is_some() {
            return None; // "you're not lazy"
        }
        at += lex.intensifiers.match_at(tokens, at)?;
    }
    None
}

/// The words of a matched phrase, lower case, space-separated: the key
/// the wording tables use ("such a jerk", "yelled at").
fn known_words(lex: &Lexicon, tokens: &[Token<'_>]) -> String {
    let mut words = String::with_capacity(tokens.iter().map(|t| t.text.len() + 1).sum());
    for token in tokens {
        if !words.is_empty() {
            words.push(' ');
        }
        words.push_str(lex.vocabulary.word(token.word));
    }
    words
}

/// Whether a token starts with a letter or digit (not a mark or emoji).
fn starts_alphanumeric(token: &Token<'_>) -> bool {
    token.text.chars().next().is_some_and(char::is_alphanumeric)
}

/// "you make me so angry" -> Some(Some("angry")); `None` if not that shape.
fn blamed_feeling(lex: &Lexicon, window: &[Token<'_>]) -> Option<Option<String>> {
    let at = skip(lex, window, 0);
    let named = &lex.named;
    let verb = window.get(at)?.word;
    if ![named.make, named.makes, named.made].contains(&verb)
        || window.get(at + 1)?.word != named.me
    {
        return None;
    }
    let start = at + 2;
    let intensified = skip(lex, window, start);
    let matched = (start..=intensified).find_map(|from| {
        lex.blamed_feelings
            .match_at(window, from)
            .map(|l| (from, l))
    })?;
    let kept: SmallVec<[Token<'_>; 4]> = window[matched.0..matched.0 + matched.1]
        .iter()
        .filter(|t| t.word != named.so && t.word != named.feel)
        .copied()
        .collect();
    let feeling = known_words(lex, &kept);
    Some(lex.feelings.contains(&feeling).then_some(feeling))
}

/// "I feel anxious", "I'm so lonely", "makes me feel sad".
fn named_feeling(lex: &Lexicon, tokens: &[Token<'_>]) -> Option<String> {
    for at in 0..tokens.len() {
        let after_i = || at > 0 && tokens[at - 1].word == lex.named.i;
        let leads = lex.feeling_leads.contains(&tokens[at])
            || lex.leads_after_i.contains(&tokens[at]) && after_i();
        if !leads {
            continue;
        }
        let rest = tokens.get(skip(lex, tokens, at + 1)..).unwrap_or_default();
        let fitting = lex.feeling_words.iter().position(|words| {
            words.len() <= rest.len() && words.iter().zip(rest).all(|(w, t)| *w == t.word)
        });
        if let Some(index) = fitting {
            return lex.feelings.get(index).cloned();
        }
    }
    None
}

/// Skips fillers and absolutes (not negations) from `at`.
fn skip(lex: &Lexicon, tokens: &[Token<'_>], mut at: usize) -> usize {
    while at < tokens.len() {
        if lex.negations.match_at(tokens, at).is_some() {
            return at;
        }
        match lex
            .fillers
            .match_at(tokens, at)
            .or_else(|| lex.absolutes.match_at(tokens, at))
        {
            Some(length) => at += length,
            None => return at,
        }
    }
    at
}

/// "bother to ask" and "be bothered to ask" mean "ask".
fn skip_bother(lex: &Lexicon, window: &[Token<'_>], at: usize) -> usize {
    let named = &lex.named;
    let word = |i: usize| window.get(i).map(|t| t.word);
    match (word(at), word(at + 1), word(at + 2)) {
        (Some(bother), Some(to), Some(_)) if bother == named.bother && to == named.to => at + 2,
        (Some(be), Some(bothered), Some(to))
            if be == named.be
                && bothered == named.bothered
                && to == named.to
                && word(at + 3).is_some() =>
        {
            at + 3
        }
        _ => at,
    }
}

/// The base form of a verb the coach treats as an accusation when negated.
fn base_form(lex: &Lexicon, word: &str) -> Option<String> {
    let known = |w: &str| {
        lex.vocabulary
            .id(w)
            .is_some_and(|id| lex.negated_accusations.contains_id(id))
    };
    if known(word) {
        return Some(word.to_owned());
    }
    if let Some(base) = lex.base_forms.get(word).filter(|b| known(b)) {
        return Some(base.clone());
    }
    let stem = word
        .strip_suffix("ed")
        .or_else(|| word.strip_suffix("ing"))?;
    [
        stem.to_owned(),
        format!("{stem}e"),
        stem.get(..stem.len().saturating_sub(1))
            .unwrap_or("")
            .to_owned(),
    ]
    .into_iter()
    .find(|candidate| known(candidate))
}

/// Drops the object the turned-around phrase already says: "yelled at me
/// over nothing" -> "over nothing" (turned: "yelled at"), "ignored me at
/// the party" -> "at the party".
fn drop_objects<'t, 'a>(
    lex: &Lexicon,
    rest: &'t [Token<'a>],
    preposition: Option<&str>,
) -> &'t [Token<'a>] {
    let mut from = 0;
    if preposition.is_some_and(|p| rest.first().is_some_and(|t| t.lower() == p)) {
        from += 1;
    }
    if rest.get(from).is_some_and(|t| t.word == lex.named.me) {
        from += 1;
    }
    &rest[from..]
}

/// [`push_words`] into a new string.
fn words(lex: &Lexicon, tokens: &[Token<'_>]) -> String {
    let mut words = String::new();
    push_words(lex, tokens, &mut words);
    words
}

/// Appends the words of a span as written, space-separated, without
/// fillers, absolutes or marks, and at most twenty of them.
fn push_words(lex: &Lexicon, tokens: &[Token<'_>], out: &mut String) {
    // Room for every word once, rather than growing word by word.
    out.reserve(tokens.iter().map(|t| t.text.len() + 1).sum());
    let mut words = 0;
    let mut at = 0;
    while at < tokens.len() && words < 20 {
        if let Some(length) = lex
            .fillers
            .match_at(tokens, at)
            .or_else(|| lex.absolutes.match_at(tokens, at))
        {
            at += length;
            continue;
        }
        let token = &tokens[at];
        if token.text.chars().next().is_some_and(char::is_alphanumeric) {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(token.text);
            words += 1;
        }
        at += 1;
    }
}
