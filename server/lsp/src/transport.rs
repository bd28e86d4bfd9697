//! The gate in front of tower-lsp-server's reader. That reader stops for good at the first
//! message it cannot decode (a framed stream from tokio-util ends after a decoder error), so
//! one malformed message from a client would leave the server deaf while it still looks alive.
//! Messages are framed and checked here first; only JSON-RPC that tower-lsp-server accepts
//! reaches it. A malformed message that still names a request id is replaced by a request for
//! a method whose handler answers InvalidRequest (-32600), so the client gets an error for that
//! id instead of waiting forever; a `$/` request is replaced by one for an unknown method
//! (MethodNotFound, as LSP asks); a body that is not JSON, or is cut short by the end of the
//! input, by a request with a null id whose handler answers ParseError (-32700); any other is
//! dropped, and said so on stderr. Text JSON cannot carry into a Rust string — bytes
//! that are not UTF-8, a `\ud800` escape without its pair — is replaced by U+FFFD first, so
//! that an edit holding one still arrives (one character changed, the document still in step
//! with the client) instead of ending the session.

use serde::Deserialize;
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWriteExt, BufReader};

/// The fields tower-lsp-server's `Message` reads; everything else (`params`, `result`) is
/// skipped without being built.
#[derive(Deserialize)]
struct Envelope {
    jsonrpc: Option<String>,
    #[serde(default)]
    id: Option<Value>,
    #[serde(default)]
    method: Option<Value>,
}

/// What to do with one message body.
#[derive(Debug, PartialEq)]
enum Verdict {
    /// Forward it; `shutdown` says it is the client's `shutdown` request.
    Pass {
        shutdown: bool,
    },
    /// Answer the request with this id with InvalidRequest.
    Refuse(Value),
    /// Answer the `$/` request with this id with MethodNotFound.
    Unknown(Value),
    /// Answer with ParseError (id null).
    Garbled(String),
    Drop(String),
}

fn judge(body: &[u8]) -> Verdict {
    let envelope: Envelope = match serde_json::from_slice(body) {
        Ok(e) => e,
        Err(e) => {
            // Not a JSON object at all; an id may still be readable from valid JSON.
            return match serde_json::from_slice::<Value>(body) {
                Ok(Value::Object(o)) => match o.get("id") {
                    Some(id) if valid_id(id) => Verdict::Refuse(id.clone()),
                    _ => Verdict::Drop(format!("not a JSON-RPC message: {e}")),
                },
                Ok(_) => Verdict::Drop(format!("not a JSON-RPC message: {e}")),
                Err(e) => Verdict::Garbled(format!("not JSON: {e}")),
            };
        }
    };
    let id_ok = envelope.id.as_ref().is_none_or(valid_id);
    let method_ok = envelope.method.as_ref().is_none_or(Value::is_string);
    // A `$/…` request the server does not implement must be answered with MethodNotFound
    // (LSP 3.17, "$ Notifications and Requests"); tower-lsp-server leaves it unanswered.
    let dollar_request = envelope
        .method
        .as_ref()
        .and_then(Value::as_str)
        .is_some_and(|m| m.starts_with("$/"))
        && envelope.id.as_ref().is_some_and(|id| !id.is_null());
    if envelope.jsonrpc.as_deref() == Some("2.0") && id_ok && method_ok && !dollar_request {
        let shutdown = envelope.id.is_some()
            && envelope.method.as_ref().and_then(Value::as_str) == Some("shutdown");
        return Verdict::Pass { shutdown };
    }
    match envelope.id {
        Some(id) if dollar_request && envelope.jsonrpc.as_deref() == Some("2.0") && method_ok => {
            Verdict::Unknown(id)
        }
        Some(id) if id_ok && !id.is_null() => Verdict::Refuse(id),
        _ => Verdict::Drop("not a JSON-RPC 2.0 request, notification or response".into()),
    }
}

/// tower-lsp-server's ids: integers, strings or null.
fn valid_id(id: &Value) -> bool {
    id.is_null() || id.is_string() || id.as_i64().is_some()
}

