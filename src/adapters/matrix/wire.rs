//! How rapport's Matrix requests look on the wire: transaction ids made
//! from outbox keys, and which homeserver refusals are worth a retry.

use matrix_sdk::ruma::api::error::ErrorKind;

use crate::delivery::DeliveryError;

/// Matrix transaction ids are opaque; escape the key so it stays
/// URL-friendly and distinct keys stay distinct.
pub(super) fn txn_id(key: &str) -> String {
    let mut id = String::with_capacity(key.len());
    for byte in key.bytes() {
        if byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'.' {
            id.push(char::from(byte));
        } else {
            id.push_str(&format!("_{byte:02x}"));
        }
    }
    id
}

/// Refusals that retrying cannot fix are permanent; the rest are transient.
pub(super) fn classify(error: matrix_sdk::Error) -> DeliveryError {
    match error.client_api_error_kind() {
        Some(ErrorKind::Forbidden | ErrorKind::NotFound | ErrorKind::UserDeactivated) => {
            DeliveryError::Unreachable(error.to_string())
        }
        _ => DeliveryError::Transient(error.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transaction_ids_keep_keys_apart_and_url_safe() {
        assert_eq!(txn_id("round:12:ask:3"), "round_3a12_3aask_3a3");
        assert_ne!(txn_id("a:b"), txn_id("a_b"));
        assert_ne!(txn_id("round:12:ask:3"), txn_id("round:12:ask:4"));
    }
}
