//! Checks the fake Discord's traffic against Discord's published OpenAPI
//! document (the part of it in tests/discord/openapi.json): every request
//! the adapter sends and every response the fake gives back.
//!
//! A small JSON Schema checker for the keywords that document uses:
//! `$ref`, `type`, `properties`, `required`, `additionalProperties`,
//! `items`, `oneOf`/`anyOf`/`allOf`, `enum`, `const`, lengths, bounds,
//! `pattern` and the `snowflake`/`int32`/`int64`/`date-time` formats.

use serde_json::Value;

/// The document, read once.
pub struct OpenApi {
    document: Value,
}

/// Where a body is checked.
pub enum Body<'a> {
    Request { content_type: &'a str },
    Response { status: u16 },
}

impl OpenApi {
    pub fn load() -> OpenApi {
        let text = include_str!("../../../discord/openapi.json");
        OpenApi {
            document: serde_json::from_str(text).expect("tests/discord/openapi.json is JSON"),
        }
    }

    /// The document's path template for a concrete path, e.g.
    /// `/channels/123/messages` → `/channels/{channel_id}/messages`.
    pub fn template(&self, method: &str, path: &str) -> Option<String> {
        let wanted: Vec<&str> = path.trim_matches('/').split('/').collect();
        let paths = self.document["paths"].as_object()?;
        paths
            .iter()
            .filter(|(_, item)| item.get(method).is_some())
            .map(|(template, _)| template)
            .filter(|template| {
                let parts: Vec<&str> = template.trim_matches('/').split('/').collect();
                parts.len() == wanted.len()
                    && parts
                        .iter()
                        .zip(&wanted)
                        .all(|(t, w)| t == w || (t.starts_with('{') && !w.is_empty()))
            })
            // The most literal template wins (`@original` over `{message_id}`).
            .min_by_key(|template| template.matches('{').count())
            .cloned()
    }

    /// Problems with a body, empty when it conforms; a missing operation or
    /// schema is a problem too, so traffic outside the document is caught.
    pub fn check(
        &self,
        method: &str,
        path: &str,
        body: Body<'_>,
        value: Option<&Value>,
    ) -> Vec<String> {
        let Some(template) = self.template(method, path) else {
            return vec![format!(
                "{method} {path} is not an operation in the document"
            )];
        };
        let operation = &self.document["paths"][&template][method];
        let (schema, label) = match body {
            Body::Request { content_type } => {
                let media = if content_type.starts_with("multipart/") {
                    // The multipart schema adds files; payload_json is the JSON body.
                    "application/json"
                } else {
                    content_type
                };
                let schema = &operation["requestBody"]["content"][media]["schema"];
                (schema.clone(), format!("{method} {template} request"))
            }
            Body::Response { status } => {
                let responses = &operation["responses"];
                let class = format!("{}XX", status / 100);
                let mut response = [status.to_string(), class, "default".to_owned()]
                    .iter()
                    .find_map(|code| responses.get(code))
                    .cloned()
                    .unwrap_or(Value::Null);
                if let Some(reference) = response.get("$ref").and_then(Value::as_str) {
                    response = self.resolve(reference).clone();
                }
                if response.is_null() {
                    return vec![format!("{method} {template} has no {status} response")];
                }
                let schema = response["content"]["application/json"]["schema"].clone();
                (schema, format!("{method} {template} {status} response"))
            }
        };
        let mut problems = Vec::new();
        match (schema.is_null(), value) {
            (true, None) => {}
            (true, Some(_)) => problems.push(format!("{label}: the document has no body here")),
            (false, None) => problems.push(format!("{label}: a body is expected")),
            (false, Some(value)) => self.validate(&schema, value, "$", &mut problems),
        }
        problems
            .into_iter()
            .map(|problem| format!("{label}: {problem}"))
            .collect()
    }

    fn resolve(&self, reference: &str) -> &Value {
        reference
            .trim_start_matches("#/")
            .split('/')
            .fold(&self.document, |node, part| &node[part])
    }