/// Reads one framed message body; `None` at the end of the input. Header blocks without a
/// usable `Content-Length` are skipped until one has it; a `Content-Length` header is found
/// even after garbage on its line.
async fn read_message<R: AsyncRead + Unpin>(reader: &mut BufReader<R>) -> Option<Framed> {
    loop {
        let mut length = None;
        let mut line = Vec::new();
        loop {
            line.clear();
            if reader.read_until(b'\n', &mut line).await.ok()? == 0 {
                return None;
            }
            let text = String::from_utf8_lossy(&line);
            let text = text.trim();
            if text.is_empty() {
                break;
            }
            // The header may follow the rest of a body whose length was given too short.
            let lower = text.to_ascii_lowercase();
            if let Some(at) = lower.rfind("content-length:") {
                length = text[at + "content-length:".len()..]
                    .trim()
                    .parse::<usize>()
                    .ok();
            }
        }
        let Some(length) = length else {
            eprintln!("specwright: skipped a message without a Content-Length header");
            continue;
        };
        let mut body = Vec::with_capacity(length.min(1 << 24));
        let read = (&mut *reader)
            .take(length as u64)
            .read_to_end(&mut body)
            .await
            .ok()?;
        return Some(if read < length {
            Framed::Truncated { read, length }
        } else {
            Framed::Body(body)
        });
    }
}

/// One framed message as read.
enum Framed {
    Body(Vec<u8>),
    /// The input ended `read` bytes into a body of `length`.
    Truncated {
        read: usize,
        length: usize,
    },
}

/// The handlers the replacement requests reach (registered in [`crate::run_stdio`]).
impl crate::Backend {
    pub async fn invalid_message(&self) -> tower_lsp_server::jsonrpc::Result<()> {
        Err(tower_lsp_server::jsonrpc::Error::invalid_request())
    }

    pub async fn parse_error(&self) -> tower_lsp_server::jsonrpc::Result<()> {
        Err(tower_lsp_server::jsonrpc::Error::parse_error())
    }
}

pub const INVALID_MESSAGE: &str = "specwright/invalidMessage";
pub const PARSE_ERROR: &str = "specwright/parseError";

/// `body` with invalid UTF-8 and unpaired surrogate escapes replaced by U+FFFD (`\ufffd`), or
/// `None` when it needs no repair. One pass; escapes are read in order, so `\\ud800` (an escaped
/// backslash, then text) is left alone.
fn repair(body: &[u8]) -> Option<Vec<u8>> {
    let text = match std::str::from_utf8(body) {
        Ok(t) => std::borrow::Cow::Borrowed(t),
        Err(_) => std::borrow::Cow::Owned(String::from_utf8_lossy(body).into_owned()),
    };
    let lossy = matches!(text, std::borrow::Cow::Owned(_));
    let bytes = text.as_bytes();
    let surrogate = |i: usize| -> Option<u16> {
        let hex = bytes.get(i + 2..i + 6)?;
        let v = u16::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()?;
        (bytes[i + 1] == b'u' && (0xD800..=0xDFFF).contains(&v)).then_some(v)
    };
    let mut out: Option<Vec<u8>> = None;
    let mut copied = 0;
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'\\' {
            i += 1;
            continue;
        }
        let Some(v) = surrogate(i) else {
            i += 2;
            continue;
        };
        let paired = (0xD800..0xDC00).contains(&v)
            && bytes.get(i + 6) == Some(&b'\\')
            && surrogate(i + 6).is_some_and(|low| (0xDC00..=0xDFFF).contains(&low));
        if paired {
            i += 12;
            continue;
        }
        let o = out.get_or_insert_with(|| Vec::with_capacity(bytes.len()));
        o.extend_from_slice(&bytes[copied..i]);
        o.extend_from_slice(b"\\ufffd");
        i += 6;
        copied = i;
    }
    match out {
        Some(mut o) => {
            o.extend_from_slice(&bytes[copied..]);
            Some(o)
        }
        None => lossy.then(|| bytes.to_vec()),
    }
}

