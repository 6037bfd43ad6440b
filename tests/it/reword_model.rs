//! The optional model backend against a local stub of an OpenAI-compatible
//! chat endpoint on 127.0.0.1: its wording is used only when it passes the
//! coach's checks; errors, bad answers and timeouts fall back to the rules.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use secrecy::SecretString;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

use rapport::coach::llm::{ModelRewriter, ModelSettings};
use rapport::engine::message::Place;
use rapport::prompts::Key;

use crate::helpers::{TestEngine, person, spawn_engine};

/// How the stub answers.
#[derive(Clone)]
enum Behaviour {
    Answer(String),
    Status(u16),
    Garbage,
    Silent,
}

/// A one-behaviour chat endpoint that records each request (headers, body).
async fn stub(behaviour: Behaviour) -> (String, Arc<Mutex<Vec<(String, String)>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!(
        "http://{}/v1/chat/completions",
        listener.local_addr().unwrap()
    );
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = seen.clone();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let behaviour = behaviour.clone();
            let record = record.clone();
            tokio::spawn(async move {
                let mut reader = BufReader::new(socket);
                let mut head = String::new();
                let mut length = 0;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).await.unwrap_or(0) == 0 || line == "\r\n" {
                        break;
                    }
                    if let Some(value) = line.to_lowercase().strip_prefix("content-length:") {
                        length = value.trim().parse().unwrap_or(0);
                    }
                    head.push_str(&line);
                }
                let mut body = vec![0; length];
                let _ = reader.read_exact(&mut body).await;
                record
                    .lock()
                    .unwrap()
                    .push((head, String::from_utf8_lossy(&body).into_owned()));
                let (status, payload) = match behaviour {
                    Behaviour::Answer(text) => {
                        let json = serde_json::json!({"choices": [{"message": {"role": "assistant", "content": text}}]});
                        (200, json.to_string())
                    }
                    Behaviour::Status(code) => (code, "{}".to_owned()),
                    Behaviour::Garbage => (200, "not json".to_owned()),
                    Behaviour::Silent => {
                        std::future::pending::<()>().await;
                        unreachable!()
                    }
                };
                let response = format!(
                    "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{payload}",
                    payload.len()
                );
                let _ = reader.get_mut().write_all(response.as_bytes()).await;
            });
        }
    });
    (url, seen)
}

async fn engine_with_model(url: String, timeout: Duration) -> TestEngine {
    let t = spawn_engine().await;
    let catalog = t.engine.catalog();
    let model = ModelRewriter::new(ModelSettings {
        url,
        model: "tiny".into(),
        api_key: Some(SecretString::from("local-key")),
        timeout,
        system_prompt: catalog.text(Key::RewordModelSystem).to_owned(),
        user_template: catalog.text(Key::RewordModelUser).to_owned(),
    })
    .unwrap();
    let engine = Arc::into_inner(t.engine)
        .expect("sole owner")
        .with_model(model);
    TestEngine {
        engine: Arc::new(engine),
        clock: t.clock,
    }
}

const MESSAGE: &str = "reword You never text me back";
const RULES: &str = "I feel anxious when I'm waiting for you to text me back";

#[tokio::test]
async fn a_sound_model_answer_is_used_and_the_request_is_well_formed() {
    let answer = "I feel anxious when I don't hear from you for hours, because I like knowing we're okay. Could we send a quick text when plans change?";
    let (url, seen) = stub(Behaviour::Answer(format!("\"{answer}\""))).await;
    let t = engine_with_model(url, Duration::from_secs(5)).await;
    let reply = t.say(&person("ana"), &Place::Direct, MESSAGE).await;
    assert!(
        reply[0].reply.text.contains(answer),
        "{}",
        reply[0].reply.text
    );
    let requests = seen.lock().unwrap().clone();
    assert_eq!(requests.len(), 1);
    let (head, body) = &requests[0];
    assert!(
        head.to_lowercase()
            .contains("authorization: bearer local-key")
    );
    let body: serde_json::Value = serde_json::from_str(body).unwrap();
    assert_eq!(body["model"], "tiny");
    assert_eq!(body["messages"][0]["role"], "system");
    let user = body["messages"][1]["content"].as_str().unwrap();
    assert!(
        user.contains("anxious") && user.contains("You never text me back"),
        "{user}"
    );
}

#[tokio::test]
async fn answers_that_fail_the_checks_fall_back_to_the_rules() {
    for bad in [
        "You always ignore my texts.",
        "I feel anxious when you never text me back. Could we talk?",
        "Sure! Here's a rewrite: I feel anxious.",
    ] {
        let (url, _) = stub(Behaviour::Answer(bad.into())).await;
        let t = engine_with_model(url, Duration::from_secs(5)).await;
        let reply = t.say(&person("ana"), &Place::Direct, MESSAGE).await;
        assert!(
            reply[0].reply.text.contains(RULES),
            "{bad}: {}",
            reply[0].reply.text
        );
    }
}

#[tokio::test]
async fn server_errors_and_garbage_fall_back_to_the_rules() {
    for behaviour in [
        Behaviour::Status(500),
        Behaviour::Status(404),
        Behaviour::Garbage,
    ] {
        let (url, _) = stub(behaviour).await;
        let t = engine_with_model(url, Duration::from_secs(5)).await;
        let reply = t.say(&person("ana"), &Place::Direct, MESSAGE).await;
        assert!(
            reply[0].reply.text.contains(RULES),
            "{}",
            reply[0].reply.text
        );
    }
    // Nothing listening at all.
    let t = engine_with_model(
        "http://127.0.0.1:9/v1/chat/completions".into(),
        Duration::from_secs(5),
    )
    .await;
    let reply = t.say(&person("ana"), &Place::Direct, MESSAGE).await;
    assert!(reply[0].reply.text.contains(RULES));
}

#[tokio::test]
async fn a_silent_model_times_out_and_the_rules_answer() {
    let (url, seen) = stub(Behaviour::Silent).await;
    let t = engine_with_model(url, Duration::from_millis(200)).await;
    let reply = t.say(&person("ana"), &Place::Direct, MESSAGE).await;
    assert!(
        reply[0].reply.text.contains(RULES),
        "{}",
        reply[0].reply.text
    );
    assert_eq!(seen.lock().unwrap().len(), 1, "the model was asked");
}