    fn validate(&self, schema: &Value, value: &Value, at: &str, problems: &mut Vec<String>) {
        if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
            let target = self.resolve(reference);
            if target.is_null() {
                problems.push(format!("{at}: unknown schema {reference}"));
            } else {
                self.validate(target, value, at, problems);
            }
        }
        if let Some(types) = schema.get("type") {
            let allowed: Vec<&str> = match types {
                Value::String(one) => vec![one.as_str()],
                Value::Array(many) => many.iter().filter_map(Value::as_str).collect(),
                _ => Vec::new(),
            };
            if !allowed.iter().any(|t| has_type(value, t)) {
                problems.push(format!("{at}: expected {allowed:?}, found {value}"));
                return;
            }
        }
        if let Some(expected) = schema.get("const")
            && expected != value
        {
            problems.push(format!("{at}: expected {expected}, found {value}"));
        }
        if let Some(options) = schema.get("enum").and_then(Value::as_array)
            && !options.contains(value)
        {
            problems.push(format!("{at}: {value} is not one of {options:?}"));
        }
        for sub in schema
            .get("allOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            self.validate(sub, value, at, problems);
        }
        for (keyword, exactly_one) in [("oneOf", true), ("anyOf", false)] {
            let Some(options) = schema.get(keyword).and_then(Value::as_array) else {
                continue;
            };
            let mut failures = Vec::new();
            let matching = options
                .iter()
                .filter(|option| {
                    let mut found = Vec::new();
                    self.validate(option, value, at, &mut found);
                    let ok = found.is_empty();
                    failures.extend(found);
                    ok
                })
                .count();
            if matching == 0 || (exactly_one && matching > 1) {
                let shown: Vec<&String> = failures.iter().take(6).collect();
                problems.push(format!(
                    "{at}: {matching} of the {keyword} alternatives match (e.g. {shown:?})"
                ));
            }
        }
        match value {
            Value::Object(object) => {
                let properties = schema.get("properties").and_then(Value::as_object);
                for name in schema
                    .get("required")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    if let Some(name) = name.as_str()
                        && !object.contains_key(name)
                    {
                        problems.push(format!("{at}: missing required {name}"));
                    }
                }
                if let Some(max) = schema.get("maxProperties").and_then(Value::as_u64)
                    && object.len() as u64 > max
                {
                    problems.push(format!("{at}: more than {max} properties"));
                }
                for (name, item) in object {
                    let path = format!("{at}.{name}");
                    match properties.and_then(|p| p.get(name)) {
                        Some(sub) => self.validate(sub, item, &path, problems),
                        None => match schema.get("additionalProperties") {
                            Some(Value::Bool(false)) => {
                                problems.push(format!("{path}: not allowed here"));
                            }
                            Some(extra @ Value::Object(_)) => {
                                self.validate(extra, item, &path, problems);
                            }
                            _ => {}
                        },
                    }
                }
            }
            Value::Array(items) => {
                if let Some(max) = schema.get("maxItems").and_then(Value::as_u64)
                    && items.len() as u64 > max
                {
                    problems.push(format!("{at}: more than {max} items"));
                }
                if let Some(min) = schema.get("minItems").and_then(Value::as_u64)
                    && (items.len() as u64) < min
                {
                    problems.push(format!("{at}: fewer than {min} items"));
                }
                if let Some(item_schema) = schema.get("items") {
                    for (index, item) in items.iter().enumerate() {
                        self.validate(item_schema, item, &format!("{at}[{index}]"), problems);
                    }
                }
            }
            Value::String(text) => {
                let length = text.chars().count() as u64;
                if let Some(max) = schema.get("maxLength").and_then(Value::as_u64)
                    && length > max
                {
                    problems.push(format!("{at}: longer than {max} characters"));
                }
                if let Some(min) = schema.get("minLength").and_then(Value::as_u64)
                    && length < min
                {
                    problems.push(format!("{at}: shorter than {min} characters"));
                }
                if let Some(pattern) = schema.get("pattern").and_then(Value::as_str) {
                    let regex =
                        regex::Regex::new(pattern).expect("the document's patterns compile");
                    if !regex.is_match(text) {
                        problems.push(format!("{at}: {text:?} does not match {pattern}"));
                    }
                }
                if schema.get("format").and_then(Value::as_str) == Some("date-time")
                    && chrono::DateTime::parse_from_rfc3339(text).is_err()
                {
                    problems.push(format!("{at}: {text:?} is not a date-time"));
                }
            }
            Value::Number(number) => {
                let as_float = number.as_f64().unwrap_or(f64::NAN);
                if let Some(min) = schema.get("minimum").and_then(Value::as_f64)
                    && as_float < min
                {
                    problems.push(format!("{at}: {number} is below {min}"));
                }
                if let Some(max) = schema.get("maximum").and_then(Value::as_f64)
                    && as_float > max
                {
                    problems.push(format!("{at}: {number} is above {max}"));
                }
                if schema.get("format").and_then(Value::as_str) == Some("int32")
                    && number.as_i64().is_none_or(|n| i32::try_from(n).is_err())
                {
                    problems.push(format!("{at}: {number} is not an int32"));
                }
            }
            _ => {}
        }
    }
}

fn has_type(value: &Value, name: &str) -> bool {
    match name {
        "null" => value.is_null(),
        "boolean" => value.is_boolean(),
        "object" => value.is_object(),
        "array" => value.is_array(),
        "string" => value.is_string(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        _ => false,
    }
}

#[test]
fn the_checker_catches_what_discord_would_refuse() {
    let api = OpenApi::load();
    let post = |body: Value| {
        api.check(
            "post",
            "/channels/123/messages",
            Body::Request {
                content_type: "application/json",
            },
            Some(&body),
        )
    };
    assert_eq!(
        post(serde_json::json!({"content": "hi", "nonce": "abc"})),
        Vec::<String>::new()
    );
    let too_long = post(serde_json::json!({"content": "x".repeat(4001)}));
    assert!(
        too_long.iter().any(|p| p.contains("longer than 4000")),
        "{too_long:?}"
    );
    let bad_nonce = post(serde_json::json!({"content": "hi", "nonce": "n".repeat(26)}));
    assert!(!bad_nonce.is_empty(), "a 26-character nonce is refused");
    let button_without_style = post(serde_json::json!({
        "components": [{"type": 1, "components": [{"type": 2, "label": "7", "custom_id": "c:x"}]}]
    }));
    assert!(!button_without_style.is_empty(), "a button needs a style");
    assert_eq!(
        api.template("patch", "/webhooks/1/tok/messages/@original")
            .as_deref(),
        Some("/webhooks/{webhook_id}/{webhook_token}/messages/@original")
    );
    assert_eq!(
        api.template("delete", "/channels/1/messages/2").as_deref(),
        Some("/channels/{channel_id}/messages/{message_id}")
    );
    assert!(
        !api.check("get", "/nowhere", Body::Response { status: 200 }, None)
            .is_empty()
    );
}
