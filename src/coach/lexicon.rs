//! The coach's vocabulary, read once from `prompts/<locale>/coach.toml`:
//! what it listens for and the words it suggests. A missing list stops
//! start-up with its name, like a missing prompt.

use rustc_hash::FxHashMap;

use super::text::{PhraseSet, Vocabulary, WordId};
use crate::prompts::Catalog;

/// Punctuation that ends a clause; the same in every language we know.
const CLAUSE_MARKS: [&str; 4] = [",", ":", "—", "–"];

/// Words the rules look for by name. A named feeling follows the first
/// ("I feel …", "I'm …"), or the second after "I" ("I was …"); the third
/// opens a rhetorical question.
const FEELING_LEADS: [&str; 4] = ["feel", "felt", "i'm", "im"];
const LEADS_AFTER_I: [&str; 2] = ["am", "was"];
const WHY: [&str; 1] = ["why"];

/// Words the rules compare one by one, by id: a token is the word exactly
/// when its id is the word's, so no token needs a lower-case copy.
#[derive(Clone, Copy, Debug)]
pub struct Named {
    pub i: WordId,
    pub me: WordId,
    pub would: WordId,
    pub even: WordId,
    pub make: WordId,
    pub makes: WordId,
    pub made: WordId,
    pub so: WordId,
    pub feel: WordId,
    pub bother: WordId,
    pub bothered: WordId,
    pub to: WordId,
    pub be: WordId,
    pub you_re: WordId,
    pub youre: WordId,
    pub are: WordId,
    pub were: WordId,
    pub aren_t: WordId,
    pub arent: WordId,
}

impl Named {
    fn new(vocabulary: &mut Vocabulary) -> Named {
        let mut id = |word: &str| vocabulary.intern(word);
        Named {
            i: id("i"),
            me: id("me"),
            would: id("would"),
            even: id("even"),
            make: id("make"),
            makes: id("makes"),
            made: id("made"),
            so: id("so"),
            feel: id("feel"),
            bother: id("bother"),
            bothered: id("bothered"),
            to: id("to"),
            be: id("be"),
            you_re: id("you're"),
            youre: id("youre"),
            are: id("are"),
            were: id("were"),
            aren_t: id("aren't"),
            arent: id("arent"),
        }
    }
}

/// Why the coach's vocabulary could not be built.
#[derive(Debug, thiserror::Error)]
#[error("the coach prompts are incomplete: `{0}` is missing or empty")]
pub struct LexiconError(pub String);

/// Word lists for detection and wording for suggestions.
#[derive(Clone, Debug)]
pub struct Lexicon {
    /// Every listed word; tokens are looked up here once.
    pub vocabulary: Vocabulary,
    pub named: Named,
    pub you: PhraseSet,
    /// Marks that end a clause: `,` `:` `—` `–`.
    pub clause_marks: PhraseSet,
    pub feeling_leads: PhraseSet,
    pub leads_after_i: PhraseSet,
    pub why: PhraseSet,
    pub absolutes: PhraseSet,
    pub absolute_leads: PhraseSet,
    pub interjections: PhraseSet,
    pub labels: PhraseSet,
    pub intensifiers: PhraseSet,
    pub subject_starts: PhraseSet,
    pub clause_breaks: PhraseSet,
    pub negations: PhraseSet,
    pub past_negations: PhraseSet,
    pub negated_accusations: PhraseSet,
    pub negated_kind: PhraseSet,
    pub strong_accusations: PhraseSet,
    pub blamed_feelings: PhraseSet,
    pub positive: PhraseSet,
    pub kind_absolutes: PhraseSet,
    pub blame_phrases: PhraseSet,
    pub rhetorical: PhraseSet,
    pub why_auxiliaries: PhraseSet,
    pub why_accusing: PhraseSet,
    pub negated_openers: PhraseSet,
    pub suggesting_negations: PhraseSet,
    pub contempt: PhraseSet,
    pub request_openers: PhraseSet,
    pub disguised_openers: PhraseSet,
    pub fillers: PhraseSet,
    pub past_irregular: PhraseSet,
    pub crisis: PhraseSet,
    /// Every feeling a suggestion may name, and the short list to choose from.
    pub feelings: Vec<String>,
    pub feeling_choices: Vec<String>,
    /// The words of each of `feelings`, in the same order.
    pub feeling_words: Vec<Box<[WordId]>>,
    /// (feeling, topic words), in the file's order.
    pub feeling_hints: Vec<(String, PhraseSet)>,
    pub needs: FxHashMap<String, String>,
    pub requests: FxHashMap<String, String>,
    pub label_situations: FxHashMap<String, String>,
    pub negated_feelings: FxHashMap<String, String>,
    pub turned_around: FxHashMap<String, String>,
    pub base_forms: FxHashMap<String, String>,
    pub template_with_need: String,
    pub template_without_need: String,
    pub waiting_for: String,
    pub waited_for: String,
    pub dont_feel: String,
    pub didnt_feel: String,
    pub get_turned: String,
    pub was_turned: String,
    pub partner_does: String,
    pub fallback_situation: String,
    pub default_request: String,
}

