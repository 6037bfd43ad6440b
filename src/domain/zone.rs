//! IANA time zones typed by people: exact names, any letter case, and a few
//! suggestions when the name is unknown.

use chrono_tz::Tz;

use crate::error::UserError;

/// How many similar zone names an error suggests.
const MAX_SUGGESTIONS: usize = 3;

/// Parses an IANA zone name such as `Europe/Berlin`, ignoring letter case.
pub fn parse_zone(text: &str) -> Result<Tz, UserError> {
    let text = text.trim();
    if let Ok(zone) = text.parse::<Tz>() {
        return Ok(zone);
    }
    if let Ok(zone) = Tz::from_str_insensitive(text) {
        return Ok(zone);
    }
    Err(UserError::UnknownZone {
        given: text.to_owned(),
        suggestions: suggest(text),
    })
}

/// Zones whose city part contains what was typed ("berlin", "new york").
fn suggest(text: &str) -> Vec<String> {
    let wanted = text
        .rsplit('/')
        .next()
        .unwrap_or(text)
        .trim()
        .to_lowercase()
        .replace(' ', "_");
    if wanted.len() < 3 {
        return Vec::new();
    }
    chrono_tz::TZ_VARIANTS
        .iter()
        .map(|zone| zone.name())
        .filter(|name| name.contains('/') && name.to_lowercase().contains(&wanted))
        .take(MAX_SUGGESTIONS)
        .map(str::to_owned)
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
        let error = parse_zone("Berlin").unwrap_err();
        assert_eq!(
            error,
            UserError::UnknownZone {
                given: "Berlin".into(),
                suggestions: vec!["Europe/Berlin".into()]
            }
        );
        let UserError::UnknownZone { suggestions, .. } = parse_zone("Mars/Olympus").unwrap_err()
        else {
            panic!("expected an unknown zone");
        };
        assert!(suggestions.is_empty());
    }
}
