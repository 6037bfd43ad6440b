//! The words suggestions are made of, read once from `[coach.text]`, the
//! per-feeling needs and requests, the turned-around verbs and labels, and
//! each topic's feelings, situations, needs and requests.

use rustc_hash::FxHashMap;

use crate::coach::rules::Reason;
use crate::coach::text::topics::PREFIX;
use crate::coach::text::{Lexicon, LexiconError};
use crate::prompts::Catalog;

/// The templates of `[coach.text]`.
#[derive(Clone, Debug)]
pub struct Templates {
    pub present: String,
    pub past: String,
    pub frame: String,
    pub waiting_for: String,
    pub waited_for: String,
    pub dont_feel: String,
    pub didnt_feel: String,
    pub get_turned: String,
    pub was_turned: String,
    pub thing_turned: String,
    pub thing_was_turned: String,
    pub partner_does: String,
    pub partner_is: String,
    pub comes_before: String,
    pub came_before: String,
    pub comes_first: String,
    pub came_first: String,
}

/// One topic's words for a suggestion.
#[derive(Clone, Debug)]
pub struct TopicWording {
    pub feelings: Vec<String>,
    pub situations: Vec<String>,
    pub past: Vec<String>,
    pub needs: Vec<String>,
    pub requests: Vec<String>,
}

/// Everything a suggestion is worded with.
#[derive(Clone, Debug)]
pub struct Wording {
    pub templates: Templates,
    /// How a suggestion may open: the templates' words before the feeling
    /// ("I feel ", "I felt ").
    pub openings: Vec<String>,
    /// Words written with a capital wherever they stand ("I").
    pub capitalized: Vec<String>,
    pub needs: FxHashMap<String, String>,
    pub requests: FxHashMap<String, String>,
    /// A feeling -> words a situation must not have beside it.
    pub clashes: FxHashMap<String, Vec<String>>,
    /// A negated care verb -> what is missing ("listen" -> "heard").
    pub missing: FxHashMap<String, String>,
    /// An accusing verb -> its participle ("ignore" -> "ignored").
    pub turned: FxHashMap<String, String>,
    /// "verb.object" -> (present, past) ("forget.thing").
    pub turned_phrases: FxHashMap<String, (String, String)>,
    pub labels: FxHashMap<String, String>,
    /// By the lexicon's topic order.
    pub topics: Vec<TopicWording>,
    /// For a message whose topic is not one of ours: wording for the kind
    /// of blame it is ("contempt" -> sarcasm between us), by reason code.
    pub fallbacks: FxHashMap<String, TopicWording>,
}

/// Where the wording for a kind of blame is.
pub const FALLBACKS: &str = "coach.fallbacks.";

fn table(catalog: &Catalog, key: &str) -> Result<FxHashMap<String, String>, LexiconError> {
    let entries = catalog.entries(key);
    if entries.is_empty() {
        return Err(LexiconError(key.to_owned()));
    }
    Ok(entries
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect())
}

fn list(catalog: &Catalog, key: &str) -> Result<Vec<String>, LexiconError> {
    catalog
        .list(key)
        .filter(|l| !l.is_empty())
        .map(<[String]>::to_vec)
        .ok_or_else(|| LexiconError(key.to_owned()))
}

impl Wording {
    pub fn from_catalog(catalog: &Catalog, lex: &Lexicon) -> Result<Wording, LexiconError> {
        let text = |name: &str| -> Result<String, LexiconError> {
            let key = format!("coach.text.{name}");
            catalog
                .lookup(&key)
                .map(str::to_owned)
                .ok_or(LexiconError(key))
        };
        let templates = Templates {
            present: text("present")?,
            past: text("past")?,
            frame: text("frame")?,
            waiting_for: text("waiting_for")?,
            waited_for: text("waited_for")?,
            dont_feel: text("dont_feel")?,
            didnt_feel: text("didnt_feel")?,
            get_turned: text("get_turned")?,
            was_turned: text("was_turned")?,
            thing_turned: text("thing_turned")?,
            thing_was_turned: text("thing_was_turned")?,
            partner_does: text("partner_does")?,
            partner_is: text("partner_is")?,
            comes_before: text("comes_before")?,
            came_before: text("came_before")?,
            comes_first: text("comes_first")?,
            came_first: text("came_first")?,
        };
        let clashes = catalog
            .list_names("coach.feeling_clashes.")
            .map(|name| {
                let feeling = name.trim_start_matches("coach.feeling_clashes.").to_owned();
                (feeling, catalog.list(name).unwrap_or_default().to_vec())
            })
            .collect();
        let turned_phrases = table(catalog, "coach.turned_phrases")?
            .into_iter()
            .filter_map(|(key, both)| {
                let (present, past) = both.split_once('|')?;
                Some((key, (present.to_owned(), past.to_owned())))
            })
            .collect();
        let topics = lex
            .topics
            .names
            .iter()
            .map(|name| topic_wording(catalog, &format!("{PREFIX}{name}")))
            .collect::<Result<Vec<_>, LexiconError>>()?;
        let fallbacks = Reason::ALL
            .iter()
            .map(|reason| {
                let wording = topic_wording(catalog, &format!("{FALLBACKS}{}", reason.code()))?;
                Ok((reason.code().to_owned(), wording))
            })
            .collect::<Result<FxHashMap<_, _>, LexiconError>>()?;
        let openings = [&templates.present, &templates.past, &templates.frame]
            .iter()
            .filter_map(|template| template.split("{feeling}").next())
            .filter(|opening| !opening.is_empty())
            .map(str::to_owned)
            .collect();
        Ok(Wording {
            openings,
            templates,
            capitalized: list(catalog, "coach.text.capitalized")?,
            needs: table(catalog, "coach.needs")?,
            requests: table(catalog, "coach.requests")?,
            clashes,
            missing: table(catalog, "coach.missing")?,
            turned: table(catalog, "coach.turned")?,
            turned_phrases,
            labels: table(catalog, "coach.labels")?,
            topics,
            fallbacks,
        })
    }

    /// The wording for a message: its topic's, else the one for the most
    /// telling of its reasons.
    pub fn for_message(&self, topic: Option<usize>, reasons: &[Reason]) -> Option<&TopicWording> {
        topic.and_then(|i| self.topics.get(i)).or_else(|| {
            Reason::MOST_TELLING
                .iter()
                .find(|reason| reasons.contains(reason))
                .and_then(|reason| self.fallbacks.get(reason.code()))
        })
    }
}

/// A topic's (or a fallback's) five lists under `key`.
fn topic_wording(catalog: &Catalog, key: &str) -> Result<TopicWording, LexiconError> {
    let part = |what: &str| list(catalog, &format!("{key}.{what}"));
    Ok(TopicWording {
        feelings: part("feelings")?,
        situations: part("situations")?,
        past: part("past")?,
        needs: part("needs")?,
        requests: part("requests")?,
    })
}
