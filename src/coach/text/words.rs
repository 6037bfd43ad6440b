//! The coach's word lists, read once from `prompts/<locale>/coach.toml`:
//! who is meant ("you", "my sister"), the grammar the rules lean on
//! (negations, how a verb's ending comes off) and the words of each kind of
//! blame. A missing list stops start-up with its name, like a missing prompt.

use rustc_hash::FxHashMap;
use smallvec::SmallVec;

use super::phrases::{Match, PhraseSet, Vocabulary, WordId, plain_words};
use super::topics::Topics;
use super::{LexiconError, Token, Tokens};
use crate::prompts::Catalog;

/// Declares a struct of phrase sets, each read from `<prefix><field>`.
macro_rules! phrase_lists {
    ($(#[$doc:meta])* $name:ident, $prefix:literal { $($field:ident),* $(,)? }) => {
        $(#[$doc])*
        #[derive(Clone, Debug)]
        pub struct $name {
            $(pub $field: PhraseSet,)*
        }

        impl $name {
            fn load(catalog: &Catalog, vocabulary: &mut Vocabulary) -> Result<$name, LexiconError> {
                Ok($name {
                    $($field: set(catalog, vocabulary, concat!($prefix, stringify!($field)))?,)*
                })
            }
        }
    };
}

phrase_lists! {
    /// Who is meant, and the grammar around it (`[coach]`).
    Grammar, "coach." {
        you, you_contracted, you_are, you_copulas, your, yourself, i, me, my, we,
        others, subject_starts, clause_breaks, interjections, negations,
        past_negations, past_forms, not_past, infinitive, fillers, object_pronouns, modals, auxiliaries,
        subordinators, reported_verbs,
    }
}

phrase_lists! {
    /// The words of each kind of blame, and of kindness (`[coach.words]`).
    Words, "coach.words." {
        absolutes, absolute_leads, again, kind_absolutes, negated_praise,
        negated_kind, accusing_verbs, care_verbs, waitable, kind_verbs,
        blame_phrases, blame_unless_before, fed_up, if_you_cared, should,
        treat_like, alone_acts, complaint_marks, labels, bad_adjectives,
        agent_nouns, such, likeness, like_a, intensifiers, disguised_openers, feel_like, disguised_self,
        rhetorical, tag_questions, why, why_auxiliaries, why_accusing, why_would, suggesting_negations,
        negated_openers, for_once, contempt, contempt_openers, sarcasm_words,
        sarcastic_thanks, thanked_harm, ironic_endings, commands, command_verbs,
        stop_kind, positive, affection, laughter, apologies, request_openers, feeling_leads,
        negative, prepositions, verb_skips, keep, only, make, make_objects,
        choose, over, first, than_me, told_you, comparisons, ultimatums, curt, hate_leads,
        bringing_up, question_words, question_marks,
    }
}

/// Every list of the coach, and the tables that make chat spelling standard.
#[derive(Clone, Debug)]
pub struct Lexicon {
    pub vocabulary: Vocabulary,
    pub grammar: Grammar,
    pub words: Words,
    pub crisis: PhraseSet,
    /// Chat spelling -> the standard words ("wanna" -> "want", "to").
    pub spellings: FxHashMap<Box<str>, Box<[Box<str>]>>,
    /// Ambiguous spellings and their other meaning ("ur" -> "you're").
    pub spelling_choices: FxHashMap<Box<str>, Box<str>>,
    pub you_are_before: PhraseSet,
    pub gerund_before: PhraseSet,
    /// Irregular forms of several words ("cutting me off").
    pub multi_forms: PhraseSet,
    pub multi_bases: FxHashMap<Box<str>, Box<[WordId]>>,
    /// "anything" -> "something".
    pub polarity: FxHashMap<Box<str>, Box<str>>,
    /// Every form the lemma rules make of a word that starts a phrase
    /// matched in any form ("ignore" -> "ignoring", "ignored", "ignores";
    /// "stop" -> "stopped"), by id, and the words it is a form of; the
    /// irregular forms are here too.
    pub inflections: FxHashMap<WordId, SmallVec<[WordId; 2]>>,
    pub past_suffixes: Vec<String>,
    pub progressive_suffixes: Vec<String>,
    /// Every feeling a suggestion may name, the short list, the default.
    pub feelings: Vec<String>,
    pub feeling_choices: Vec<String>,
    pub default_feeling: String,
    /// A word an author names a feeling with -> the feeling.
    pub feeling_words: FxHashMap<Box<str>, Box<str>>,
    pub topics: Topics,
}

fn list<'c>(catalog: &'c Catalog, key: &str) -> Result<&'c [String], LexiconError> {
    catalog
        .list(key)
        .filter(|l| !l.is_empty())
        .ok_or_else(|| LexiconError(key.to_owned()))
}

