//! IANA time zones typed by people: exact names, any letter case, and a few
//! suggestions when the name is unknown.

use chrono_tz::Tz;

use super::similar::edit_distance;
use crate::error::UserError;

/// How many similar zone names an error suggests.
const MAX_SUGGESTIONS: usize = 3;

/// Abbreviations people type for a zone, and a city zone that keeps summer
/// time right. The abbreviations chrono-tz knows (EST, MST, HST, CET…) are
/// fixed offsets or regions, an hour off part of the year for most people.
const ABBREVIATIONS: &[(&str, &str)] = &[
    ("est", "America/New_York"),
    ("edt", "America/New_York"),
    ("cst", "America/Chicago"),
    ("cdt", "America/Chicago"),
    ("mst", "America/Denver"),
    ("mdt", "America/Denver"),
    ("pst", "America/Los_Angeles"),
    ("pdt", "America/Los_Angeles"),
    ("hst", "Pacific/Honolulu"),
    ("gmt", "Europe/London"),
    ("bst", "Europe/London"),
    ("wet", "Europe/Lisbon"),
    ("cet", "Europe/Berlin"),
    ("cest", "Europe/Berlin"),
    ("met", "Europe/Berlin"),
    ("eet", "Europe/Athens"),
    ("eest", "Europe/Athens"),
    ("ist", "Asia/Kolkata"),
    ("jst", "Asia/Tokyo"),
    ("aest", "Australia/Sydney"),
    ("aedt", "Australia/Sydney"),
];

/// Parses an IANA zone name such as `Europe/Berlin`, ignoring letter case;
/// a city alone with spaces (`new york`) works when only one zone has it.
pub fn parse_zone(text: &str) -> Result<Tz, UserError> {
    let text = text.trim();
    if let Ok(zone) = text.parse::<Tz>() {
        return Ok(zone);
    }
    let joined = text.split_whitespace().collect::<Vec<_>>().join("_");
    if let Ok(zone) = Tz::from_str_insensitive(&joined) {
        return Ok(zone);
    }
    if let [only] = zones_of_city(&joined).as_slice() {
        return Ok(*only);
    }
    Err(UserError::UnknownZone {
        given: text.to_owned(),
        suggestions: suggest(&joined),
    })
}

/// The city zone to suggest instead of an abbreviation such as `EST`, or
/// `None` when `name` is not one.
pub fn city_for_abbreviation(name: &str) -> Option<&'static str> {
    let name = name.to_lowercase();
    ABBREVIATIONS
        .iter()
        .find_map(|(abbreviation, city)| (*abbreviation == name).then_some(*city))
}

/// The last part of a zone name, lowercased: `new_york` for America/New_York.
fn city_of(name: &str) -> String {
    name.rsplit('/').next().unwrap_or(name).to_lowercase()
}

/// Zones whose city part is exactly `city`, in any letter case.
fn zones_of_city(city: &str) -> Vec<Tz> {
    let city = city.to_lowercase();
    chrono_tz::TZ_VARIANTS
        .iter()
        .filter(|zone| zone.name().contains('/') && city_of(zone.name()) == city)
        .copied()
        .collect()
}

/// Zones for an unknown name: the city zone for an abbreviation, zones
/// whose city part contains what was typed ("berlin"), else names a typo
/// or two away ("Europe/Berln").
fn suggest(text: &str) -> Vec<String> {
    if let Some(city) = city_for_abbreviation(text) {
        return vec![city.to_owned()];
    }
    let wanted = city_of(text);
    if wanted.len() < 3 {
        return Vec::new();
    }
    let containing: Vec<String> = chrono_tz::TZ_VARIANTS
        .iter()
        .map(|zone| zone.name())
        .filter(|name| name.contains('/') && name.to_lowercase().contains(&wanted))
        .take(MAX_SUGGESTIONS)
        .map(str::to_owned)
        .collect();
    if !containing.is_empty() {
        return containing;
    }
    let typed = text.to_lowercase();
    let mut near: Vec<(usize, &str)> = chrono_tz::TZ_VARIANTS
        .iter()
        .map(|zone| zone.name())
        .filter(|name| name.contains('/'))
        .map(|name| {
            let whole = edit_distance(&typed, &name.to_lowercase());
            (whole.min(edit_distance(&wanted, &city_of(name))), name)
        })
        .filter(|(edits, _)| *edits <= 2)
        .collect();
    near.sort();
    near.into_iter()
        .take(MAX_SUGGESTIONS)
        .map(|(_, name)| name.to_owned())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_and_case_insensitive_names_parse() {
        assert_eq!(
            parse_zone("Europe/Berlin").unwrap(),
            chrono_tz::Europe::Berlin
        );
        assert_eq!(
            parse_zone(" america/new_york ").unwrap(),
            chrono_tz::America::New_York
        );
    }

    #[test]
    fn unknown_zone_suggests_by_city() {
        let error = parse_zone("York").unwrap_err();
        assert_eq!(
            error,
            UserError::UnknownZone {
                given: "York".into(),
                suggestions: vec!["America/New_York".into()]
            }
        );
        let UserError::UnknownZone { suggestions, .. } = parse_zone("Mars/Olympus").unwrap_err()
        else {
            panic!("expected an unknown zone");
        };
        assert!(suggestions.is_empty());
    }

    #[test]
    fn a_city_typed_with_spaces_is_its_zone() {
        assert_eq!(parse_zone("new york"), Ok(chrono_tz::America::New_York));
        assert_eq!(
            parse_zone("America/new york"),
            Ok(chrono_tz::America::New_York)
        );
        assert_eq!(parse_zone("Berlin"), Ok(chrono_tz::Europe::Berlin));
    }

    #[test]
    fn typos_and_abbreviations_get_a_city_zone() {
        let suggested = |text: &str| match parse_zone(text) {
            Err(UserError::UnknownZone { suggestions, .. }) => suggestions,
            other => panic!("{text}: {other:?}"),
        };
        assert_eq!(suggested("Europe/Berln"), ["Europe/Berlin"]);
        assert_eq!(suggested("PST"), ["America/Los_Angeles"]);
        // EST parses (a fixed UTC-5), and has a better zone beside it.
        assert_eq!(parse_zone("EST"), Ok(chrono_tz::EST));
        assert_eq!(city_for_abbreviation("EST"), Some("America/New_York"));
        assert_eq!(city_for_abbreviation("Europe/Berlin"), None);
    }
}
