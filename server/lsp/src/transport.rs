//! The gate in front of tower-lsp-server's reader. That reader stops for good at the first
//! message it cannot decode (a framed stream from tokio-util ends after a decoder error), so
//! one malformed message from a client would leave the server deaf while it still looks alive.
//! Messages are framed and checked here first; only JSON-RPC that tower-lsp-server accepts
//! reaches it. A malformed message that still names a request id is replaced by a request for
//! an unknown method, so the client gets an error for that id instead of waiting forever; any
//! other is dropped, and said so on stderr.

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
    Pass,
    /// Answer the request with this id with an error.
    Refuse(Value),
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
                _ => Verdict::Drop(format!("not a JSON-RPC message: {e}")),
            };
        }
    };
    let id_ok = envelope.id.as_ref().is_none_or(valid_id);
    let method_ok = envelope.method.as_ref().is_none_or(Value::is_string);
    if envelope.jsonrpc.as_deref() == Some("2.0") && id_ok && method_ok {
        return Verdict::Pass;
    }
    match envelope.id {
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
async fn read_message<R: AsyncRead + Unpin>(reader: &mut BufReader<R>) -> Option<Vec<u8>> {
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
        let mut body = vec![0; length];
        reader.read_exact(&mut body).await.ok()?;
        return Some(body);
    }
}

/// `input`, with every message tower-lsp-server would choke on answered or dropped.
pub fn gate(input: impl AsyncRead + Unpin + Send + 'static) -> impl AsyncRead + Unpin {
    let (mut to_server, from_gate) = tokio::io::duplex(1 << 20);
    tokio::spawn(async move {
        let mut reader = BufReader::with_capacity(1 << 16, input);
        while let Some(body) = read_message(&mut reader).await {
            let body = match judge(&body) {
                Verdict::Pass => body,
                Verdict::Refuse(id) => {
                    eprintln!("specwright: answered an invalid request (id {id}) with an error");
                    json!({ "jsonrpc": "2.0", "id": id, "method": "specwright/invalidMessage" })
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
            Verdict::Pass
        );
        assert_eq!(
            judge(br#"{"jsonrpc":"2.0","id":"a","result":null}"#),
            Verdict::Pass
        );
        assert!(matches!(judge(b"{not json"), Verdict::Drop(_)));
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
    }
}
