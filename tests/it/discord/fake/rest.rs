//! The fake's REST API: every request recorded and checked against the
//! OpenAPI document, the global rate limit, scripted failures, and the
//! routes rapport uses.

use std::convert::Infallible;

use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use serde_json::{Value, json};
use tokio::net::TcpListener;

use super::json::application_json;
use super::openapi::Body;
use super::routes::{Reply, error};
use super::{FakeDiscord, Recorded, threads};

impl FakeDiscord {
    pub(super) async fn serve_rest(self, listener: TcpListener) {
        while let Ok((stream, _)) = listener.accept().await {
            let fake = self.clone();
            tokio::spawn(async move {
                let service = service_fn(move |request| {
                    let fake = fake.clone();
                    async move { Ok::<_, Infallible>(fake.handle(request).await) }
                });
                let _ = http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    }

    async fn handle(&self, request: Request<Incoming>) -> Response<Full<Bytes>> {
        let method = request.method().as_str().to_lowercase();
        let path = request.uri().path().to_owned();
        let header = |name: &str| {
            request
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_owned()
        };
        let content_type = header("content-type");
        let authorized = header("authorization").starts_with("Bot ");
        let bytes = request
            .into_body()
            .collect()
            .await
            .map(|b| b.to_bytes())
            .unwrap_or_default();
        let (mut body, files) = parse_body(&content_type, &bytes);
        accept_documented_variants(&mut body);
        if !path.starts_with("/api/v10/") {
            self.lock()
                .problems
                .push(format!("{method} {path}: not under /api/v10"));
        }
        let api_path = path.strip_prefix("/api/v10").unwrap_or(&path).to_owned();
        let (status, response) = self.route(&method, &api_path, &body, &files, authorized);
        let content_type = content_type.split(';').next().unwrap_or("");
        self.check(
            &method,
            &api_path,
            content_type,
            &body,
            status,
            response.as_ref(),
        );
        self.lock().requests.push(Recorded {
            method,
            path: api_path,
            body,
            status,
            files,
        });
        self.touch();
        http_response(status, response)
    }

    /// Checks a request and the fake's answer against the document.
    fn check(
        &self,
        method: &str,
        path: &str,
        content_type: &str,
        body: &Value,
        status: u16,
        response: Option<&Value>,
    ) {
        let mut problems = Vec::new();
        if !content_type.is_empty() || !body.is_null() {
            let request = Body::Request { content_type };
            problems.extend(self.api.check(method, path, request, Some(body)));
        }
        // The document describes neither 5xx nor the limiter's 429.
        if status != 429 && status < 500 {
            let answer = Body::Response { status };
            problems.extend(self.api.check(method, path, answer, response));
        }
        self.lock().problems.extend(problems);
    }
    fn route(
        &self,
        method: &str,
        path: &str,
        body: &Value,
        files: &[String],
        authorized: bool,
    ) -> Reply {
        let mut state = self.lock();
        if !authorized {
            return error(401, 0, "401: Unauthorized");
        }
        if state.over_rate_limit() {
            state.rate_limited += 1;
            return (
                429,
                Some(json!({
                    "message": "You are being rate limited.",
                    "retry_after": 1.0, "global": true, "code": 0,
                })),
            );
        }
        if let Some(index) = state
            .failures
            .iter()
            .position(|(p, _, _)| path.contains(p.as_str()))
        {
            let (_, status, body) = state.failures.remove(index).unwrap_or_default();
            return (status, Some(body));
        }
        let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
        match (method, parts.as_slice()) {
            ("get", ["gateway"]) => (200, Some(json!({"url": state.gateway.url}))),
            ("get", ["gateway", "bot"]) => state.gateway_bot(),
            ("get", ["oauth2", "applications", "@me"]) => (200, Some(application_json())),
            (
                "get",
                ["applications", _, "commands"] | ["applications", _, "guilds", _, "commands"],
            ) => (200, Some(state.commands.clone())),
            (
                "put",
                ["applications", _, "commands"] | ["applications", _, "guilds", _, "commands"],
            ) => state.register_commands(body),
            ("post", ["users", "@me", "channels"]) => state.open_dm(body),
            ("post", ["channels", channel, "messages"]) => state.post_message(channel, body, files),
            ("patch", ["channels", channel, "messages", message]) => {
                state.edit_message(channel, message, body)
            }
            ("delete", ["channels", channel, "messages", message]) => {
                state.delete_message(channel, message)
            }
            ("post", ["interactions", id, token, "callback"]) => {
                state.acknowledge(id, token, body, files)
            }
            ("post", ["webhooks", _, token])
            | ("patch", ["webhooks", _, token, "messages", "@original"]) => {
                state.follow_up(method, token, body, files)
            }
            ("delete", ["webhooks", _, token, "messages", "@original"]) => {
                state
                    .followups
                    .push((method.to_owned(), (*token).to_owned(), Value::Null));
                (204, None)
            }
            _ => threads::route(&mut state, method, &parts, body)
                .unwrap_or_else(|| error(404, 0, "404: Not Found")),
        }
    }
}

/// Rewrites the two places where serenity follows Discord's reference
/// documentation and the (preview) OpenAPI document disagrees with it, so
/// the document can check everything else:
/// - a new upload's id is its index as a number (`"id": 0`, as in Discord's
///   documented examples); the document types attachment ids as strings;
/// - a command's `default_member_permissions` is a string of digits, as
///   the reference says (and as the document's own response type has it);
///   the document's request type says integer.
fn accept_documented_variants(body: &mut Value) {
    for attachment in body
        .get_mut("attachments")
        .and_then(Value::as_array_mut)
        .into_iter()
        .flatten()
    {
        if let Some(index) = attachment.get("id").and_then(Value::as_u64) {
            attachment["id"] = json!(index.to_string());
        }
    }
    if let Some(data) = body.get_mut("data") {
        accept_documented_variants(data);
    }
    for command in body.as_array_mut().into_iter().flatten() {
        if let Some(bits) = command
            .get("default_member_permissions")
            .and_then(Value::as_str)
            .and_then(|bits| bits.parse::<u64>().ok())
        {
            command["default_member_permissions"] = json!(bits);
        }
    }
}

/// Splits a request body into its JSON and the names of uploaded files.
fn parse_body(content_type: &str, bytes: &[u8]) -> (Value, Vec<String>) {
    if let Some(boundary) = content_type
        .split(';')
        .find_map(|p| p.trim().strip_prefix("boundary="))
    {
        let boundary = boundary.trim_matches('"');
        let mut json = Value::Null;
        let mut files = Vec::new();
        let text = String::from_utf8_lossy(bytes);
        for part in text.split(&format!("--{boundary}")) {
            let Some((headers, content)) = part.split_once("\r\n\r\n") else {
                continue;
            };
            if headers.contains("name=\"payload_json\"") {
                json =
                    serde_json::from_str(content.trim_end_matches("\r\n")).unwrap_or(Value::Null);
            } else if let Some(name) = headers
                .split("filename=\"")
                .nth(1)
                .and_then(|r| r.split('"').next())
            {
                files.push(name.to_owned());
            }
        }
        return (json, files);
    }
    (
        serde_json::from_slice(bytes).unwrap_or(Value::Null),
        Vec::new(),
    )
}

fn http_response(status: u16, response: Option<Value>) -> Response<Full<Bytes>> {
    let mut builder = Response::builder()
        .status(StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR));
    if status == 429 {
        builder = builder
            .header("retry-after", "1")
            .header("x-ratelimit-global", "true")
            .header("x-ratelimit-scope", "global");
    }
    match response {
        Some(json) => builder
            .header("content-type", "application/json")
            .body(Full::new(Bytes::from(json.to_string()))),
        None => builder.body(Full::new(Bytes::new())),
    }
    .unwrap_or_else(|_| Response::new(Full::new(Bytes::new())))
}
