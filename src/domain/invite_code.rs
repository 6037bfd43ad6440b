//! One-time pairing codes: short, typeable on a phone, without look-alike
//! characters (no 0/O, 1/I/L), shown as `ABCD-EFGH`, accepted in any case
//! and with or without the dash.

use std::fmt;

use rand::Rng;

const ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
const LENGTH: usize = 8;

/// A normalised invite code (upper case, no dash).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct InviteCode(String);

impl InviteCode {
    /// Draws a fresh code; about 8.5e11 possibilities.
    pub fn generate(rng: &mut impl Rng) -> InviteCode {
        let code = (0..LENGTH)
            .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
            .collect();
        InviteCode(code)
    }

    /// Accepts `abcd-efgh`, `ABCD EFGH` or `ABCDEFGH`; `None` if it cannot be a code.
    pub fn parse(text: &str) -> Option<InviteCode> {
        let code: String = text
            .chars()
            .filter(|c| !matches!(c, '-' | ' '))
            .map(|c| c.to_ascii_uppercase())
            .collect();
        let valid = code.len() == LENGTH && code.bytes().all(|b| ALPHABET.contains(&b));
        valid.then_some(InviteCode(code))
    }

    /// The stored form.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for InviteCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", &self.0[..4], &self.0[4..])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn generated_codes_round_trip_through_display() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        for _ in 0..100 {
            let code = InviteCode::generate(&mut rng);
            assert_eq!(InviteCode::parse(&code.to_string()), Some(code.clone()));
            assert_eq!(
                InviteCode::parse(&code.to_string().to_lowercase()),
                Some(code)
            );
        }
    }

    #[test]
    fn look_alikes_and_wrong_lengths_are_not_codes() {
        assert!(InviteCode::parse("ABCD-EFG").is_none());
        assert!(InviteCode::parse("ABCD-EFGO").is_none());
        assert!(InviteCode::parse("ABCD-EFG1").is_none());
        assert!(InviteCode::parse("ABCD-EFGHJ").is_none());
        assert!(InviteCode::parse("abcd efgh").is_some());
    }
}