/// `input`, with every message tower-lsp-server would choke on answered or dropped.
/// `shutdown_seen` is set when the client's `shutdown` request passes: the gate sees messages
/// in the client's order, while the server's handlers may still be running when `exit` ends it.
pub fn gate(
    input: impl AsyncRead + Unpin + Send + 'static,
    shutdown_seen: std::sync::Arc<std::sync::atomic::AtomicBool>,
) -> impl AsyncRead + Unpin {
    let (mut to_server, from_gate) = tokio::io::duplex(1 << 20);
    tokio::spawn(async move {
        let mut reader = BufReader::with_capacity(1 << 16, input);
        while let Some(framed) = read_message(&mut reader).await {
            let mut body = match framed {
                Framed::Body(b) => b,
                Framed::Truncated { read, length } => {
                    eprintln!(
                        "specwright: the input ended {read} bytes into a message of {length}"
                    );
                    let body =
                        json!({ "jsonrpc": "2.0", "id": null, "method": PARSE_ERROR }).to_string();
                    let header = format!("Content-Length: {}\r\n\r\n", body.len());
                    let _ = to_server.write_all(header.as_bytes()).await;
                    let _ = to_server.write_all(body.as_bytes()).await;
                    break;
                }
            };
            if let Some(fixed) = repair(&body) {
                eprintln!(
                    "specwright: replaced text JSON cannot carry (invalid UTF-8 or a lone surrogate) with U+FFFD"
                );
                body = fixed;
            }
            let body = match judge(&body) {
                Verdict::Pass { shutdown } => {
                    if shutdown {
                        shutdown_seen.store(true, std::sync::atomic::Ordering::SeqCst);
                    }
                    body
                }
                Verdict::Refuse(id) => {
                    eprintln!("specwright: answered an invalid request (id {id}) with an error");
                    json!({ "jsonrpc": "2.0", "id": id, "method": INVALID_MESSAGE })
                        .to_string()
                        .into_bytes()
                }
                Verdict::Unknown(id) => {
                    json!({ "jsonrpc": "2.0", "id": id, "method": "specwright/noSuchMethod" })
                        .to_string()
                        .into_bytes()
                }
                Verdict::Garbled(why) => {
                    eprintln!("specwright: answered a message that is {why} with ParseError");
                    json!({ "jsonrpc": "2.0", "id": null, "method": PARSE_ERROR })
                        .to_string()
                        .into_bytes()
                }
                Verdict::Drop(why) => {
                    eprintln!("specwright: dropped a message: {why}");
                    continue;
                }
            };
            let header = format!("Content-Length: {}\r\n\r\n", body.len());
            if to_server.write_all(header.as_bytes()).await.is_err()
                || to_server.write_all(&body).await.is_err()
            {
                break;
            }
        }
        // Dropping the writer ends the server's input, as the end of stdin would.
    });
    from_gate
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn judges_what_tower_lsp_would_refuse() {
        assert_eq!(
            judge(br#"{"jsonrpc":"2.0","method":"x","params":{}}"#),
            Verdict::Pass { shutdown: false }
        );
        assert_eq!(
            judge(br#"{"jsonrpc":"2.0","id":"a","result":null}"#),
            Verdict::Pass { shutdown: false }
        );
        assert!(matches!(judge(b"{not json"), Verdict::Garbled(_)));
        assert!(matches!(judge(b"[1,2]"), Verdict::Drop(_)));
        assert_eq!(
            judge(br#"{"id":7,"method":"x"}"#),
            Verdict::Refuse(json!(7))
        );
        assert_eq!(
            judge(br#"{"jsonrpc":"2.0","id":8,"method":5}"#),
            Verdict::Refuse(json!(8))
        );
        assert!(matches!(
            judge(br#"{"jsonrpc":"2.0","id":1.5,"method":"x"}"#),
            Verdict::Drop(_)
        ));
        // `$/` requests get MethodNotFound; `$/` notifications pass (and are ignored).
        assert_eq!(
            judge(br#"{"jsonrpc":"2.0","id":4,"method":"$/custom"}"#),
            Verdict::Unknown(json!(4))
        );
        assert_eq!(
            judge(br#"{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":1}}"#),
            Verdict::Pass { shutdown: false }
        );
        assert_eq!(
            judge(br#"{"jsonrpc":"2.0","id":9,"method":"shutdown"}"#),
            Verdict::Pass { shutdown: true }
        );
    }

    #[test]
    fn repairs_what_json_cannot_carry_and_nothing_else() {
        let fixed = |b: &[u8]| repair(b).map(|v| String::from_utf8(v).unwrap());
        assert_eq!(
            fixed(br#"{"t":"a\ud800b"}"#).as_deref(),
            Some(r#"{"t":"a\ufffdb"}"#)
        );
        assert_eq!(
            fixed(br#"{"t":"\udc00"}"#).as_deref(),
            Some(r#"{"t":"\ufffd"}"#)
        );
        assert_eq!(fixed(br#"{"t":"\ud83d\ude00 ok"}"#), None, "a pair is text");
        assert_eq!(
            fixed(br#"{"t":"\\ud800"}"#),
            None,
            "an escaped backslash, then text"
        );
        assert_eq!(
            fixed(b"{\"t\":\"a\xffb\"}").as_deref(),
            Some("{\"t\":\"a\u{fffd}b\"}")
        );
        assert_eq!(fixed(br#"{"t":"plain"}"#), None);
        for body in [fixed(br#"{"t":"a\ud800b"}"#), fixed(b"{\"t\":\"\xc3\"}")] {
            let v: Value = serde_json::from_str(&body.unwrap()).unwrap();
            assert!(v["t"].as_str().unwrap().contains('\u{fffd}'));
        }
    }
}
