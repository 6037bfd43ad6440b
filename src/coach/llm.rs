//! An optional local language model for the wording of suggestions, spoken
//! to over the OpenAI-compatible chat-completions API (Ollama, llama.cpp).
//! The rules still decide whether a message is blaming; the model only
//! words the I-statement, and its answer is used only if it passes the same
//! checks as the rule engine's. Any failure or timeout falls back to rules.

use std::time::Duration;

use anyhow::Context;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};

/// A configured model endpoint.
pub struct ModelRewriter {
    client: reqwest::Client,
    url: String,
    model: String,
    api_key: Option<SecretString>,
    timeout: Duration,
    system_prompt: String,
    user_template: String,
}

/// What the endpoint needs to be asked.
pub struct ModelSettings {
    pub url: String,
    pub model: String,
    pub api_key: Option<SecretString>,
    pub timeout: Duration,
    /// From the prompts: the instructions, and `{feeling}`/`{message}` template.
    pub system_prompt: String,
    pub user_template: String,
}

#[derive(Serialize)]
struct ChatRequest<'a> {
    model: &'a str,
    messages: [ChatMessage<'a>; 2],
    temperature: f32,
    stream: bool,
}

#[derive(Serialize)]
struct ChatMessage<'a> {
    role: &'a str,
    content: &'a str,
}

#[derive(Deserialize)]
struct ChatResponse {
    choices: Vec<ChatChoice>,
}

#[derive(Deserialize)]
struct ChatChoice {
    message: ChatReply,
}

#[derive(Deserialize)]
struct ChatReply {
    content: String,
}

impl ModelRewriter {
    pub fn new(settings: ModelSettings) -> anyhow::Result<ModelRewriter> {
        let client = reqwest::Client::builder()
            .timeout(settings.timeout)
            .build()
            .context("cannot build the model client")?;
        Ok(ModelRewriter {
            client,
            url: settings.url,
            model: settings.model,
            api_key: settings.api_key,
            timeout: settings.timeout,
            system_prompt: settings.system_prompt,
            user_template: settings.user_template,
        })
    }

    /// Asks the model for an I-statement; the caller checks it.
    pub async fn rewrite(&self, message: &str, feeling: &str) -> anyhow::Result<String> {
        let user = crate::prompts::fill(
            &self.user_template,
            &[("feeling", feeling), ("message", message)],
        );
        let body = ChatRequest {
            model: &self.model,
            messages: [
                ChatMessage {
                    role: "system",
                    content: &self.system_prompt,
                },
                ChatMessage {
                    role: "user",
                    content: &user,
                },
            ],
            temperature: 0.3,
            stream: false,
        };
        let mut request = self.client.post(&self.url).json(&body);
        if let Some(key) = &self.api_key {
            request = request.bearer_auth(key.expose_secret());
        }
        let send = async {
            let response = request
                .send()
                .await
                .context("the model server did not answer")?;
            let response = response
                .error_for_status()
                .context("the model server refused")?;
            response
                .json::<ChatResponse>()
                .await
                .context("the model's answer is not chat JSON")
        };
        let reply = tokio::time::timeout(self.timeout, send)
            .await
            .context("the model took too long")??;
        let text = reply
            .choices
            .into_iter()
            .next()
            .context("the model gave no choices")?
            .message
            .content;
        Ok(text
            .trim()
            .trim_matches(|c| c == '"' || c == '“' || c == '”')
            .trim()
            .to_owned())
    }
}