impl Lexicon {
    pub fn from_catalog(catalog: &Catalog) -> Result<Lexicon, LexiconError> {
        let mut vocabulary = Vocabulary::default();
        let named = Named::new(&mut vocabulary);
        let clause_marks = PhraseSet::new(&mut vocabulary, CLAUSE_MARKS);
        let feeling_leads = PhraseSet::new(&mut vocabulary, FEELING_LEADS);
        let leads_after_i = PhraseSet::new(&mut vocabulary, LEADS_AFTER_I);
        let why = PhraseSet::new(&mut vocabulary, WHY);
        let mut set_of =
            |list: &[String]| PhraseSet::new(&mut vocabulary, list.iter().map(String::as_str));
        let mut set = |name: &str| -> Result<PhraseSet, LexiconError> {
            let key = format!("coach.{name}");
            let list = catalog
                .list(&key)
                .filter(|l| !l.is_empty())
                .ok_or(LexiconError(key))?;
            Ok(set_of(list))
        };
        let list = |key: &str| -> Result<Vec<String>, LexiconError> {
            let list = catalog.list(key).filter(|l| !l.is_empty());
            list.map(<[String]>::to_vec)
                .ok_or_else(|| LexiconError(key.to_owned()))
        };
        let table = |name: &str| -> Result<FxHashMap<String, String>, LexiconError> {
            let entries = catalog.entries(&format!("coach.{name}"));
            if entries.is_empty() {
                return Err(LexiconError(format!("coach.{name}")));
            }
            Ok(entries
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .collect())
        };
        let text = |name: &str| -> Result<String, LexiconError> {
            let key = format!("coach.text.{name}");
            catalog
                .lookup(&key)
                .map(str::to_owned)
                .ok_or(LexiconError(key))
        };
        let you = set("you")?;
        let absolutes = set("absolutes")?;
        let absolute_leads = set("absolute_leads")?;
        let interjections = set("interjections")?;
        let labels = set("labels")?;
        let intensifiers = set("intensifiers")?;
        let subject_starts = set("subject_starts")?;
        let clause_breaks = set("clause_breaks")?;
        let negations = set("negations")?;
        let past_negations = set("past_negations")?;
        let negated_accusations = set("negated_accusations")?;
        let negated_kind = set("negated_kind")?;
        let strong_accusations = set("strong_accusations")?;
        let blamed_feelings = set("blamed_feelings")?;
        let positive = set("positive")?;
        let kind_absolutes = set("kind_absolutes")?;
        let blame_phrases = set("blame_phrases")?;
        let rhetorical = set("rhetorical")?;
        let why_auxiliaries = set("why_auxiliaries")?;
        let why_accusing = set("why_accusing")?;
        let negated_openers = set("negated_openers")?;
        let suggesting_negations = set("suggesting_negations")?;
        let contempt = set("contempt")?;
        let request_openers = set("request_openers")?;
        let disguised_openers = set("disguised_openers")?;
        let fillers = set("fillers")?;
        let past_irregular = set("past_irregular")?;
        let crisis = set("crisis.phrases")?;
        let hint_names: Vec<String> = catalog
            .list_names("coach.feeling_hints.")
            .map(str::to_owned)
            .collect();
        let feeling_hints = hint_names
            .iter()
            .map(|name| {
                let feeling = name.trim_start_matches("coach.feeling_hints.").to_owned();
                let words = catalog.list(name).unwrap_or_default();
                (feeling, set_of(words))
            })
            .collect();
        let feelings = list("coach.feelings.all")?;
        let feeling_words = feelings
            .iter()
            .map(|feeling| vocabulary.intern_phrase(feeling))
            .collect();
        let mut requests = table("requests")?;
        let default_request = requests
            .remove("default")
            .ok_or(LexiconError("coach.requests.default".into()))?;
        let mut lexicon = Lexicon {
            vocabulary,
            named,
            you,
            clause_marks,
            feeling_leads,
            leads_after_i,
            why,
            absolutes,
            absolute_leads,
            interjections,
            labels,
            intensifiers,
            subject_starts,
            clause_breaks,
            negations,
            past_negations,
            negated_accusations,
            negated_kind,
            strong_accusations,
            blamed_feelings,
            positive,
            kind_absolutes,
            blame_phrases,
            rhetorical,
            why_auxiliaries,
            why_accusing,
            negated_openers,
            suggesting_negations,
            contempt,
            request_openers,
            disguised_openers,
            fillers,
            past_irregular,
            crisis,
            feelings,
            feeling_choices: list("coach.feelings.choices")?,
            feeling_words,
            feeling_hints,
            needs: table("needs")?,
            requests,
            label_situations: table("label_situations")?,
            negated_feelings: table("negated_feelings")?,
            turned_around: table("turned_around")?,
            base_forms: table("base_forms")?,
            template_with_need: text("with_need")?,
            template_without_need: text("without_need")?,
            waiting_for: text("waiting_for")?,
            waited_for: text("waited_for")?,
            dont_feel: text("dont_feel")?,
            didnt_feel: text("didnt_feel")?,
            get_turned: text("get_turned")?,
            was_turned: text("was_turned")?,
            partner_does: text("partner_does")?,
            fallback_situation: text("fallback_situation")?,
            default_request,
        };
        lexicon.learn_own_words();
        Ok(lexicon)
    }

    /// Adds the words of the suggestions' own texts to the vocabulary, so
    /// that checking a suggestion finds every word without allocating.
    fn learn_own_words(&mut self) {
        let tables = [
            &self.needs,
            &self.requests,
            &self.label_situations,
            &self.negated_feelings,
            &self.turned_around,
        ];
        let texts = tables.into_iter().flat_map(|table| table.values()).chain([
            &self.template_with_need,
            &self.template_without_need,
            &self.waiting_for,
            &self.waited_for,
            &self.dont_feel,
            &self.didnt_feel,
            &self.get_turned,
            &self.was_turned,
            &self.partner_does,
            &self.fallback_situation,
            &self.default_request,
        ]);
        for text in texts {
            self.vocabulary.intern_phrase(text);
        }
    }
}