fn set(
    catalog: &Catalog,
    vocabulary: &mut Vocabulary,
    key: &str,
) -> Result<PhraseSet, LexiconError> {
    let entries = list(catalog, key)?;
    Ok(PhraseSet::new(
        vocabulary,
        entries.iter().map(String::as_str),
    ))
}

fn table(catalog: &Catalog, key: &str) -> Result<FxHashMap<Box<str>, Box<str>>, LexiconError> {
    let entries = catalog.entries(key);
    if entries.is_empty() {
        return Err(LexiconError(key.to_owned()));
    }
    Ok(entries
        .into_iter()
        .map(|(k, v)| (k.into(), v.into()))
        .collect())
}

impl Lexicon {
    pub fn from_catalog(catalog: &Catalog) -> Result<Lexicon, LexiconError> {
        let mut vocabulary = Vocabulary::default();
        let grammar = Grammar::load(catalog, &mut vocabulary)?;
        let words = Words::load(catalog, &mut vocabulary)?;
        let crisis = set(catalog, &mut vocabulary, "coach.crisis.phrases")?;
        let you_are_before = set(
            catalog,
            &mut vocabulary,
            "coach.spelling_lists.you_are_before",
        )?;
        let gerund_before = set(
            catalog,
            &mut vocabulary,
            "coach.spelling_lists.gerund_before",
        )?;
        let spellings = table(catalog, "coach.spellings")?
            .into_iter()
            .map(|(from, to)| {
                let words: Box<[Box<str>]> = plain_words(&to)
                    .into_iter()
                    .map(String::into_boxed_str)
                    .collect();
                for word in &words {
                    vocabulary.intern(word);
                }
                (from, words)
            })
            .collect();
        let spelling_choices = table(catalog, "coach.spelling_choices")?;
        for choice in spelling_choices.values() {
            vocabulary.intern(choice);
        }
        let (forms, multi_forms, multi_bases) = read_forms(catalog, &mut vocabulary)?;
        let lemma: Vec<(&str, &str)> = list(catalog, "coach.lemma")?
            .iter()
            .filter_map(|rule| rule.split_once('>'))
            .collect();
        let doubled = list(catalog, "coach.doubled_endings")?;
        let inflections = inflect(&mut vocabulary, &lemma, doubled, &words, &forms);
        let topics = Topics::load(catalog, &mut vocabulary)?;
        let feelings = list(catalog, "coach.feelings.all")?.to_vec();
        for feeling in &feelings {
            vocabulary.intern_phrase(feeling);
        }
        Ok(Lexicon {
            vocabulary,
            grammar,
            words,
            crisis,
            spellings,
            spelling_choices,
            you_are_before,
            gerund_before,
            multi_forms,
            multi_bases,
            polarity: table(catalog, "coach.polarity")?,
            inflections,
            past_suffixes: list(catalog, "coach.past_suffixes")?.to_vec(),
            progressive_suffixes: list(catalog, "coach.progressive_suffixes")?.to_vec(),
            feelings,
            feeling_choices: list(catalog, "coach.feelings.choices")?.to_vec(),
            default_feeling: catalog
                .lookup("coach.feelings.default")
                .map(str::to_owned)
                .ok_or_else(|| LexiconError("coach.feelings.default".into()))?,
            feeling_words: table(catalog, "coach.feeling_words")?,
            topics,
        })
    }

    /// The phrase of `set` at `at`, its first word taken in any form
    /// ("ignoring" finds "ignore", "cutting me off" finds "cut me off").
    pub fn find_lemma<'s>(
        &self,
        set: &'s PhraseSet,
        tokens: &[Token<'_>],
        at: usize,
    ) -> Option<Match<'s>> {
        if let Some(form) = self.multi_forms.find_at(tokens, at)
            && let Some(base) = self.multi_bases.get(form.phrase)
            && let Some(phrase) = set.holds(base)
        {
            return Some(Match {
                len: form.len,
                phrase,
            });
        }
        let token = tokens.get(at)?;
        let lemmas = self.inflections.get(&token.id).map_or(&[][..], |l| &l[..]);
        std::iter::once(token.id)
            .chain(lemmas.iter().copied())
            .find_map(|id| set.find_from(id, tokens, at + 1))
    }

    /// Whether a verb is in a past form.
    pub fn is_past(&self, token: &Token<'_>) -> bool {
        self.grammar.past_forms.contains(token)
            || !self.grammar.not_past.contains(token)
                && self.past_suffixes.iter().any(|suffix| {
                    token.norm.len() > suffix.len() + 1 && token.norm.ends_with(suffix.as_str())
                })
    }

    /// Whether a word ends like a verb in "-ing".
    pub fn is_progressive(&self, token: &Token<'_>) -> bool {
        self.progressive_suffixes.iter().any(|suffix| {
            token.norm.len() >= suffix.len() + 2 && token.norm.ends_with(suffix.as_str())
        })
    }

    /// What a message is about, by its place in [`Topics::names`].
    pub fn topic_of(&self, tokens: &Tokens<'_>) -> Option<usize> {
        self.topics.of(tokens)
    }

    /// The feeling a word names, if it names one ("mad" -> "angry").
    pub fn feeling_of(&self, word: &str) -> Option<&str> {
        self.feeling_words.get(word).map(|f| &**f)
    }
}

type Forms = (
    FxHashMap<WordId, WordId>,
    PhraseSet,
    FxHashMap<Box<str>, Box<[WordId]>>,
);

/// `[coach.forms]`: one-word forms by id, forms of several words as a set.
fn read_forms(catalog: &Catalog, vocabulary: &mut Vocabulary) -> Result<Forms, LexiconError> {
    let entries = table(catalog, "coach.forms")?;
    let mut single = FxHashMap::default();
    let mut multi = Vec::new();
    let mut bases = FxHashMap::default();
    for (form, base) in &entries {
        let form_words = vocabulary.intern_phrase(form);
        let base_words = vocabulary.intern_phrase(base);
        if form_words.len() == 1 && base_words.len() == 1 {
            single.insert(form_words[0], base_words[0]);
        } else {
            bases.insert(plain_words(form).join(" ").into_boxed_str(), base_words);
            multi.push(form.to_string());
        }
    }
    let set = PhraseSet::new(vocabulary, multi.iter().map(String::as_str));
    Ok((single, set, bases))
}

/// The forms the lemma rules ("ing>e": "ignore" -> "ignoring") make of the
/// first words of the lists matched in any form, interned, with the
/// irregular forms.
fn inflect(
    vocabulary: &mut Vocabulary,
    rules: &[(&str, &str)],
    doubled: &[String],
    words: &Words,
    irregular: &FxHashMap<WordId, WordId>,
) -> FxHashMap<WordId, SmallVec<[WordId; 2]>> {
    let sets = [
        &words.accusing_verbs,
        &words.care_verbs,
        &words.waitable,
        &words.negated_praise,
        &words.kind_verbs,
        &words.labels,
    ];
    let bases: Vec<WordId> = sets.iter().flat_map(|set| set.first_words()).collect();
    let mut out: FxHashMap<WordId, SmallVec<[WordId; 2]>> = FxHashMap::default();
    let mut add = |form: WordId, base: WordId| {
        let bases = out.entry(form).or_default();
        if form != base && !bases.contains(&base) {
            bases.push(base);
        }
    };
    for (&form, &base) in irregular {
        add(form, base);
    }
    for base in bases {
        let word = vocabulary.word(base).to_owned();
        for (ending, replacement) in rules {
            let Some(stem) = word.strip_suffix(replacement) else {
                continue;
            };
            if stem.chars().count() < 2 {
                continue;
            }
            add(vocabulary.intern(&format!("{stem}{ending}")), base);
            // "stop" -> "stopped": the last letter doubled, for the listed ones.
            if replacement.is_empty()
                && let Some(last) = stem.chars().last()
                && doubled.iter().any(|d| d.starts_with(last))
            {
                add(vocabulary.intern(&format!("{stem}{last}{ending}")), base);
            }
        }
    }
    out.retain(|_, bases| !bases.is_empty());
    out
}
